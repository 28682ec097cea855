// Every example payload the protocol pages show (and the field notes' real
// variants), with a hand-written check of the same shape: the floor a
// careful user would write without wirefault. Each names its issue 31 goal
// against openai's generate (`goal`); `stack: false` is held to 0.5× on every one.
import { decode, encode } from "@msgpack/msgpack";

const isObj = (o) => typeof o === "object" && o !== null;
const str = (v) => typeof v === "string";

/** Issue 31's bounds for `parseError` over openai's generate: 1.0× where the body is as simple as openai's, 1.15× where it holds more. */
export const GOAL = { plain: 1.0, richer: 1.15, noStack: 0.5 };

// A 207 answer listing ten per-block errors, two kinds, as the reference server words them.
const BATCH_207 = JSON.stringify({
  accepted: 0,
  errors: Array.from({ length: 10 }, (_, i) =>
    i % 2 === 0
      ? { seq: i + 1, error: `Device not found: ${"ab".repeat(8)}${i}` }
      : { seq: i + 1, error: `Invalid signature for device ${"cd".repeat(8)}${i}` },
  ),
});

export const PAYLOADS = [
  {
    protocol: "teale-relay",
    name: "relay peer_not_found",
    goal: GOAL.plain,
    text: '{"error":{"code":"peer_not_found","message":"Peer abc... is not connected"}}',
    check: (o) => isObj(o) && isObj(o.error) && str(o.error.code) && str(o.error.message),
  },
  {
    protocol: "teale-relay",
    name: "relay rate_limited",
    goal: GOAL.plain,
    text: '{"error":{"code":"rate_limited","message":"Discover rate limited, retry after 8s","retryAfterSeconds":8}}',
    check: (o) =>
      isObj(o) &&
      isObj(o.error) &&
      str(o.error.code) &&
      str(o.error.message) &&
      typeof o.error.retryAfterSeconds === "number",
  },
  {
    protocol: "teale-relay",
    name: "api model_not_loaded (503)",
    goal: GOAL.plain,
    context: { status: 503 },
    text: '{"error":{"message":"Model mlx-community/Qwen3-8B-4bit is not loaded","type":"model_not_loaded","code":"model_not_loaded"}}',
    check: (o) => isObj(o) && isObj(o.error) && str(o.error.message) && str(o.error.type) && str(o.error.code),
  },
  {
    protocol: "telemetry-server",
    name: "400 validation_error",
    goal: GOAL.richer,
    context: { status: 400 },
    text: '{"error":"validation_error","details":[{"code":"too_small","path":["name"],"message":"String must contain at least 1 character(s)"}]}',
    check: (o) =>
      isObj(o) &&
      str(o.error) &&
      Array.isArray(o.details) &&
      o.details.every((d) => isObj(d) && str(d.code) && Array.isArray(d.path) && str(d.message)),
  },
  {
    protocol: "telemetry-server",
    name: "409 device_already_exists",
    goal: GOAL.plain,
    context: { status: 409 },
    text: '{"error":"device_already_exists"}',
    check: (o) => isObj(o) && str(o.error),
  },
  {
    protocol: "telemetry-server",
    name: "404 Device not found",
    goal: GOAL.plain,
    context: { status: 404 },
    text: '{"error":"Device not found"}',
    check: (o) => isObj(o) && str(o.error),
  },
  {
    protocol: "ckg-relay",
    name: "ws error (documented)",
    goal: GOAL.plain,
    text: '{"type":"error","code":"AGENT_OFFLINE","message":"Agent not currently connected","event_id":"evt_123"}',
    check: (o) => isObj(o) && o.type === "error" && str(o.code) && str(o.message),
  },
  {
    protocol: "ckg-relay",
    name: "ws error (real clients)",
    goal: GOAL.plain,
    text: '{"type":"error","event_id":"evt_123","error":"Agent not currently connected","code":"AGENT_OFFLINE"}',
    check: (o) => isObj(o) && o.type === "error" && str(o.code) && str(o.error),
  },
  {
    protocol: "atlas",
    name: "wire ErrorMessage",
    goal: GOAL.plain,
    text: '{"code":4001,"message":"rate limit exceeded","ref_msg_id":"msg_01JX..."}',
    check: (o) => isObj(o) && Number.isInteger(o.code) && o.code >= 0 && str(o.message),
  },
  {
    protocol: "atlas",
    name: "zone.error",
    goal: GOAL.richer,
    text: '{"type":"zone.error","request_id":"req_01JX...","code":"payment_invalid","message":"payment authorization does not match requirement"}',
    check: (o) => isObj(o) && o.type === "zone.error" && str(o.code) && str(o.message),
  },
  {
    protocol: "tryll",
    name: "ErrorResponse (decoded)",
    goal: GOAL.richer,
    text: '{"code":3004,"message":"SendMessageRequest arrived while the agent was still processing the previous turn.","request_id":7,"agent_id":42}',
    check: (o) => isObj(o) && Number.isInteger(o.code) && str(o.message),
  },
  {
    // Bytes in: the 0xE0 frame's payload, read by the codec subpath; the peers decode it with @msgpack/msgpack.
    protocol: "atlas",
    entry: "atlas/msgpack",
    name: "wire ErrorMessage, MessagePack",
    goal: GOAL.richer,
    text: '{"code":4001,"message":"rate limit exceeded","ref_msg_id":"msg_01JX..."}',
    input: encode({ code: 4001, message: "rate limit exceeded", ref_msg_id: "msg_01JX..." }),
    bodies: (bytes) => [decode(bytes)],
    check: (o) => isObj(o) && Number.isInteger(o.code) && o.code >= 0 && str(o.message),
  },
  {
    // A 207's entries, each its own error: ours is parseBatchResponse, the peers generate one error per entry.
    protocol: "telemetry-server",
    name: "207 ×10 per-block errors",
    // Not a context: this body is no fromResponse payload (readBatchResponse reads it).
    status: 207,
    text: BATCH_207,
    parse: (mod) => (input, context) => mod.parseBatchResponse(207, input, { stack: context.stack }),
    bodies: (text) => JSON.parse(text).errors,
    check: (o) => isObj(o) && Array.isArray(o.errors) && o.errors.every((e) => isObj(e) && str(e.error)),
  },
];

/** What a payload's parseError is given: its bytes, else its text. */
export const inputOf = (payload) => payload.input ?? payload.text;

/** The error bodies a peer builds its errors from, decoded from the input inside the timed call. */
export const bodiesOf = (payload, input) => (payload.bodies ? payload.bodies(input) : [JSON.parse(input)]);

/** The floor for a payload: decoding it, then an Error per body. */
export function floor(payload, input) {
  let err;
  for (const o of bodiesOf(payload, input)) {
    const message = o?.message ?? o?.error?.message ?? o?.error;
    err = new Error(String(message));
  }
  return err;
}
