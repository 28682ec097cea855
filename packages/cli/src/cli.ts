#!/usr/bin/env node
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { main } from "./commands.js";
import { wantsColour } from "./style.js";

// Stops one byte past the limit: parse then refuses the payload as too large
// before decoding any of it, instead of this process buffering an endless pipe.
async function readCapped(stream: Readable, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    const room = maxBytes + 1 - size;
    chunks.push(bytes.byteLength > room ? bytes.subarray(0, room) : bytes);
    size += Math.min(bytes.byteLength, room);
    if (size > maxBytes) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

// A terminal gets one line on stderr saying how to end the paste; a pipe gets nothing.
function readStdin(maxBytes: number): Promise<Uint8Array> {
  if (process.stdin.isTTY)
    process.stderr.write(
      "wirefault: paste the payload, then press Ctrl-D on a line of its own (Ctrl-Z, Enter on Windows)\n",
    );
  return readCapped(process.stdin, maxBytes);
}

main(process.argv.slice(2), {
  stdin: readStdin,
  readFile: (path, maxBytes) => readCapped(createReadStream(path, { end: maxBytes }), maxBytes),
  colour: wantsColour(process.stdout.isTTY === true, process.env),
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
