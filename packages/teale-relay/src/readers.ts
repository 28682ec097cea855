// What is peculiar to Teale's wire: the three payload shapes its readers
// know. Everything else (caps, status fallback, classification) is core's.

import { sanitizeDelay } from "@wirefault/core";
import type { Reader } from "@wirefault/core/protocol";
import { field, NULLABLE_TEXT, pick, TEXT } from "@wirefault/core/protocol";

const PEER_PREFIX = "Peer ";
const PEER_SUFFIX = " is not connected";

/** The node id in `Peer <nodeID> is not connected`; the relay writes `undefined` when the sender named none. */
export function peerNodeIdOf(message: string): string | undefined {
  if (message.length <= PEER_PREFIX.length + PEER_SUFFIX.length) return undefined;
  if (!message.startsWith(PEER_PREFIX) || !message.endsWith(PEER_SUFFIX)) return undefined;
  const id = message.slice(PEER_PREFIX.length, -PEER_SUFFIX.length);
  return id === "undefined" ? undefined : id;
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

/** A relayed `inferenceError`, flat or wrapped in `_0`. */
const readInference: Reader = (value) => {
  const inference = inferencePayload(value);
  if (inference === undefined) return undefined;
  const requestID = pick(TEXT, inference, "requestID");
  const errorMessage = pick(TEXT, inference, "errorMessage");
  if (requestID === undefined || errorMessage === undefined)
    return "inferenceError without a requestID and an errorMessage";
  // Older providers send no code; a failed inference with no stated cause is the provider's internal error.
  const code = pick(NULLABLE_TEXT, inference, "code") || "internal_error";
  return { surface: "api", code, message: errorMessage, details: { requestId: requestID } };
};

/** A local API body, in OpenAI's envelope: over HTTP (a status is known), or any envelope with a `type`. */
const readApi: Reader = (value, context) => {
  const error = field(value, "error");
  if (context.status === undefined && field(error, "type") === undefined) return undefined;
  const message = pick(TEXT, error, "message");
  // The code names the error when there is one; the real app's 400s name it only by type.
  const code = pick(NULLABLE_TEXT, error, "code") || pick(NULLABLE_TEXT, error, "type");
  return { surface: "api", code: code ?? undefined, message };
};

/** A relay error frame, `{"error":{code,message,retryAfterSeconds?}}`. */
const readRelay: Reader = (value) => {
  const error = field(value, "error");
  const code = pick(TEXT, error, "code");
  if (code === undefined) return undefined;
  const message = pick(TEXT, error, "message");
  const seconds = field(error, "retryAfterSeconds");
  // Only a finite, non-negative number of seconds is a hint; anything else is ignored, not fatal.
  const ms = typeof seconds === "number" ? sanitizeDelay(seconds * 1000) : undefined;
  return {
    surface: "relay",
    code,
    message,
    retryAfterMs: ms,
    details: {
      // +0 turns a -0 into 0, so that the frame and the error say the same.
      retryAfterSeconds: ms === undefined ? undefined : (seconds as number) + 0,
      peerNodeId: code === "peer_not_found" && message !== undefined ? peerNodeIdOf(message) : undefined,
    },
  };
};

/** Teale's readers, in the order they are tried. */
export const readers: readonly Reader[] = [readInference, readApi, readRelay];
