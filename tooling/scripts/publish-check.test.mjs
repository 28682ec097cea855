import { describe, expect, it } from "vitest";
import { problems } from "./publish-check.mjs";

const manifest = {
  name: "@wirefault/x",
  exports: { ".": { import: { types: "./dist/index.d.ts", default: "./dist/index.js" } } },
  repository: {},
  license: "MIT",
  keywords: [],
  engines: {},
  publishConfig: { access: "public" },
};

describe("publish check", () => {
  it("accepts a complete package", () => {
    expect(problems(manifest, ["README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "package.json"])).toEqual(
      [],
    );
  });
  it("names a bin that would not be published", () => {
    const files = ["README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "package.json"];
    expect(problems({ ...manifest, bin: { x: "./dist/cli.js" } }, files)).toEqual([
      "bin names dist/cli.js, which is not in the package",
    ]);
    expect(problems({ ...manifest, bin: "dist/index.js" }, files)).toEqual([]);
  });
  it("names every missing piece", () => {
    const { license: _, ...bare } = manifest;
    expect(problems(bare, ["package.json", "dist/index.d.ts"])).toEqual([
      "README.md is not in the package",
      "LICENSE is not in the package",
      "dist/ has no .js file in the package",
      "exports names dist/index.js, which is not in the package",
      'package.json has no "license"',
    ]);
  });
});
