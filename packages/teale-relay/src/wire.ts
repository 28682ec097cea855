import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { type DecodedInput, decodeInput, echoWire, field, utf8Length } from "@wirefault/core/wire";
import type { TealeRelayError } from "./error.js";

/** The protocol name every Teale error carries. */
export const PROTOCOL = "teale-relay";

/** The size cap on every parsed input: the relay documents no frame limit, so wirefault's 1 MiB default. */
export const MAX_BYTES = 1_048_576;

/**
 * decodeInput under the cap, with an already-decoded object held to the same
 * cap as its JSON text: the relay sends frames over 1 MiB (it echoes any id),
 * and a frame gets the same answer as text, as bytes and as an object.
 */
export function decodeFrame(input: unknown): DecodedInput {
  const decoded = decodeInput(input, MAX_BYTES);
  if (decoded.kind !== "value" || decoded.value !== input || typeof input !== "object") return decoded;
  let size = 0;
  try {
    // Most chars are one byte; only a text length near the cap needs the exact count.
    const text = JSON.stringify(input) ?? "";
    size = text.length * 3 > MAX_BYTES ? utf8Length(text) : 0;
  } catch {
    // Not serialisable (a cycle, a BigInt, a hostile getter): not a frame anyone sent; the fields decide.
  }
  return size > MAX_BYTES ? { kind: "too-large", size } : decoded;
}

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
 * relayData, registerAck, inferenceError or any other message (see isInferenceError for
 * those). Takes every form of `ws` data (string, bytes, Buffer[]) or the decoded object.
 * Never throws.
 */
export function isErrorFrame(message: unknown): boolean {
  const decoded = decodeFrame(message);
  return decoded.kind === "value" && typeof field(field(decoded.value, "error"), "code") === "string";
}

/**
 * The payload of a relayed `inferenceError`, flat as the page writes it or
 * wrapped in `_0` as the Rust crate and Swift's synthesized Codable send it;
 * undefined when the message is not one.
 */
export function inferencePayload(value: unknown): unknown {
  const inference = field(value, "inferenceError");
  const wrapped = field(inference, "_0");
  return wrapped === undefined ? inference : wrapped;
}

/**
 * True when a relay message is a relayed inference failure,
 * `{"inferenceError":{requestID,errorMessage,code?}}` (flat or wrapped in `_0`):
 * an error to hand to parseError, not traffic. Takes the same inputs as isErrorFrame. Never throws.
 */
export function isInferenceError(message: unknown): boolean {
  const decoded = decodeFrame(message);
  if (decoded.kind !== "value") return false;
  const payload = inferencePayload(decoded.value);
  return typeof field(payload, "requestID") === "string" && typeof field(payload, "errorMessage") === "string";
}

/** The documented wire payload of an error, or undefined when it has none. */
export function toWire(error: TealeRelayError<string | number>): TealeWire | undefined {
  const { code, message, surface } = error;
  if (typeof code !== "string" || code === MALFORMED || code === TOO_LARGE) return undefined;
  if (surface !== "relay" && surface !== "api") return undefined;
  // Read off the wire: what was received, key for key. Built in code: the page's shape.
  const received = echoWire(error.raw);
  if (received) return received as unknown as TealeWire;
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
