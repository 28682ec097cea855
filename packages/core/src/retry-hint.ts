// A server's retry hint, one rule for every source: the Retry-After header,
// a body's seconds field (CKG's retry_after, Teale's retryAfterSeconds), a
// client library's retry-after-ms, a caller's context.

/**
 * A server's retry hint in ms, as every wirefault error keeps it: a
 * non-negative number. One too large for a number of ms (past 2^53−1, up to
 * Infinity) is clamped to 2^53−1 ms, never dropped, so that `retry()`'s
 * `maxRetryAfterMs` applies to it and a larger hint never means a shorter
 * wait. A negative number, NaN or anything else is no hint: undefined.
 */
export function retryHintMs(ms: unknown): number | undefined {
  // +0 turns a -0 into 0.
  return typeof ms === "number" && ms >= 0 ? Math.min(ms, Number.MAX_SAFE_INTEGER) + 0 : undefined;
}

/** A hint sent in seconds, as ms by the rule of {@link retryHintMs}. */
export function retryHintFromSeconds(seconds: unknown): number | undefined {
  return typeof seconds === "number" ? retryHintMs(seconds * 1000) : undefined;
}
