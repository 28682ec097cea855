// Figure 4: heap kept alive per error, ours beside the peers', on the same body.
// Runs with --expose-gc (run.mjs passes it): the heap after a full GC with
// `count` errors held, less the heap with none, divided by `count`; then the
// same after every error's `stack` was read (V8 formats it lazily, on first read).
import { parseError } from "@wirefault/teale-relay";
import { PEERS, statusOf } from "./parse.mjs";
import { PAYLOADS } from "./payloads.mjs";

const payload = PAYLOADS.find((p) => p.name === "api model_not_loaded (503)");

function heap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

function perError(make, count) {
  const held = new Array(count);
  const before = heap();
  // Each error from its own copy of the body text, as from the wire: no peer shares a parsed object.
  for (let i = 0; i < count; i++) held[i] = make(`${payload.text} `);
  const built = heap();
  let length = 0;
  for (const err of held) length += String(err.stack).length;
  const read = heap();
  held.length = length > 0 ? 0 : 0;
  return { builtBytes: (built - before) / count, withStackBytes: (read - before) / count };
}

export async function measure({ errors }) {
  if (typeof globalThis.gc !== "function") throw new Error("memory.mjs needs node --expose-gc");
  const { context } = payload;
  const status = statusOf(payload);
  const contenders = {
    ours: (text) => parseError(text, context),
    noStack: (text) => parseError(text, { ...context, stack: false }),
    openai: (text) => PEERS.openai(text, status),
    anthropic: (text) => PEERS.anthropic(text, status),
    stripe: (text) => PEERS.stripe(text, status),
  };
  // One warm-up pass each, so that no figure pays for code or hidden classes created on first use.
  for (const make of Object.values(contenders)) perError(make, Math.min(errors, 200));
  const rows = {};
  for (const [name, make] of Object.entries(contenders)) rows[name] = perError(make, errors);
  return { payload: `${payload.protocol} ${payload.name}`, errors, rows };
}
