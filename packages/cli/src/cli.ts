#!/usr/bin/env node
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { main } from "./commands.js";
import { MAX_INPUT_BYTES } from "./parse.js";

// Stops one byte past the cap: parse then refuses the payload as too large
// instead of this process buffering an endless pipe.
async function readCapped(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
    if (size > MAX_INPUT_BYTES) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

main(process.argv.slice(2), {
  stdin: async () => (process.stdin.isTTY ? new Uint8Array() : readCapped(process.stdin)),
  readFile: (path) => readCapped(createReadStream(path, { end: MAX_INPUT_BYTES })),
}).then(
  (result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  },
  (error: unknown) => {
    // main never rejects; this is the last guard against a stack trace.
    process.stderr.write(`wirefault: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
