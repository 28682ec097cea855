import { echoWire } from "@wirefault/core/protocol";

/** The error message CKG Relay sends over its WebSocket, in the documented shape. */
export interface CkgRelayErrorMessage {
  type: "error";
  code: string | number;
  message: string;
  event_id?: string;
}

/** The message types a CKG Relay WebSocket carries. */
export type CkgRelayMessageType = "event" | "token" | "reply" | "ping" | "pong" | "error";

/** What `toWire()` reads of an error. */
export interface WireFields {
  readonly code: string | number;
  readonly message: string;
  readonly raw: unknown;
  readonly local?: boolean;
  readonly eventId?: string | undefined;
}

/**
 * The message as received, key for key (text under `error` stays there), when
 * it was read off the wire; else the documented message, keys in the order
 * `type`, `code`, `message`, `event_id`.
 */
export function toWire(error: WireFields): CkgRelayErrorMessage {
  const { code, message, eventId } = error;
  // wirefault's own errors have no wire form; a peer's code that only spells one of them does.
  const received = error.local ? undefined : echoWire<CkgRelayErrorMessage>(error.raw);
  if (received) return received;
  const wire: CkgRelayErrorMessage = { type: "error", code, message };
  if (eventId !== undefined) wire.event_id = eventId;
  return wire;
}
