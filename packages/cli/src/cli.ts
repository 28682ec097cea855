#!/usr/bin/env node
import { run } from "./commands.js";

async function readStdin(): Promise<Uint8Array> {
  if (process.stdin.isTTY) return new Uint8Array();
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

run(process.argv.slice(2), readStdin).then(
  (result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  },
  (error: unknown) => {
    // The commands never throw; this is the last guard against a stack trace.
    process.stderr.write(`wirefault: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
