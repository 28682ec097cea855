// Types shared by the catalog, the error class and backoff; a module of its own so that none of them imports another.

/** How a backoff delay is randomised. */
export type Jitter = "full" | "equal" | "decorrelated" | "none";

/** Per-code backoff; any field left out takes the default of `retry()`. */
export interface RetryPolicy {
  /** First delay before jitter, in ms. */
  readonly baseMs?: number;
  /** Growth per attempt. */
  readonly factor?: number;
  /** No delay is ever longer than this, in ms. */
  readonly capMs?: number;
  /** No delay is ever shorter than this, in ms (the cap still wins). */
  readonly minDelayMs?: number;
  /** Attempts in all, the first included, unless the caller lowers it. */
  readonly maxAttempts?: number;
  /** How delays are randomised. */
  readonly jitter?: Jitter;
}
