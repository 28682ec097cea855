import { backoffDelay, DEFAULT_POLICY } from "./backoff.js";
import type { RetryPolicy } from "./catalog.js";
import { isProtocolError } from "./error.js";
import { type GiveUpReason, notifyGiveUp } from "./give-up.js";
import { idleSignal } from "./idle-signal.js";
import { countOption, delayOption, MAX_TIMER_MS } from "./options.js";
import type { RateLimiter } from "./rate-limiter.js";
import { RECOVERY_PLAN, type RecoverHandler, type RecoveryStep } from "./recover.js";
import type { RetryBudget } from "./retry-budget.js";
import { decide, stepOf } from "./retry-decision.js";
import {
  DEFAULT_MAX_RECOVERIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  NO_SETTINGS,
  type RetryOptions,
  readSettings,
  type Settings,
} from "./retry-settings.js";
import { onAbort } from "./signal-registry.js";

export type { Clock } from "./clock.js";
export type { RetryEvent, RetryOptions } from "./retry-settings.js";

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
    // Handlers go on first, so that a value which rejects after the abort is
    // still handled rather than reported as an unhandled rejection.
    Promise.resolve(value).then(
      (v) => {
        leave?.();
        resolve(v);
      },
      (e) => {
        leave?.();
        reject(e);
      },
    );
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
 * handler is attached (a fulfilment handler too when there is a budget to
 * book the success in). The loop takes over from the first failure.
 */
function firstAttempt<T>(fn: (attempt: number, signal: AbortSignal) => T | Promise<T>, s: Settings): Promise<T> {
  const fnSignal = idleSignal();
  try {
    const value = fn(1, fnSignal);
    // Each step here is measured: Promise.resolve on a native promise costs about 20% of the call;
    // Object.getPrototypeOf about 15%, where the constructor's lookup is cached.
    // A Promise subclass is adopted by a native promise, so that its own
    // `then` runs later, where a throw is a rejection, never a throw from retry().
    const promise = value instanceof Promise && value.constructor === Promise ? value : Promise.resolve(value);
    // The handlers made here, after the call, the budget read only for them: measured 2-9% of the call
    // cheaper than a rejection handler made before the call and a budget read into a local.
    return Promise.prototype.then.call(
      promise,
      s.budget && booked(s.budget),
      s === NO_SETTINGS ? firstFailed.bind(fn) : failedWith(fn, s, fnSignal),
    ) as Promise<T>;
  } catch (error) {
    // A throwing fn: the loop takes it as attempt 1's failure.
    return loop(fn, s, { error }, fnSignal);
  }
}

/**
 * The rejection handler of a first attempt without options, bound to fn: one object of 48 B per call, where
 * a closure is two (itself and the context of what it holds), 112 B. The loop hands out the idle signal anew.
 */
function firstFailed<T>(this: (attempt: number, signal: AbortSignal) => T | Promise<T>, error: unknown): Promise<T> {
  return loop(this, NO_SETTINGS, { error });
}

/** The rejection handler of a first attempt with options: a closure, made here so that the path without has no context. */
const failedWith =
  <T>(fn: (attempt: number, signal: AbortSignal) => T | Promise<T>, s: Settings, fnSignal: AbortSignal) =>
  (error: unknown): Promise<T> =>
    loop(fn, s, { error }, fnSignal);

/** The fulfilment handler that books a first attempt's success in the budget, passing its value on. */
const booked =
  (budget: RetryBudget) =>
  <V>(value: V): V => {
    succeeded(budget);
    return value;
  };

/** Books a success; a budget or limiter that throws doing so cannot turn the success into a failure. */
function succeeded(budget: RetryBudget | undefined, limiter?: RateLimiter, ticket?: number): void {
  try {
    budget?.succeeded();
    limiter?.succeeded(ticket);
  } catch {
    // bookkeeping only: the caller's value is what matters
  }
}

/** retry()'s loop; `first` is the failure of an attempt 1 already made. */
async function loop<T>(
  fn: (attempt: number, signal: AbortSignal) => T | Promise<T>,
  s: Settings,
  first?: { error: unknown },
  fnSignal: AbortSignal = s.signal ?? idleSignal(),
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
  // A step of the caller's (the limiter, a hook, a handler, a sleep): raced against the signal; its
  // failure ends the call, as `fail` says, unless the signal aborted, whose reason wins.
  const guard = async <V>(run: () => V | PromiseLike<V>, fail: (e: unknown) => unknown, cleanup?: () => void) => {
    try {
      return await abortable(run(), signal, cleanup);
    } catch (e) {
      throw signal?.aborted ? aborted() : fail(e);
    }
  };

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted();
    let error: unknown;
    let ticket: number | undefined;
    if (first && attempt === 1) {
      attempts = 1;
      error = first.error;
    } else {
      if (limiter !== undefined)
        ticket = await guard(
          () => limiter.acquire(signal),
          (limiterError) => giveUp(limiterError, "hook-failed"),
        );
      attempts = attempt;
      try {
        const value = await abortable(fn(attempt, fnSignal), signal);
        succeeded(budget, limiter, ticket);
        return value;
      } catch (caught) {
        error = caught;
      }
    }
    // An attempt's own failure is kept for onGiveUp even when the signal aborted as it failed;
    // the signal's reason, when the abort cut the attempt off, is not an attempt's failure.
    if (!(signal?.aborted && error === signal.reason)) {
      lastError = error;
      failed = true;
    }
    if (signal?.aborted) throw aborted();
    const hint = isProtocolError(error) ? error.retryAfterMs : undefined;
    // The server's hint, clamped, so that it cannot park the caller.
    const hinted = hint === undefined ? undefined : Math.min(hint, maxHint);
    const step = stepOf(error);
    const throttled = step === RECOVERY_PLAN.throttle && limiter !== undefined;
    if (throttled) {
      try {
        limiter.throttled(ticket, hinted);
      } catch (limiterError) {
        throw giveUp(error, "hook-failed", { limiterError });
      }
    }

    let handler: RecoverHandler | undefined;
    let reason: GiveUpReason | undefined;
    try {
      handler = step?.handler === undefined ? undefined : s.recover?.[step.handler];
      reason = decide(error, attempt, s, step, handler);
    } catch (shouldRetryError) {
      throw giveUp(error, "hook-failed", { shouldRetryError });
    }
    if (reason !== undefined) throw giveUp(error, reason);
    const policy = policyFor(error, options.policy);
    const limit = Math.min(ceiling, countOption(policy.maxAttempts, 1, ceiling));
    if (attempt >= limit || (handler !== undefined && recoveries >= maxRecoveries)) throw giveUp(error, "exhausted");
    // The retry spends a token, and so does a handler's run.
    if (budget !== undefined && (!budget.tryAcquire() || (handler !== undefined && !budget.tryAcquire())))
      throw giveUp(error, "budget");

    // The server's own hint replaces the computed backoff, and is kept before
    // any handler: it knows when it will take the request again. Without one,
    // a limiter paces a throttle for every caller instead. A reset or a wait
    // with its handler does not back off: the handler is the wait.
    const sleeps = hinted !== undefined || (!throttled && (handler === undefined || (step as RecoveryStep).backoff));
    const delayMs = !sleeps
      ? 0
      : (hinted ??
        Math.min(
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
        ));
    if (sleeps) previousMs = delayMs;
    // The error being retried is what the caller handles; a hook's failure rides along instead of replacing it.
    await guard(
      () => s.onRetry?.({ error, attempt, delayMs }),
      (onRetryError) => giveUp(error, "hook-failed", { onRetryError }),
    );
    if (sleeps) {
      let timer: unknown;
      await guard(
        () =>
          new Promise<void>((resolve) => {
            timer = clock.setTimeout(resolve, delayMs);
          }),
        (sleepError) => giveUp(sleepError, "hook-failed"),
        () => clock.clearTimeout(timer),
      );
      totalDelayMs += delayMs;
    }
    if (handler !== undefined) {
      recoveries++;
      await guard(
        () => handler(error, { attempt, signal: fnSignal }),
        (recoverError) => giveUp(error, "handler-failed", { recoverError }),
      );
    }
  }
}
