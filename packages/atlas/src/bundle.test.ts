import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

// What each entry bundles. Its size is `npm run size`'s to judge, against its budget in package.json (tooling/size/entries.mjs): one
// measure for one budget (this bundle's gzip -9 reads about 2% above size-limit's).
// Bundles the given source for a browser the way a user's bundler would (core included).
async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return {
    inputs: Object.keys(result.metafile.inputs),
    text: new TextDecoder().decode(code),
  };
}

describe("import graph", () => {
  it("the main entry pulls in no MessagePack code and no schema library", async () => {
    const all = await bundle('export * from "./src/index.ts";');
    const parseOnly = await bundle('export { parseError } from "./src/index.ts";');
    for (const { inputs, text } of [all, parseOnly]) {
      expect(inputs.some((path) => path.includes("@msgpack"))).toBe(false);
      // Nothing is bundled: core is a declared dependency, and no schema library is used.
      expect(inputs.some((path) => path.includes("zod"))).toBe(false);
      // Strings only @msgpack/msgpack's decoder and encoder contain.
      expect(text).not.toContain("Insufficient data");
      expect(text).not.toContain("Unrecognized type byte");
      expect(text).not.toContain("Too deep objects");
    }
  });

  it("the ./msgpack subpath brings the codec", async () => {
    const whole = await bundle('export * from "./src/index.ts"; export * as msgpack from "./src/msgpack.ts";');
    expect(whole.inputs.some((path) => path.includes("@msgpack/msgpack"))).toBe(true);
    expect(whole.text).toContain("Insufficient data");
  });
});
