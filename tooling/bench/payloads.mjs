// Every example payload the protocol pages show (and the field notes' real
// variants), with a hand-written check of the same shape: the floor a
// careful user would write without wirefault.
const isObj = (o) => typeof o === "object" && o !== null;
const str = (v) => typeof v === "string";

export const PAYLOADS = [
  {
    protocol: "teale-relay",
    name: "relay peer_not_found",
    text: '{"error":{"code":"peer_not_found","message":"Peer abc... is not connected"}}',
    check: (o) => isObj(o) && isObj(o.error) && str(o.error.code) && str(o.error.message),
  },
  {
    protocol: "teale-relay",
    name: "relay rate_limited",
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
    context: { status: 503 },
    text: '{"error":{"message":"Model mlx-community/Qwen3-8B-4bit is not loaded","type":"model_not_loaded","code":"model_not_loaded"}}',
    check: (o) => isObj(o) && isObj(o.error) && str(o.error.message) && str(o.error.type) && str(o.error.code),
  },
  {
    protocol: "telemetry-server",
    name: "400 validation_error",
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
    context: { status: 409 },
    text: '{"error":"device_already_exists"}',
    check: (o) => isObj(o) && str(o.error),
  },
  {
    protocol: "telemetry-server",
    name: "404 Device not found",
    context: { status: 404 },
    text: '{"error":"Device not found"}',
    check: (o) => isObj(o) && str(o.error),
  },
  {
    protocol: "ckg-relay",
    name: "ws error (documented)",
    text: '{"type":"error","code":"AGENT_OFFLINE","message":"Agent not currently connected","event_id":"evt_123"}',
    check: (o) => isObj(o) && o.type === "error" && str(o.code) && str(o.message),
  },
  {
    protocol: "ckg-relay",
    name: "ws error (real clients)",
    text: '{"type":"error","event_id":"evt_123","error":"Agent not currently connected","code":"AGENT_OFFLINE"}',
    check: (o) => isObj(o) && o.type === "error" && str(o.code) && str(o.error),
  },
  {
    protocol: "atlas",
    name: "wire ErrorMessage",
    text: '{"code":4001,"message":"rate limit exceeded","ref_msg_id":"msg_01JX..."}',
    check: (o) => isObj(o) && Number.isInteger(o.code) && o.code >= 0 && str(o.message),
  },
  {
    protocol: "atlas",
    name: "zone.error",
    text: '{"type":"zone.error","request_id":"req_01JX...","code":"payment_invalid","message":"payment authorization does not match requirement"}',
    check: (o) => isObj(o) && o.type === "zone.error" && str(o.code) && str(o.message),
  },
  {
    protocol: "tryll",
    name: "ErrorResponse (decoded)",
    text: '{"code":3004,"message":"SendMessageRequest arrived while the agent was still processing the previous turn.","request_id":7,"agent_id":42}',
    check: (o) => isObj(o) && Number.isInteger(o.code) && str(o.message),
  },
];

/** The floor for a text payload: what JSON.parse plus an Error cost. */
export function floor(text) {
  const o = JSON.parse(text);
  const message = o?.message ?? o?.error?.message ?? o?.error;
  return new Error(String(message));
}
