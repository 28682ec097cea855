import { backoffDelay, DEFAULT_POLICY, type Jitter } from "./backoff.js";
import type { RetryPolicy } from "./catalog.js";
import { isRetryable } from "./classify.js";
import { isProtocolError } from "./error.js";

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

/**
 * Options of {@link retry}.
 *
 * Every numeric option is sanitized by one rule: a value that is missing, not
 * a number or NaN takes the default; any other number is clamped into the
 * option's range (attempts to 1 … 2^53−1, floored; delays to 0 … 2^31−1 ms).
 * The same rule applies to the numeric fields of `policy`.
 */
export interface RetryOptions {
  /** An abort at any moment (during `fn`, `onRetry` or a backoff sleep) rejects at once with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /** Upper bound on attempts, the first included; a code's own limit can only lower it. Default 5. */
  maxAttempts?: number;
  /** Lower bound on every computed backoff delay, in ms. Default 0. */
  minDelayMs?: number;
  /** Upper bound on every computed backoff delay, in ms; wins over `minDelayMs` (a server hint follows `maxRetryAfterMs`). */
  maxDelayMs?: number;
  /** Clamp on server `retryAfterMs` hints, so a hostile server cannot park the caller. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Overrides the jitter of every policy, e.g. `"none"` for exact delays. */
  jitter?: Jitter;
  /** Backoff for errors whose catalog entry has no policy of its own. */
  policy?: RetryPolicy;
  /**
   * The operation is safe to repeat even after output was delivered: an error
   * that arrived mid-stream (`err.midStream`) may then be retried. Default false:
   * a retry after the first token would send the prompt, and bill it, twice.
   */
  idempotent?: boolean;
  /** Replaces the default decision, `isRetryable(error)`, on whether to retry. */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /**
   * Called before each backoff sleep. If it throws or rejects, retries stop and
   * `retry()` rejects with the error being retried, annotated as on any give-up,
   * with the hook's own failure in `onRetryError`.
   */
  onRetry?: (event: RetryEvent) => void | Promise<void>;
  /** A budget shared by many callers, so that retries cannot multiply an outage. */
  budget?: RetryBudget;
  clock?: Clock;
  random?: () => number;
}

// Timers cannot sleep longer than 2^31-1 ms; longer values fire at once.
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * The sanitizing rule of every numeric retry option: missing, non-number or
 * NaN gives `fallback`; any other number is clamped into `[min, max]`.
 */
function clampOption(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value !== "number" || Number.isNaN(value) ? fallback : Math.min(max, Math.max(min, value));
}

const attemptsOption = (value: unknown, fallback: number): number =>
  Math.floor(clampOption(value, 1, Number.MAX_SAFE_INTEGER, fallback));
const delayOption = (value: unknown, fallback: number): number => clampOption(value, 0, MAX_TIMER_MS, fallback);

const systemClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Options of {@link RetryBudget}, sanitized like {@link RetryOptions}: missing,
 * non-number or NaN gives the default, other numbers are clamped into range.
 */
export interface RetryBudgetOptions {
  /** Tokens available for retries when nothing has succeeded yet; 0 … 2^53−1. Default 10. */
  capacity?: number;
  /** Tokens one retry costs; must be positive (0 or less would make retries free), else the default 1. */
  retryCost?: number;
  /** Tokens one success gives back, up to capacity; 0 … capacity. Default 0.1 (one retry per ten successes). */
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
export function retryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const capacity = clampOption(options.capacity, 0, Number.MAX_SAFE_INTEGER, 10);
  // A free retry would let a storm through untouched: 0 or less means the default.
  const retryCost = clampOption(options.retryCost, 0, Number.MAX_SAFE_INTEGER, 1) || 1;
  const successRefund = clampOption(options.successRefund, 0, capacity, 0.1);
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

function annotate(error: unknown, fields: Record<string, unknown>): void {
  try {
    // defineProperty, not assignment: the fields are read-only on ProtocolError.
    for (const [key, value] of Object.entries(fields))
      Object.defineProperty(error, key, { value, configurable: true, enumerable: true });
  } catch {
    // primitives, frozen or hostile errors are rethrown as they are
  }
}

/**
 * Settles like `value`, or rejects with the signal's reason (which abort()
 * always sets) the moment it aborts: an attempt, a hook or a sleep that never
 * settles cannot hold the caller.
 */
function abortable<T>(
  value: T | PromiseLike<T>,
  signal: AbortSignal | undefined,
  cleanup?: () => void,
): Promise<Awaited<T>> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cleanup?.();
      reject(signal?.reason);
    };
    const settle =
      <V>(then: (v: V) => void) =>
      (v: V) => {
        signal?.removeEventListener("abort", onAbort);
        then(v);
      };
    // Handlers go on first, so that a value which rejects after the abort is
    // still handled rather than reported as an unhandled rejection.
    Promise.resolve(value).then(settle(resolve), settle(reject));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
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
 * Runs `fn(attempt, signal)` until it succeeds, the error's classification
 * says stop, attempts run out, the budget is spent, or `signal` aborts (at
 * once, whatever is pending). Delays follow the catalog's per-code policy and
 * honour clamped server hints. On giving up it rejects with the last error,
 * annotated with `attempts` and `totalDelayMs`.
 */
export function retry<T>(
  fn: (attempt: number, signal: AbortSignal) => T | Promise<T>,
  options?: RetryOptions,
): Promise<T> {
  // No options: nothing to read, so nothing that could throw; straight to the first attempt.
  if (options === undefined) return firstAttempt(fn, NO_OPTIONS, undefined);
  try {
    const { signal, budget } = options;
    if (signal === undefined) return firstAttempt(fn, options, budget);
  } catch (error) {
    // Hostile options reject, as anywhere else in retry().
    return Promise.reject(error);
  }
  return loop(fn, options);
}

/**
 * The first attempt, when there is no signal to race, costs what any wrapper
 * must: fn is called as it is and only a rejection handler is attached. The
 * loop takes over from the first failure.
 */
function firstAttempt<T>(
  fn: (attempt: number, signal: AbortSignal) => T | Promise<T>,
  opts: RetryOptions,
  budget: RetryBudget | undefined,
): Promise<T> {
  let fnSignal: AbortSignal | undefined;
  let value: T | Promise<T>;
  try {
    fnSignal = signalFor(fn);
    value = fn(1, fnSignal);
  } catch (error) {
    // A throwing fn (or a hostile one whose length throws: the loop meets it again and rejects).
    return loop(fn, opts, fnSignal, { error });
  }
  // Each step here is measured: Promise.resolve on a native promise, or a
  // fulfilment handler when there is no budget, costs about 20% of the call.
  const promise = (value instanceof Promise ? value : Promise.resolve(value)) as Promise<Awaited<T>>;
  const failed = (error: unknown) => loop(fn, opts, fnSignal, { error });
  return (
    budget === undefined
      ? promise.then(undefined, failed)
      : promise.then((done) => {
          budget.succeeded();
          return done;
        }, failed)
  ) as Promise<T>;
}

let idle: AbortSignal | undefined;
// The default options, shared rather than allocated per call on the fast path.
const NO_OPTIONS: RetryOptions = {};

/**
 * The signal fn gets when the caller passed none: always a real one, so that
 * `fetch(url, { signal })` type-checks under exactOptionalPropertyTypes. A new
 * AbortSignal costs about 15 µs in Node 20, more than the rest of a call, so
 * only an fn that declares the parameter gets its own; any other shares one
 * that never aborts, which it cannot tell apart.
 */
function signalFor(fn: (...args: never) => unknown): AbortSignal {
  if (fn.length > 1) return new AbortController().signal;
  idle ??= new AbortController().signal;
  return idle;
}

/** retry()'s loop; `first` is the failure of an attempt 1 already made. */
async function loop<T>(
  fn: (attempt: number, signal: AbortSignal) => T | Promise<T>,
  options: RetryOptions,
  fnSignal: AbortSignal = options.signal ?? signalFor(fn),
  first?: { error: unknown },
): Promise<T> {
  const { signal, budget } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const ceiling = attemptsOption(options.maxAttempts, DEFAULT_POLICY.maxAttempts);
  const maxHint = delayOption(options.maxRetryAfterMs, DEFAULT_MAX_RETRY_AFTER_MS);
  const minDelay = delayOption(options.minDelayMs, 0);
  const maxDelay = delayOption(options.maxDelayMs, MAX_TIMER_MS);
  let totalDelayMs = 0;
  let previousMs: number | undefined;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw signal.reason;
    try {
      if (first && attempt === 1) throw first.error;
      const value = await abortable(fn(attempt, fnSignal), signal);
      budget?.succeeded();
      return value;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const policy = policyFor(error, options.policy);
      const limit = Math.min(ceiling, attemptsOption(policy.maxAttempts, ceiling));
      // After the response began, a retry repeats delivered work: only an idempotent call may.
      const repeats = isProtocolError(error) && error.midStream === true && options.idempotent !== true;
      const wanted = !repeats && (options.shouldRetry ?? isRetryable)(error, attempt);
      if (!wanted || attempt >= limit || (budget && !budget.tryAcquire())) {
        annotate(error, { attempts: attempt, totalDelayMs });
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
                minDelay,
              ),
              maxDelay,
            );
      previousMs = delayMs;
      try {
        await abortable(options.onRetry?.({ error, attempt, delayMs }), signal);
      } catch (onRetryError) {
        if (signal?.aborted) throw signal.reason;
        // The error being retried is what the caller handles; the hook's
        // failure rides along instead of replacing it.
        annotate(error, { attempts: attempt, totalDelayMs, onRetryError });
        throw error;
      }
      let timer: unknown;
      await abortable(
        new Promise<void>((resolve) => {
          timer = clock.setTimeout(resolve, delayMs);
        }),
        signal,
        () => clock.clearTimeout(timer),
      );
      totalDelayMs += delayMs;
    }
  }
}
