// Figure 2: bundle size of each package's whole public API, beside the
// anchors a user would otherwise pick, all bundled the same way in one run.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("../..", import.meta.url).pathname;
export const BUDGETS = [
  ["@wirefault/core", "core.js", 2500],
  ["@wirefault/core + ./wire", "core-wire.js", undefined],
  ["@wirefault/teale-relay", "teale-relay.js", 10_000],
  ["@wirefault/telemetry-server", "telemetry-server.js", 10_000],
  ["@wirefault/ckg-relay", "ckg-relay.js", 10_000],
  ["@wirefault/atlas (objects only)", "atlas.js", 10_000],
  ["@wirefault/atlas + MessagePack", "atlas-msgpack.js", 15_000],
  ["@wirefault/tryll (no frames)", "tryll.js", 10_000],
  ["@wirefault/tryll + FlatBuffers frames", "tryll-frame.js", 15_000],
];
const ANCHORS = [
  ["openai error module (openai/error)", 'import * as e from "openai/error"; console.log(e);'],
  ["p-retry", 'import pRetry from "p-retry"; console.log(pRetry);'],
  [
    "cockatiel retry",
    'import { retry, handleAll, ExponentialBackoff } from "cockatiel"; console.log(retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }));',
  ],
  [
    "one schema, classic zod",
    'import { z } from "zod"; const S = z.object({ error: z.object({ code: z.string(), message: z.string(), retryAfterSeconds: z.number().optional() }) }); console.log(S.safeParse);',
  ],
  [
    "the same schema, zod/mini",
    'import * as z from "zod/mini"; const S = z.object({ error: z.object({ code: z.string(), message: z.string(), retryAfterSeconds: z.optional(z.number()) }) }); console.log(S.safeParse);',
  ],
];

async function bundle(options) {
  const result = await build({
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
    absWorkingDir: root,
    ...options,
  });
  const code = result.outputFiles[0].contents;
  return {
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}

export async function measure() {
  const packages = [];
  for (const [name, file, budget] of BUDGETS) {
    packages.push({ name, budget, ...(await bundle({ entryPoints: [`tooling/size/${file}`] })) });
  }
  const anchors = [];
  for (const [name, contents] of ANCHORS) {
    anchors.push({ name, ...(await bundle({ stdin: { contents, resolveDir: root, loader: "js" } })) });
  }
  return { packages, anchors };
}
