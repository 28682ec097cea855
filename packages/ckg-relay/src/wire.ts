import { decodeInput, field } from "@wirefault/core/wire";
import { MAX_ERROR_BYTES } from "./parse.js";

// ws hands over a string, bytes or Buffer[]; a caller may have decoded the message already.
function decoded(message: unknown): unknown {
  const result = decodeInput(message, MAX_ERROR_BYTES);
  return result.kind === "value" ? result.value : undefined;
}
/** The message types a CKG Relay WebSocket carries. */
export type CkgRelayMessageType = "event" | "token" | "reply" | "ping" | "pong" | "error";

/**
 * True for a WebSocket message whose `type` is `"error"`, as opposed to an
 * `event`, `token`, `reply`, `ping` or `pong`. Takes the decoded message or
 * the raw data (a string, bytes, or ws's Buffer[] fragments). Never throws.
 */
export function isErrorMessage(message: unknown): message is { type: "error"; [key: string]: unknown } {
  return field(decoded(message), "type") === "error";
}

/** The `type` of a WebSocket message (decoded or raw data), or undefined when it has none the relay uses. */
export function messageType(message: unknown): CkgRelayMessageType | undefined {
  const type = field(decoded(message), "type");
  return typeof type === "string" && TYPES.has(type) ? (type as CkgRelayMessageType) : undefined;
}

const TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(["event", "token", "reply", "ping", "pong", "error"]);
