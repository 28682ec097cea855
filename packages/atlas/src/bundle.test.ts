import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

// Bundles the given source for a browser the way a user's bundler would (core and zod/mini included).
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
    gzip: gzipSync(code, { level: 9 }).byteLength,
  };
}

describe("import graph and bundle budget", () => {
  it("the main entry pulls in no MessagePack code, and stays within its 9 KB min+gzip budget", async () => {
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
    expect(all.gzip).toBeLessThanOrEqual(9_000);
  });

  it("the ./msgpack subpath brings the codec, and the whole API stays within 15 KB min+gzip", async () => {
    const whole = await bundle('export * from "./src/index.ts"; export * as msgpack from "./src/msgpack.ts";');
    expect(whole.inputs.some((path) => path.includes("@msgpack/msgpack"))).toBe(true);
    expect(whole.text).toContain("Insufficient data");
    expect(whole.gzip).toBeLessThanOrEqual(15_000);
  });
});
