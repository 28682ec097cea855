import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

// The budgets live in one place, .size-limit.json, which `npm run size` enforces on the built package.
const limits: { name: string; limit: string }[] = JSON.parse(
  readFileSync(new URL("../../../.size-limit.json", import.meta.url), "utf8"),
);
/** An entry's gzip budget in bytes ("9 kB" is 9000, as size-limit counts). */
function budget(name: string): number {
  const limit = limits.find((entry) => entry.name === name)?.limit ?? "";
  const match = /^([\d.]+) kB$/.exec(limit);
  if (!match) throw new RangeError(`no kB budget for ${name} in .size-limit.json`);
  return Number(match[1]) * 1000;
}

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
  it("the main entry pulls in no MessagePack code, and stays within its min+gzip budget", async () => {
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
    expect(all.gzip).toBeLessThanOrEqual(budget("@wirefault/atlas (objects only)"));
  });

  it("the ./msgpack subpath brings the codec, and the whole API stays within its min+gzip budget", async () => {
    const whole = await bundle('export * from "./src/index.ts"; export * as msgpack from "./src/msgpack.ts";');
    expect(whole.inputs.some((path) => path.includes("@msgpack/msgpack"))).toBe(true);
    expect(whole.text).toContain("Insufficient data");
    expect(whole.gzip).toBeLessThanOrEqual(budget("@wirefault/atlas with MessagePack codec"));
  });
});
