import { echoWire } from "@wirefault/core/protocol";
import { streamPayload } from "./readers.js";

/** A relay error frame, as the relay sends it. */
export interface RelayErrorFrame {
  error: { code: string; message: string; retryAfterSeconds?: number };
}

/** An HTTP API error body, in the OpenAI envelope the page documents (the gateway adds `balance` and `required` to `insufficient_credits`). */
export interface ApiErrorBody {
  error: { message: string; type: string; code: string; balance?: number; required?: number };
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
  readonly local?: boolean;
  readonly requestId?: string | undefined;
  readonly retryAfterSeconds?: number | undefined;
}

/** The documented wire payload of an error, or undefined when it has none. */
export function toWire(error: WireFields): TealeWire | undefined {
  const { code, message, surface } = error;
  // wirefault's own errors have no wire form; a peer's code that only spells one of them does.
  if (typeof code !== "string" || error.local) return undefined;
  if (surface !== "relay" && surface !== "api") return undefined;
  // Read off the wire: what was received, key for key (a stream event's data). Built in code: the page's shape.
  const received = echoWire<TealeWire>(streamPayload(error.raw) ?? error.raw);
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
