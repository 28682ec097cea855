// zod is an optional peer: only the ./schemas entry may reach it.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The modules a user's bundler pulls in for `contents`. */
async function inputs(contents: string): Promise<string[]> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return Object.keys(result.metafile.inputs);
}

describe("import graph", () => {
  it("the main entry and the parse path bundle no zod", async () => {
    for (const entry of [
      'export * from "./src/index.ts";',
      'export { parseError, parseBatchResponse, validationErrorBody } from "./src/index.ts";',
    ])
      expect((await inputs(entry)).filter((path) => path.includes("zod"))).toEqual([]);
  });

  it("the ./schemas entry brings zod's v3 API", async () => {
    expect((await inputs('export * from "./src/schemas.ts";')).some((path) => path.includes("zod/v3"))).toBe(true);
  });
});
