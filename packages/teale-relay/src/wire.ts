import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { echoWire } from "@wirefault/core/protocol";

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

/** What `toWire()` reads of an error. */
export interface WireFields {
  readonly code: string | number;
  readonly message: string;
  readonly surface: string | undefined;
  readonly raw: unknown;
  readonly requestId?: string | undefined;
  readonly retryAfterSeconds?: number | undefined;
}

/** The documented wire payload of an error, or undefined when it has none. */
export function toWire(error: WireFields): TealeWire | undefined {
  const { code, message, surface } = error;
  if (typeof code !== "string" || code === MALFORMED || code === TOO_LARGE) return undefined;
  if (surface !== "relay" && surface !== "api") return undefined;
  // Read off the wire: what was received, key for key. Built in code: the page's shape.
  const received = echoWire<TealeWire>(error.raw);
  if (received) return received;
  if (error.requestId !== undefined) {
    return { inferenceError: { requestID: error.requestId, errorMessage: message, code } };
  }
  if (surface === "relay") {
    const seconds = error.retryAfterSeconds;
    return { error: seconds === undefined ? { code, message } : { code, message, retryAfterSeconds: seconds } };
  }
  // The page's envelope repeats the code as the type.
  return { error: { message, type: code, code } };
}
