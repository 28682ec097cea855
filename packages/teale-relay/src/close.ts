import { type LocalCode, MALFORMED, type Parsed } from "@wirefault/core";
import { classifyClose, closeReason, localError, type StandardCloseCode } from "@wirefault/core/wire";
import { TealeRelayError } from "./error.js";
import { PROTOCOL } from "./wire.js";

/** The reason the relay gives, with close code 1012, to the socket a re-register replaced. */
export const REPLACED_BY_NEWER_SESSION = "Replaced by newer session";

/** The relay's own close events: a standard close code that the relay's reason gives another meaning. */
export const TealeRelayCloseEvent = Object.freeze({
  SESSION_REPLACED: Object.freeze({ code: 1012, reason: REPLACED_BY_NEWER_SESSION } as const),
});

// Swift clients reconnect with backoff from 1 s up to 60 s.
const RECONNECT = { baseMs: 1000, capMs: 60_000 } as const;
// RFC 6455 caps a close reason at 123 bytes; anything longer did not come off a socket.

/** The parts of a `CloseEvent` that classification reads. */
export interface CloseLike {
  readonly code: number;
  readonly reason?: string;
}

/**
 * Classifies a WebSocket close so a client knows whether to reconnect: pass a `CloseEvent`
 * or its code and reason. The error's `code` is the close code and its `surface` is `"close"`.
 * Standard codes follow core's `classifyClose`, and reconnects back off from 1 s to 60 s.
 * 1012 with `Replaced by newer session` means a newer socket took the session: `no`, `abort`.
 * Never throws.
 */
export function fromClose(
  event: number | CloseLike,
  reason?: string,
): Parsed<TealeRelayError<number | LocalCode>, StandardCloseCode>;
export function fromClose(event: number | CloseLike, reason?: string): TealeRelayError<number | LocalCode> {
  try {
    const isEvent = typeof event === "object" && event !== null;
    const code: unknown = isEvent ? event.code : event;
    const said: unknown = reason ?? (isEvent ? event.reason : undefined);
    if (typeof code !== "number" || !Number.isInteger(code) || code < 0 || code > 4999) {
      return new TealeRelayError(localError(PROTOCOL, MALFORMED, "Not a WebSocket close code", event));
    }
    const text = closeReason(said);
    const { SESSION_REPLACED } = TealeRelayCloseEvent;
    const replaced = code === SESSION_REPLACED.code && text === SESSION_REPLACED.reason;
    const standard = classifyClose(code);
    const [codeName, retryable, action] = replaced
      ? (["SESSION_REPLACED", "no", "abort"] as const)
      : standard
        ? ([standard.name, standard.retryable, standard.action] as const)
        : ([undefined, "no", "abort"] as const);
    return new TealeRelayError({
      protocol: PROTOCOL,
      surface: "close",
      code,
      codeName,
      message: text || `WebSocket closed with code ${code}${codeName ? ` (${codeName})` : ""}`,
      retryable,
      action,
      known: codeName !== undefined,
      policy: action === "reconnect" ? RECONNECT : undefined,
      raw: event,
    });
  } catch (cause) {
    return new TealeRelayError(localError(PROTOCOL, MALFORMED, "Could not read the close event", event, cause));
  }
}
