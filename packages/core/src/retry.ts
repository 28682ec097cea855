import { backoffDelay, DEFAULT_POLICY, type Jitter } from "./backoff.js";
import type { RetryPolicy } from "./catalog.js";
import { isRetryable } from "./classify.js";
import { isProtocolError, sanitizeDelay } from "./error.js";

/** Time source for `retry()`; inject a fake one in tests. */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What `onRetry` is told before each backoff sleep. */
export interface RetryEvent {
  readonly error: unknown;
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Aborting rejects at once, even in the middle of a backoff sleep. */
  signal?: AbortSignal;
  /** Upper bound on attempts, the first included; a code's own limit can only lower it. Default 5. */
  maxAttempts?: number;
  /** Lower bound on every backoff delay, in ms. */
  minDelayMs?: number;
  /** Upper bound on computed backoff delays, in ms (a server hint replaces the backoff and follows `maxRetryAfterMs`). */
  maxDelayMs?: number;
  /** Clamp on server `retryAfterMs` hints, so a hostile server cannot park the caller. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Overrides the jitter of every policy, e.g. `"none"` for exact delays. */
  jitter?: Jitter;
  /** Backoff for errors whose catalog entry has no policy of its own. */
  policy?: RetryPolicy;
  /** Replaces the default decision, `isRetryable(error)`, on whether to retry. */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Called before each backoff sleep. */
  onRetry?: (event: RetryEvent) => void | Promise<void>;
  /** A budget shared by many callers, so that retries cannot multiply an outage. */
  budget?: RetryBudget;
  clock?: Clock;
  random?: () => number;
}

// Timers cannot sleep longer than 2^31-1 ms; longer values fire at once.
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

const systemClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Options of {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** Tokens available for retries when nothing has succeeded yet. Default 10. */
  capacity?: number;
  /** Tokens one retry costs. Default 1. */
  retryCost?: number;
  /** Tokens one success gives back, up to capacity. Default 0.1 (one retry per ten successes). */
  successRefund?: number;
}

/** A token bucket shared by many `retry()` callers. */
export interface RetryBudget {
  /** Tokens left. */
  readonly tokens: number;
  /** Spends one retry's tokens; false when the budget cannot afford it. */
  tryAcquire(): boolean;
  /** Records a success, refunding some tokens up to capacity. */
  succeeded(): void;
}

/**
 * A retry budget: a retry spends tokens, a success refunds some. When it is
 * empty, callers fail fast instead of multiplying a server's outage.
 */
export function retryBudget({
  capacity = 10,
  retryCost = 1,
  successRefund = 0.1,
}: RetryBudgetOptions = {}): RetryBudget {
  let tokens = capacity;
  return {
    get tokens() {
      return tokens;
    },
    tryAcquire() {
      if (tokens < retryCost) return false;
      tokens -= retryCost;
      return true;
    },
    succeeded() {
      tokens = Math.min(capacity, tokens + successRefund);
    },
  };
}

function annotate(error: unknown, attempts: number, totalDelayMs: number): void {
  try {
    // defineProperty, not assignment: the fields are read-only on ProtocolError.
    for (const [key, value] of Object.entries({ attempts, totalDelayMs }))
      Object.defineProperty(error, key, { value, configurable: true, enumerable: true });
  } catch {
    // primitives, frozen or hostile errors are rethrown as they are
  }
}

// AbortController.abort() always sets a reason (an AbortError DOMException by default).
const abortReason = (signal: AbortSignal): unknown => signal.reason;

function sleep(ms: number, clock: Clock, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(abortReason(signal as AbortSignal));
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The policy `retry()` applies to an error: the caller's, then the code's; gaps take the defaults. */
export function policyFor(error: unknown, fallback: RetryPolicy = {}): RetryPolicy {
  if (!isProtocolError(error)) return fallback;
  const own = error.policy ?? {};
  // "maybe" means one more try is reasonable, not a loop: unless the catalog
  // says otherwise, it gets a single retry.
  const maybe = error.retryable === "maybe" && own.maxAttempts === undefined ? { maxAttempts: 2 } : {};
  return { ...fallback, ...maybe, ...own };
}

/**
 * Runs `fn(attempt)` until it succeeds, the error's classification says
 * stop, attempts run out, the budget is spent, or `signal` aborts. Delays
 * follow the catalog's per-code policy and honour clamped server hints.
 * On giving up it rejects with the last error, annotated with `attempts`
 * and `totalDelayMs`.
 */
export async function retry<T>(fn: (attempt: number) => T | Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { signal, budget } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const ceiling = Math.max(1, options.maxAttempts ?? DEFAULT_POLICY.maxAttempts);
  const maxHint = sanitizeDelay(options.maxRetryAfterMs) ?? DEFAULT_MAX_RETRY_AFTER_MS;
  let totalDelayMs = 0;
  let previousMs: number | undefined;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      const value = await fn(attempt);
      budget?.succeeded();
      return value;
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      const policy = policyFor(error, options.policy);
      const limit = Math.min(ceiling, policy.maxAttempts ?? ceiling);
      const wanted = (options.shouldRetry ?? isRetryable)(error, attempt);
      if (!wanted || attempt >= limit || (budget && !budget.tryAcquire())) {
        annotate(error, attempt, totalDelayMs);
        throw error;
      }
      // The server's own hint replaces the computed backoff: it knows when it
      // will take the request again. Clamped, so it cannot park the caller.
      const hint = isProtocolError(error) ? error.retryAfterMs : undefined;
      const delayMs =
        hint !== undefined
          ? Math.min(hint, maxHint)
          : Math.min(
              Math.max(
                backoffDelay(
                  attempt,
                  options.jitter ? { ...policy, jitter: options.jitter } : policy,
                  random,
                  previousMs,
                ),
                options.minDelayMs ?? 0,
              ),
              options.maxDelayMs ?? Infinity,
            );
      previousMs = delayMs;
      await options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, clock, signal);
      totalDelayMs += delayMs;
    }
  }
}
