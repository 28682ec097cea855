// What a parser takes besides its input, read without trusting it.
import { field } from "./field.js";
import { retryHintMs } from "./retry-hint.js";
import { httpStatus } from "./status.js";

/** What a parser takes besides its input: the transport's status and retry hint, and whether to take a stack. */
export interface ParseContext {
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** The payload arrived on a stream after the response began (an SSE error event); the error says `midStream`. */
  readonly midStream?: boolean;
  /**
   * `false` skips the stack trace: `err.stack` is its first line only. The
   * capture is most of a parse's cost; bulk and classify-only paths need none.
   * Default `true`: the stack's first frame is `parseError`'s own, the second the caller's.
   */
  readonly stack?: boolean;
}

/**
 * A parser's `context`, read without trusting it: `null`, a hostile Proxy or
 * a throwing getter give `{}`; a status must be an integer from 100 to 599,
 * a hint a non-negative number (one too large is clamped, by `retryHintMs`);
 * only `stack: false` turns the stack off.
 */
export function readContext(context: unknown): ParseContext {
  const status = field(context, "status");
  const retryAfterMs = field(context, "retryAfterMs");
  return {
    midStream: field(context, "midStream") === true || undefined,
    status: httpStatus(status),
    retryAfterMs: retryHintMs(retryAfterMs),
    // Only an explicit false turns it off: anything else keeps the default.
    stack: field(context, "stack") === false ? false : undefined,
  };
}
