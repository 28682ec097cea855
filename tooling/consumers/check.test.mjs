import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConsumers, MODES, TYPESCRIPTS } from "./check.mjs";

const fixture = (name) => join(new URL(".", import.meta.url).pathname, "fixtures", name);

// Each case packs and installs a real tarball: slow by unit-test standards.
describe("the consumer check", { timeout: 300_000 }, () => {
  it("passes a correct package in every style, resolution mode and TypeScript", () => {
    const done = checkConsumers([fixture("good")], { smoke: false });
    const typescript = done.filter((style) => style.startsWith("typescript "));
    expect(done.filter((style) => !style.startsWith("typescript "))).toEqual(["esm", "cjs", "browser bundle"]);
    // 5.0 and 5.9 in all four modes; the latest (7.x, native) has no node10.
    expect(typescript.filter((style) => / 5\.0\.\d+ /.test(style)).map((s) => s.split(" ")[2])).toEqual(
      MODES.map((m) => m.name),
    );
    expect(typescript.filter((style) => / 5\.9\.\d+ /.test(style))).toHaveLength(4);
    const latest = typescript.filter((style) => !/ 5\.[09]\.\d+ /.test(style));
    expect(latest.map((s) => s.split(" ")[2])).toEqual(["node16", "nodenext", "bundler"]);
    expect(Number(latest[0].split(" ")[1].split(".")[0])).toBeGreaterThanOrEqual(7);
  });

  it("fails a package whose subpath types under node10 are the other flavour than its root's", () => {
    const program = [
      `import { FixtureError } from "@wirefault-fixture/node10-split";`,
      `import { parse } from "@wirefault-fixture/node10-split/sub";`,
      "export const error: FixtureError = parse();",
      "",
    ].join("\n");
    const ts59 = TYPESCRIPTS.filter((t) => t.alias === "ts59");
    expect(() => checkConsumers([fixture("node10-split")], { smoke: false, program, typescripts: ts59 })).toThrow(
      /consumer check failed: typescript 5\.9\.\d+ node10\n[\s\S]*(TS2322|TS2719)/,
    );
  });

  it("fails a package whose exports map is broken", () => {
    expect(() => checkConsumers([fixture("broken-exports")], { smoke: false })).toThrow(/consumer check failed: esm/);
  });

  it("fails a package whose files list leaves out its build", () => {
    expect(() => checkConsumers([fixture("missing-files")], { smoke: false })).toThrow(/consumer check failed: esm/);
  });
});
