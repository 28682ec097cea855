// What a parser takes besides its input, read without trusting it.
import { field } from "./field.js";
import { httpStatus } from "./status.js";

/** What a parser takes besides its input: the transport's status and retry hint. */
export interface ParseContext {
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** The payload arrived on a stream after the response began (an SSE error event); the error says `midStream`. */
  readonly midStream?: boolean;
}

/**
 * A parser's `context`, read without trusting it: `null`, a hostile Proxy or
 * a throwing getter give `{}`; a status must be an integer from 100 to 599,
 * a hint a finite non-negative number.
 */
export function readContext(context: unknown): ParseContext {
  const status = field(context, "status");
  const retryAfterMs = field(context, "retryAfterMs");
  return {
    midStream: field(context, "midStream") === true || undefined,
    status: httpStatus(status),
    retryAfterMs:
      typeof retryAfterMs === "number" && retryAfterMs >= 0 && retryAfterMs < Infinity ? retryAfterMs : undefined,
  };
}
