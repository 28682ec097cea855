import { describe, expect, it } from "vitest";
import { problems, typesVersionsProblems } from "./publish-check.mjs";

const manifest = {
  name: "@wirefault/x",
  exports: { ".": { import: { types: "./dist/index.d.ts", default: "./dist/index.js" } } },
  repository: {},
  license: "MIT",
  keywords: [],
  engines: {},
  publishConfig: { access: "public" },
  files: ["dist", "README.md", "CHANGELOG.md", "LICENSE"],
};

describe("publish check", () => {
  it("accepts a complete package", () => {
    expect(problems(manifest, ["README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "package.json"])).toEqual(
      [],
    );
  });
  it("names a bin that would not be published", () => {
    const files = ["README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "package.json"];
    expect(problems({ ...manifest, bin: { x: "dist/cli.js" } }, files)).toEqual([
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
  it("names a bin npm 11 would remove", () => {
    const files = ["README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "dist/cli.js", "package.json"];
    expect(problems({ ...manifest, bin: { x: "./dist/cli.js" } }, files)).toEqual([
      'bin ./dist/cli.js starts with "./", which npm 11 removes: write dist/cli.js',
    ]);
  });
  it("wants CHANGELOG.md listed in files, and in the package once it exists", () => {
    const files = ["README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "package.json"];
    expect(problems({ ...manifest, files: ["dist", "README.md", "LICENSE"] }, files)).toEqual([
      '"files" does not list CHANGELOG.md',
    ]);
    expect(problems(manifest, files, { changelog: true })).toEqual(["CHANGELOG.md is not in the package"]);
    expect(problems(manifest, [...files, "CHANGELOG.md"], { changelog: true })).toEqual([]);
  });
});

describe("typesVersions for node10 resolution", () => {
  const dual = (path) => ({
    import: { types: `./dist/${path}.d.ts`, default: `./dist/${path}.js` },
    require: { types: `./dist/${path}.d.cts`, default: `./dist/${path}.cjs` },
  });
  const pkg = {
    types: "./dist/index.d.cts",
    exports: { ".": dual("index"), "./msgpack": dual("msgpack"), "./package.json": "./package.json" },
    typesVersions: { "*": { msgpack: ["./dist/msgpack.d.cts"] } },
  };
  it("accepts subpaths typed like the root, with the require flavour", () => {
    expect(typesVersionsProblems(pkg)).toEqual([]);
  });
  it("names a subpath sent to the ESM types, and one left out", () => {
    expect(typesVersionsProblems({ ...pkg, typesVersions: { "*": { msgpack: ["./dist/msgpack.d.ts"] } } })).toEqual([
      "typesVersions maps msgpack to ./dist/msgpack.d.ts, not require's types ./dist/msgpack.d.cts",
    ]);
    expect(typesVersionsProblems({ ...pkg, typesVersions: undefined })).toEqual([
      "typesVersions does not map msgpack: node10 resolution cannot type it",
    ]);
  });
  it("names a root whose types are not the require flavour", () => {
    expect(typesVersionsProblems({ ...pkg, types: "./dist/index.d.ts" })).toEqual([
      '"types" is ./dist/index.d.ts, but require\'s types for "." is ./dist/index.d.cts',
    ]);
  });
});
