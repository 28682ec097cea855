import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConsumers } from "./check.mjs";

const fixture = (name) => join(new URL(".", import.meta.url).pathname, "fixtures", name);

// Each case packs and installs a real tarball: slow by unit-test standards.
describe("the consumer check", { timeout: 300_000 }, () => {
  it("passes a correct package in all five styles", () => {
    expect(checkConsumers([fixture("good")], { smoke: false })).toEqual([
      "esm",
      "cjs",
      "typescript node16",
      "typescript bundler",
      "browser bundle",
    ]);
  });

  it("fails a package whose exports map is broken", () => {
    expect(() => checkConsumers([fixture("broken-exports")], { smoke: false })).toThrow(/consumer check failed: esm/);
  });

  it("fails a package whose files list leaves out its build", () => {
    expect(() => checkConsumers([fixture("missing-files")], { smoke: false })).toThrow(/consumer check failed: esm/);
  });
});
