import { clientRetryable } from "./client.js";
import { isProtocolError } from "./error.js";
import { read } from "./field.js";
import { failureOf, isFetchFailure } from "./network.js";

const MAX_DEPTH = 8;

// Along the cause chain, the first that says something wins: a wirefault error, openai-node or the
// AI SDK (before the cause, which for a lost connection is the fetch failure it wraps), then the
// network table (network.ts), which every parser and transport binding reads too.
function verdict(value: unknown, depth: number): boolean | undefined {
  if (depth > MAX_DEPTH || typeof value !== "object" || value === null) return undefined;
  if (isProtocolError(value)) return value.retryable !== "no";
  if (read(value, "name") === "AbortError") return false;
  const client = clientRetryable(value);
  if (client !== undefined) return client;
  const failure = failureOf(value);
  // Every failure in the table may pass; only the caller's own abort may not.
  if (failure !== undefined) return failure !== "aborted";
  const inner = verdict(read(value, "cause"), depth + 1);
  if (inner !== undefined) return inner;
  return isFetchFailure(value) ? true : undefined;
}
/**
 * True when sending the same request again may succeed: a ProtocolError
 * whose `retryable` is not "no", a platform network failure or timeout, or an
 * openai-node / AI SDK error with status 408, 409, 429 or 5xx (the AI SDK's
 * own `isRetryable` wins). Aborts and everything else are false. Never throws.
 */
export function isRetryable(error: unknown): boolean {
  try {
    return verdict(error, 0) === true;
  } catch {
    return false;
  }
}
