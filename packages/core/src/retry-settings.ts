// retry()'s options: what they are, and how they are read and checked once, at the boundary.
import type { Jitter } from "./backoff.js";
import type { RetryPolicy } from "./catalog.js";
import { type Clock, realClock } from "./clock.js";
import type { GiveUpEvent } from "./give-up.js";
import { hasMethods, isHook, optionError } from "./options.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { RecoverHandlers } from "./recover.js";
import type { RetryBudget } from "./retry-budget.js";
import { isAbortSignal } from "./signal-registry.js";

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
 * The same rule applies to the numeric fields of `policy`. Every other option
 * is checked when `retry()` is called: a wrong one (a `signal` that is not an
 * AbortSignal, a hook that is not a function) rejects that call with a
 * `TypeError` naming it.
 */
export interface RetryOptions {
  /** An abort at any moment (during `fn`, a hook, a handler or a sleep) rejects at once with `signal.reason`. */
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
  /**
   * Replaces the decision whether to try again (by default the error's action,
   * then `isRetryable(error)`). The handler of the error's action still runs
   * before the next attempt.
   */
  shouldRetry?: ((error: unknown, attempt: number) => boolean) | undefined;
  /**
   * Called before each backoff sleep; whatever it returns is awaited. If it
   * throws or rejects, retries stop and `retry()` rejects with the error being
   * retried, annotated as on any give-up, with the hook's own failure in
   * `onRetryError`.
   */
  onRetry?: ((event: RetryEvent) => unknown) | undefined;
  /**
   * What `retry()` runs before the next attempt when a failed attempt's action
   * is `reconnect`, `reset` or `wait`. Without a `reset` handler, or a `wait`
   * handler for a code with no policy (a wait for an event), such an error is
   * not sent again.
   */
  recover?: RecoverHandlers | undefined;
  /** The most `recover` handler runs per call; 0 … 2^53−1, floored. Default 3. */
  maxRecoveries?: number;
  /** A `rateLimiter()` shared by many callers: each attempt acquires from it, and throttle errors slow every caller. */
  limiter?: RateLimiter | undefined;
  /** Called once whenever `retry()` gives up, with the reason; not awaited, and its failure is ignored. */
  onGiveUp?: ((event: GiveUpEvent) => unknown) | undefined;
  /** A budget shared by many callers, so that retries (and recoveries) cannot multiply an outage. */
  budget?: RetryBudget | undefined;
  clock?: Clock | undefined;
  random?: (() => number) | undefined;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
export const DEFAULT_MAX_RECOVERIES = 3;
export const WHERE = "retry()";

/** The options as read once, at the boundary. */
export interface Settings {
  readonly signal: AbortSignal | undefined;
  readonly budget: RetryBudget | undefined;
  readonly limiter: RateLimiter | undefined;
  readonly recover: RecoverHandlers | undefined;
  readonly shouldRetry: ((error: unknown, attempt: number) => boolean) | undefined;
  readonly idempotent: boolean;
  readonly onRetry: ((event: RetryEvent) => unknown) | undefined;
  readonly onGiveUp: ((event: GiveUpEvent) => unknown) | undefined;
  readonly clock: Clock;
  readonly random: () => number;
  readonly options: RetryOptions;
}

const FUNCTION = "a function";
// Every option that is not a number, after the signal: what it must be, in the TypeError's words, and for
// an object the methods it must have (a hook is a function; `recover` any object, its handlers checked after).
const CHECKED = [
  ["shouldRetry", FUNCTION],
  ["onRetry", FUNCTION],
  ["onGiveUp", FUNCTION],
  ["random", FUNCTION],
  ["recover", "an object", []],
  ["budget", "a retryBudget() (tryAcquire and succeeded)", ["tryAcquire", "succeeded"]],
  ["limiter", "a rateLimiter() (acquire, succeeded and throttled)", ["acquire", "succeeded", "throttled"]],
  ["clock", "a clock (setTimeout and clearTimeout)", ["setTimeout", "clearTimeout"]],
] as const;
const HANDLERS = ["reconnect", "reset", "wait"] as const;

type Read = Omit<Settings, "idempotent" | "options" | "clock" | "random"> & Pick<RetryOptions, "clock" | "random">;

const wrong = (name: string, expected: string): TypeError => optionError(WHERE, `options.${name}`, expected);

/**
 * Reads and checks every option that is not a number. Throws a TypeError
 * naming the first wrong one; a hostile getter's own throw passes through.
 */
export function readSettings(options: RetryOptions): Settings {
  if (typeof options !== "object" || options === null)
    throw optionError(WHERE, "options", `an object (got ${options === null ? "null" : typeof options})`);
  // Each option is read once and checked as read: a getter cannot pass the check with one value and hand over another.
  const { signal } = options;
  if (signal !== undefined && !isAbortSignal(signal))
    throw wrong("signal", "an AbortSignal (pass controller.signal, not the controller)");
  const read: Record<string, unknown> = { signal };
  for (const [name, expected, methods] of CHECKED) {
    const value = options[name];
    read[name] = value;
    if (!(methods ? hasMethods(value, methods) : isHook(value))) throw wrong(name, expected);
  }
  const { recover, clock, random } = read as Read;
  for (const name of HANDLERS)
    if (recover !== undefined && !isHook(recover[name])) throw wrong(`recover.${name}`, FUNCTION);
  return {
    ...(read as Read),
    idempotent: options.idempotent === true,
    clock: clock ?? realClock,
    random: random ?? Math.random,
    options,
  };
}

// No options: nothing to read, so nothing that could throw.
export const NO_SETTINGS: Settings = /* @__PURE__ */ readSettings({});
