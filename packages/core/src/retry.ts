import { backoffDelay, DEFAULT_POLICY, type Jitter } from "./backoff.js";
import type { RetryPolicy } from "./catalog.js";
import { isRetryable } from "./classify.js";
import { type Clock, realClock } from "./clock.js";
import { isProtocolError, type RecoveryAction } from "./error.js";
import { type GiveUpEvent, type GiveUpReason, notifyGiveUp } from "./give-up.js";
import { countOption, delayOption, hasMethods, isHook, MAX_TIMER_MS, optionError } from "./options.js";
import type { RateLimiter } from "./rate-limiter.js";
import { RECOVERY_PLAN, type RecoverHandler, type RecoverHandlers, type RecoveryStep } from "./recover.js";
import type { RetryBudget } from "./retry-budget.js";
import { isAbortSignal, onAbort } from "./signal-registry.js";

export type { Clock } from "./clock.js";

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

const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
const DEFAULT_MAX_RECOVERIES = 3;
const WHERE = "retry()";

/** The options as read once, at the boundary. */
interface Settings {
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

const HOOKS = ["shouldRetry", "onRetry", "onGiveUp", "random"] as const;
const HANDLERS = ["reconnect", "reset", "wait"] as const;

/**
 * Reads and checks every option that is not a number. Throws a TypeError
 * naming the first wrong one; a hostile getter's own throw passes through.
 */
function readSettings(options: RetryOptions): Settings {
  if (typeof options !== "object" || options === null)
    throw optionError(WHERE, "options", `an object (got ${options === null ? "null" : typeof options})`);
  const { signal, budget, limiter, recover, clock } = options;
  if (signal !== undefined && !isAbortSignal(signal))
    throw optionError(WHERE, "options.signal", "an AbortSignal (pass controller.signal, not the controller)");
  for (const hook of HOOKS) if (!isHook(options[hook])) throw optionError(WHERE, `options.${hook}`, "a function");
  if (recover !== undefined) {
    if (typeof recover !== "object" || recover === null) throw optionError(WHERE, "options.recover", "an object");
    for (const name of HANDLERS)
      if (!isHook(recover[name])) throw optionError(WHERE, `options.recover.${name}`, "a function");
  }
  if (!hasMethods(budget, ["tryAcquire", "succeeded"]))
    throw optionError(WHERE, "options.budget", "a retryBudget() (tryAcquire and succeeded)");
  if (!hasMethods(limiter, ["acquire", "succeeded", "throttled"]))
    throw optionError(WHERE, "options.limiter", "a rateLimiter() (acquire, succeeded and throttled)");
  if (!hasMethods(clock, ["setTimeout", "clearTimeout"]))
    throw optionError(WHERE, "options.clock", "a clock (setTimeout and clearTimeout)");
  return {
    signal,
    budget,
    limiter,
    recover,
    shouldRetry: options.shouldRetry,
    idempotent: options.idempotent === true,
    onRetry: options.onRetry,
    onGiveUp: options.onGiveUp,
    clock: clock ?? realClock,
    random: options.random ?? Math.random,
    options,
  };
}

// No options: nothing to read, so nothing that could throw.
const NO_SETTINGS: Settings = /* @__PURE__ */ Object.freeze({
  signal: undefined,
  budget: undefined,
  limiter: undefined,
  recover: undefined,
  shouldRetry: undefined,
  idempotent: false,
  onRetry: undefined,
  onGiveUp: undefined,
  clock: realClock,
  random: Math.random,
  options: {},
});

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
 * settles cannot hold the caller. The signal is watched through the registry,
 * so a thousand calls on one signal cost it one listener.
 */
function abortable<T>(
  value: T | PromiseLike<T>,
  signal: AbortSignal | undefined,
  cleanup?: () => void,
): Promise<Awaited<T>> {
  if (signal === undefined) return Promise.resolve(value) as Promise<Awaited<T>>;
  return new Promise((resolve, reject) => {
    let leave: (() => void) | undefined;
    const settle =
      <V>(then: (v: V) => void) =>
      (v: V) => {
        leave?.();
        then(v);
      };
    // Handlers go on first, so that a value which rejects after the abort is
    // still handled rather than reported as an unhandled rejection.
    Promise.resolve(value).then(settle(resolve), settle(reject));
    const aborted = () => {
      cleanup?.();
      reject(signal.reason);
    };
    if (signal.aborted) aborted();
    else leave = onAbort(signal, aborted);
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
 * Runs `fn(attempt, signal)` until it succeeds or gives up. After a failed
 * attempt the error's recovery action decides (core's README has the table):
 * a retry or a throttle backs off and tries again; a reconnect backs off,
 * runs `recover.reconnect` when given, and tries again; a reset or a wait runs
 * its `recover` handler first, and without one is not sent again (a wait whose
 * code has a policy polls by it instead); fix-request, user-action and abort
 * give up. Delays follow the catalog's per-code policy and honour clamped
 * server hints. On giving up it calls `onGiveUp` with the reason and rejects
 * with the last error, annotated with `attempts` and `totalDelayMs`; on an
 * abort it rejects with the signal's reason at once, whatever is pending.
 */
export function retry<T>(
  fn: (attempt: number, signal: AbortSignal) => T | Promise<T>,
  options?: RetryOptions,
): Promise<T> {
  // No options: nothing to read, so nothing that could throw; straight to the first attempt.
  if (options === undefined) return firstAttempt(fn, NO_SETTINGS);
  let settings: Settings;
  try {
    settings = readSettings(options);
  } catch (error) {
    // Wrong or hostile options reject, as anywhere else in retry().
    return Promise.reject(error);
  }
  if (settings.signal === undefined && settings.limiter === undefined) return firstAttempt(fn, settings);
  return loop(fn, settings);
}

/**
 * The first attempt, when there is no signal to race and no limiter to wait
 * on, costs what any wrapper must: fn is called as it is and only a rejection
 * handler is attached. The loop takes over from the first failure.
 */
function firstAttempt<T>(fn: (attempt: number, signal: AbortSignal) => T | Promise<T>, s: Settings): Promise<T> {
  let fnSignal: AbortSignal | undefined;
  const failed = (error: unknown) => loop(fn, s, fnSignal, { error });
  try {
    fnSignal = signalFor(fn);
    const value = fn(1, fnSignal);
    // Each step here is measured: Promise.resolve on a native promise, or a
    // fulfilment handler when there is no budget, costs about 20% of the call.
    // A Promise subclass is adopted by a native promise, so that its own
    // `then` runs later, where a throw is a rejection, never a throw from retry().
    const promise =
      value instanceof Promise && Object.getPrototypeOf(value) === Promise.prototype ? value : Promise.resolve(value);
    const { budget } = s;
    return (
      budget === undefined
        ? Promise.prototype.then.call(promise, undefined, failed)
        : Promise.prototype.then.call(
            promise,
            (done) => {
              succeeded(budget, undefined, undefined);
              return done;
            },
            failed,
          )
    ) as Promise<T>;
  } catch (error) {
    // A throwing fn (or a hostile one whose length throws: the loop meets it again and rejects).
    return failed(error);
  }
}

/** Books a success; a budget or limiter that throws doing so cannot turn the success into a failure. */
function succeeded(
  budget: RetryBudget | undefined,
  limiter: RateLimiter | undefined,
  ticket: number | undefined,
): void {
  try {
    budget?.succeeded();
    limiter?.succeeded(ticket);
  } catch {
    // bookkeeping only: the caller's value is what matters
  }
}

let idle: AbortSignal | undefined;

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

/** What the table and the caller's hooks decide after a failed attempt. */
interface Decision {
  /** Try again; otherwise give up for `reason`. */
  readonly again: boolean;
  readonly reason: GiveUpReason;
  /** The `recover` handler to run before the next attempt. */
  readonly handler: RecoverHandler | undefined;
  readonly step: RecoveryStep | undefined;
}

/** The action of an error, when it is one of the eight. */
function actionOf(error: unknown): RecoveryAction | undefined {
  if (!isProtocolError(error)) return undefined;
  const action = error.action;
  return Object.hasOwn(RECOVERY_PLAN, action) ? action : undefined;
}

/** Reads RECOVERY_PLAN for the error's action; `shouldRetry`, when given, replaces the verdict but not the handler. */
function decide(error: unknown, attempt: number, s: Settings): Decision {
  const action = actionOf(error);
  const step = action === undefined ? undefined : RECOVERY_PLAN[action];
  const handler = step?.handler === undefined ? undefined : s.recover?.[step.handler];
  // After the response began, a retry repeats delivered work: only an idempotent call may.
  if (!s.idempotent && isProtocolError(error) && error.midStream === true)
    return { again: false, reason: "not-retryable", handler: undefined, step };
  if (s.shouldRetry !== undefined)
    return { again: Boolean(s.shouldRetry(error, attempt)), reason: "not-retryable", handler, step };
  if (step === undefined) return { again: isRetryable(error), reason: "not-retryable", handler, step };
  // The handler performs what the row asks for, so even a `retryable: "no"` reset may go again.
  if (handler !== undefined) return { again: true, reason: "not-retryable", handler, step };
  switch (step.unhandled) {
    case "classify":
      return { again: isRetryable(error), reason: "not-retryable", handler, step };
    case "policy-or-give-up":
      // A row with a policy is a poll: wait as it says. Without one, the wait is for an event.
      return isProtocolError(error) && error.policy !== undefined
        ? { again: isRetryable(error), reason: "not-retryable", handler, step }
        : { again: false, reason: "no-handler", handler, step };
    case "give-up":
      return { again: false, reason: "no-handler", handler, step };
    case "never":
      return { again: false, reason: "not-retryable", handler, step };
  }
}

/** retry()'s loop; `first` is the failure of an attempt 1 already made. */
async function loop<T>(
  fn: (attempt: number, signal: AbortSignal) => T | Promise<T>,
  s: Settings,
  fnSignal: AbortSignal = s.signal ?? signalFor(fn),
  first?: { error: unknown },
): Promise<T> {
  const { signal, budget, limiter, clock, options } = s;
  const ceiling = countOption(options.maxAttempts, 1, DEFAULT_POLICY.maxAttempts);
  const maxRecoveries = countOption(options.maxRecoveries, 0, DEFAULT_MAX_RECOVERIES);
  const maxHint = delayOption(options.maxRetryAfterMs, DEFAULT_MAX_RETRY_AFTER_MS);
  const minDelay = delayOption(options.minDelayMs, 0);
  const maxDelay = delayOption(options.maxDelayMs, MAX_TIMER_MS);
  let totalDelayMs = 0;
  let previousMs: number | undefined;
  let attempts = 0;
  let recoveries = 0;
  let lastError: unknown;
  let failed = false;

  const giveUp = (error: unknown, reason: GiveUpReason, extra?: Record<string, unknown>): unknown => {
    annotate(error, { attempts, totalDelayMs, ...extra });
    notifyGiveUp(s.onGiveUp, { error, attempts, recoveries, reason });
    return error;
  };
  // The rejection is the signal's reason, as fetch's is; the last error reaches onGiveUp.
  const aborted = (): unknown => {
    const reason = (signal as AbortSignal).reason;
    notifyGiveUp(s.onGiveUp, { error: failed ? lastError : reason, attempts, recoveries, reason: "aborted" });
    return reason;
  };

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted();
    let error: unknown;
    let ticket: number | undefined;
    try {
      if (first && attempt === 1) {
        attempts = 1;
        throw first.error;
      }
      if (limiter !== undefined) {
        try {
          ticket = await abortable(limiter.acquire(signal), signal);
        } catch (limiterError) {
          if (signal?.aborted) throw aborted();
          throw giveUp(limiterError, "hook-failed");
        }
      }
      attempts = attempt;
      const value = await abortable(fn(attempt, fnSignal), signal);
      succeeded(budget, limiter, ticket);
      return value;
    } catch (caught) {
      if (attempts < attempt) throw caught;
      error = caught;
    }
    // An attempt's own failure is kept for onGiveUp even when the signal aborted as it failed;
    // the signal's reason, when the abort cut the attempt off, is not an attempt's failure.
    if (!(signal?.aborted && error === signal.reason)) {
      lastError = error;
      failed = true;
    }
    if (signal?.aborted) throw aborted();
    const hint = isProtocolError(error) ? error.retryAfterMs : undefined;
    const action = actionOf(error);
    if (action === "throttle" && limiter !== undefined) {
      try {
        limiter.throttled(ticket, hint === undefined ? undefined : Math.min(hint, maxHint));
      } catch (limiterError) {
        throw giveUp(error, "hook-failed", { limiterError });
      }
    }

    let decision: Decision;
    try {
      decision = decide(error, attempt, s);
    } catch (shouldRetryError) {
      throw giveUp(error, "hook-failed", { shouldRetryError });
    }
    const { handler, step } = decision;
    if (!decision.again) throw giveUp(error, decision.reason);
    const policy = policyFor(error, options.policy);
    const limit = Math.min(ceiling, countOption(policy.maxAttempts, 1, ceiling));
    if (attempt >= limit) throw giveUp(error, "exhausted");
    if (handler !== undefined && recoveries >= maxRecoveries) throw giveUp(error, "exhausted");
    // The retry spends a token, and so does a handler's run.
    if (budget !== undefined && !budget.tryAcquire()) throw giveUp(error, "budget");
    if (handler !== undefined && budget !== undefined && !budget.tryAcquire()) throw giveUp(error, "budget");

    // A reset or a wait with its handler does not back off: the handler is the wait.
    const backoff = handler === undefined || step?.backoff !== false;
    // The server's own hint replaces the computed backoff, and is kept before
    // any handler: it knows when it will take the request again. Clamped, so
    // it cannot park the caller. Without one, a limiter paces a throttle for
    // every caller instead.
    const paced = hint === undefined && action === "throttle" && limiter !== undefined;
    const sleeps = (backoff || hint !== undefined) && !paced;
    const delayMs = !sleeps
      ? 0
      : hint !== undefined
        ? Math.min(hint, maxHint)
        : Math.min(
            Math.max(
              backoffDelay(
                attempt,
                options.jitter ? { ...policy, jitter: options.jitter } : policy,
                s.random,
                previousMs,
              ),
              minDelay,
            ),
            maxDelay,
          );
    if (sleeps) previousMs = delayMs;
    try {
      await abortable(s.onRetry?.({ error, attempt, delayMs }), signal);
    } catch (onRetryError) {
      if (signal?.aborted) throw aborted();
      // The error being retried is what the caller handles; the hook's
      // failure rides along instead of replacing it.
      throw giveUp(error, "hook-failed", { onRetryError });
    }
    if (sleeps) {
      let timer: unknown;
      try {
        await abortable(
          new Promise<void>((resolve) => {
            timer = clock.setTimeout(resolve, delayMs);
          }),
          signal,
          () => clock.clearTimeout(timer),
        );
      } catch (sleepError) {
        if (signal?.aborted) throw aborted();
        throw giveUp(sleepError, "hook-failed");
      }
      totalDelayMs += delayMs;
    }
    if (handler !== undefined) {
      recoveries++;
      try {
        await abortable(handler(error, { attempt, signal: fnSignal }), signal);
      } catch (recoverError) {
        if (signal?.aborted) throw aborted();
        throw giveUp(error, "handler-failed", { recoverError });
      }
    }
  }
}
