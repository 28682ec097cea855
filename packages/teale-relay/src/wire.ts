import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { decodeInput, field } from "@wirefault/core/wire";
import type { TealeRelayError } from "./error.js";

/** The protocol name every Teale error carries. */
export const PROTOCOL = "teale-relay";

/** The size cap on every parsed input: the relay documents no frame limit, so wirefault's 1 MiB default. */
export const MAX_BYTES = 1_048_576;

/** A relay error frame, as the relay sends it. */
export interface RelayErrorFrame {
  error: { code: string; message: string; retryAfterSeconds?: number };
}

/** A local API error body, in the OpenAI envelope the page documents. */
export interface ApiErrorBody {
  error: { message: string; type: string; code: string };
}

/** A relayed inference failure, as a provider node sends it. */
export interface InferenceErrorFrame {
  inferenceError: { requestID: string; errorMessage: string; code: string };
}

/** Any wire payload `toWire()` gives back. */
export type TealeWire = RelayErrorFrame | ApiErrorBody | InferenceErrorFrame;

/**
 * True when a relay message is an error frame, `{"error":{"code":...}}`, and not an offer,
 * relayData, registerAck, inferenceError or any other message. Takes the raw `ws` data
 * (string or bytes) or the already-decoded object. Never throws.
 */
export function isErrorFrame(message: unknown): boolean {
  const decoded = decodeInput(message, MAX_BYTES);
  return decoded.kind === "value" && typeof field(field(decoded.value, "error"), "code") === "string";
}

/** The documented wire payload of an error, or undefined when it has none. */
export function toWire(error: TealeRelayError<string | number>): TealeWire | undefined {
  const { code, message, surface } = error;
  if (typeof code !== "string" || code === MALFORMED || code === TOO_LARGE) return undefined;
  if (error.requestId !== undefined) {
    return { inferenceError: { requestID: error.requestId, errorMessage: message, code } };
  }
  if (surface === "relay") {
    const seconds = error.retryAfterSeconds;
    return { error: seconds === undefined ? { code, message } : { code, message, retryAfterSeconds: seconds } };
  }
  // The page's envelope repeats the code as the type; field-notes variants are emitted in that documented shape.
  return surface === "api" ? { error: { message, type: code, code } } : undefined;
}
