// Errors thrown by the HTTP client libraries people call these servers with
// (openai-node, the AI SDK), read by shape: wirefault depends on neither, and
// a bundled or duplicated copy of either fails instanceof anyway.
import { parseRetryAfter } from "./backoff.js";
import { own, read } from "./field.js";
import { httpStatus } from "./status.js";

/** What wirefault reads off an error thrown by openai-node or the AI SDK. */
export interface ClientFailure {
  /**
   * `http`: the server answered; `stream`: an error event arrived on a stream the
   * server had begun (openai-node's status-less `APIError` with a body); otherwise
   * the request never got an answer.
   */
  readonly kind: "http" | "stream" | "connection" | "timeout" | "abort";
  readonly status: number | undefined;
  /**
   * The error body: openai's parsed `error` put back in its envelope
   * (`{ error }`), or the AI SDK's `responseBody` text; undefined when the
   * client kept none (openai drops a body that is not JSON).
   */
  readonly body: unknown;
  /** `retry-after-ms` or `Retry-After`, from a `Headers` object or a plain record. */
  readonly retryAfterMs: number | undefined;
  /** The client's own verdict, where it has one (the AI SDK's `isRetryable`). */
  readonly retryable: boolean | undefined;
  /** The error that was thrown (for a RetryError, the one that held the answer). */
  readonly error: object;
}

const MAX_DEPTH = 4;

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  const get = read(headers, "get");
  // The AI SDK hands over a plain record with lower-case keys; openai-node a Headers object.
  const value = typeof get === "function" ? get.call(headers, name) : read(headers, name);
  return typeof value === "string" ? value : undefined;
}

/**
 * A client failure as isRetryable needs it: its body as the client keeps it and no headers. The
 * envelope and the headers, which only readClientError needs, stay out of a bundle of retry().
 */
interface Shape extends Omit<ClientFailure, "retryAfterMs" | "body"> {
  readonly aiSdk: boolean;
  readonly kept: unknown;
}

function shapeAt(value: unknown, depth: number): Shape | undefined {
  if (depth > MAX_DEPTH || !(value instanceof Error)) return undefined;
  // The AI SDK's RetryError: the answer that made it give up is its last error.
  if (own(value, "lastError") && Array.isArray(read(value, "errors")))
    return shapeAt(read(value, "lastError"), depth + 1);
  const verdict = read(value, "isRetryable");
  const aiSdk = typeof verdict === "boolean" && own(value, "statusCode");
  // openai-node's APIError and every subclass: status, headers and error are own fields, set even when undefined.
  if (!aiSdk && !(own(value, "status") && own(value, "headers") && own(value, "error"))) return undefined;
  const status = httpStatus(read(value, aiSdk ? "statusCode" : "status"));
  const kept = read(value, aiSdk ? "responseBody" : "error");
  // openai-node raises its status-less subclasses with their default messages.
  const message = value.message;
  return {
    kind:
      status !== undefined
        ? "http"
        : // openai-node's stream iterator throws an error event's body as a status-less APIError.
          !aiSdk && typeof kept === "object" && kept !== null
          ? "stream"
          : message === "Request was aborted."
            ? "abort"
            : message === "Request timed out."
              ? "timeout"
              : "connection",
    status,
    retryable: aiSdk ? (verdict as boolean) : undefined,
    error: value,
    aiSdk,
    kept,
  };
}

/**
 * Whether an error thrown by openai-node or the AI SDK may succeed if sent
 * again: the client's own verdict when it gives one; else 408, 409, 429 and
 * 5xx, a lost connection or a timeout; never a user's abort. Undefined for
 * any other value.
 */
export function clientRetryable(value: unknown): boolean | undefined {
  const shape = shapeAt(value, 0);
  if (!shape) return undefined;
  if (shape.kind === "abort") return false;
  const s = shape.status;
  return shape.retryable ?? (s === undefined || s === 408 || s === 409 || s === 429 || s >= 500);
}

/**
 * Reads an error thrown by openai-node (`APIError` and every subclass) or the
 * AI SDK (`APICallError`, `RetryError` through its last error), by shape.
 * Undefined for anything else. Never throws.
 */
export function readClientError(value: unknown, now?: number): ClientFailure | undefined {
  try {
    const shape = shapeAt(value, 0);
    if (!shape) return undefined;
    const { aiSdk, kept, ...failure } = shape;
    const headers = read(shape.error, aiSdk ? "responseHeaders" : "headers");
    // openai-node honours its own `retry-after-ms` before the standard header.
    const ms = header(headers, "retry-after-ms");
    const retryAfterMs =
      ms && /^\d+(\.\d+)?$/.test(ms) ? Number(ms) : parseRetryAfter(header(headers, "retry-after"), now ?? Date.now());
    // openai keeps the envelope's `error` field; put it back in its envelope.
    const body = aiSdk
      ? typeof kept === "string"
        ? kept
        : undefined
      : kept === undefined
        ? undefined
        : { error: kept };
    return { ...failure, body, retryAfterMs };
  } catch {
    return undefined;
  }
}
