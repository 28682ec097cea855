import { field } from "@wirefault/core/wire";
/** The message types a CKG Relay WebSocket carries. */
export type CkgRelayMessageType = "event" | "token" | "reply" | "ping" | "pong" | "error";

/**
 * True for a decoded WebSocket message whose `type` is `"error"`, as opposed
 * to an `event`, `token`, `reply`, `ping` or `pong`. Never throws.
 */
export function isErrorMessage(message: unknown): message is { type: "error"; [key: string]: unknown } {
  return field(message, "type") === "error";
}

/** The `type` of a decoded WebSocket message, or undefined when it has none the relay uses. */
export function messageType(message: unknown): CkgRelayMessageType | undefined {
  const type = field(message, "type");
  return typeof type === "string" && TYPES.has(type) ? (type as CkgRelayMessageType) : undefined;
}

const TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(["event", "token", "reply", "ping", "pong", "error"]);
