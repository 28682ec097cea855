import { realClock, type TimedClock } from "./clock.js";
import { clampOption } from "./options.js";
import { isAbortSignal, onAbort } from "./signal-registry.js";

/**
 * Options of {@link rateLimiter}, numbers sanitized like `retry()`'s: missing,
 * non-number or NaN gives the default, other numbers are clamped into range.
 */
export interface RateLimiterOptions {
  /** Sends per second before the first throttle; default `Infinity` (unpaced until a server says otherwise). */
  initialRate?: number;
  /** The rate is never cut below this, in sends per second; 0.01 … ∞. Default 0.5. */
  minRate?: number;
  /** The rate never grows above this, in sends per second; default `Infinity`. */
  maxRate?: number;
  /** Multiplicative decrease on a throttle, 0.1 … 0.95. Default 0.7 (CUBIC's β). */
  beta?: number;
  /** CUBIC's scale: how fast the rate climbs back, in sends per second per second³; 0.001 … 1000. Default 0.4. */
  scale?: number;
  /** Clamp on a `Retry-After` hint that holds every caller, in ms. Default 60 000. */
  maxHoldMs?: number;
  /** Time source; inject a virtual one in tests and simulations. */
  clock?: TimedClock;
}

/** A limiter shared by many `retry()` calls: each attempt acquires first, and what the server answers adjusts the rate for all. */
export interface RateLimiter {
  /** The send rate now, in sends per second (`Infinity` until the first throttle). */
  readonly rate: number;
  /** Waits for a send slot; resolves with the send's ticket (its time), rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<number>;
  /** A send succeeded: the rate climbs back along the cubic curve. */
  succeeded(ticket?: number): void;
  /**
   * The server refused a send as too fast: cut the rate once per round (refusals of sends made
   * before the last cut are the old rate's), and with a hint, hold every caller until then.
   */
  throttled(ticket?: number, retryAfterMs?: number): void;
}

const DEFAULTS = { minRate: 0.5, beta: 0.7, scale: 0.4, maxHoldMs: 60_000 } as const;
// Send rate is measured over buckets of this length and smoothed, as smithy's adaptive mode does.
const BUCKET_MS = 250;
const SMOOTHING = 0.8;

interface Waiter {
  resolve: (ticket: number) => void;
  reject: (reason: unknown) => void;
  leave: (() => void) | undefined;
  done: boolean;
}

/**
 * An adaptive client-side rate limiter, shared by callers through
 * `retry(fn, { limiter })`. Unpaced until a throttle; then every throttle
 * cuts the rate by `beta` (at most once per round of sends), and successes
 * raise it again along CUBIC's curve, `scale·(t−K)³ + W`, where W is the rate
 * at the last cut and K the time the curve takes to climb back to it: fast
 * while far below W, cautious near it, probing above it. A `Retry-After` hint
 * holds every caller until it passes. Independent limiters sharing one server
 * converge on a fair share without coordination, as TCP flows do.
 */
export function rateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  if (typeof options !== "object" || options === null) throw new TypeError("rateLimiter(): options must be an object");
  const clock = options.clock ?? realClock;
  if (
    typeof clock.now !== "function" ||
    typeof clock.setTimeout !== "function" ||
    typeof clock.clearTimeout !== "function"
  )
    throw new TypeError("rateLimiter(): options.clock must have now(), setTimeout() and clearTimeout()");
  const minRate = clampOption(options.minRate, 0.01, Number.POSITIVE_INFINITY, DEFAULTS.minRate);
  const maxRate = clampOption(options.maxRate, minRate, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  const beta = clampOption(options.beta, 0.1, 0.95, DEFAULTS.beta);
  const scale = clampOption(options.scale, 0.001, 1000, DEFAULTS.scale);
  const maxHold = clampOption(options.maxHoldMs, 0, 2_147_483_647, DEFAULTS.maxHoldMs);

  let rate = clampOption(options.initialRate, minRate, maxRate, Number.POSITIVE_INFINITY);
  // CUBIC's state: the rate at the last cut (W), when it was made, and K.
  let lastMax = rate;
  let cutAt = Number.NEGATIVE_INFINITY;
  let climbSeconds = 0;
  // Pacing (GCRA): the theoretical time of the next send; a Retry-After hold.
  let nextAt = Number.NEGATIVE_INFINITY;
  let holdUntil = Number.NEGATIVE_INFINITY;
  // Measured send rate, smoothed over buckets.
  let bucketStart = clock.now();
  let bucketSends = 0;
  let measured = 0;

  const queue: Waiter[] = [];
  let head = 0;
  let timer: unknown;
  let timerAt = Number.POSITIVE_INFINITY;

  const measure = (now: number) => {
    const elapsed = now - bucketStart;
    if (elapsed >= BUCKET_MS) {
      const current = (bucketSends * 1000) / elapsed;
      measured = measured === 0 ? current : current * SMOOTHING + measured * (1 - SMOOTHING);
      bucketStart = now;
      bucketSends = 0;
    }
  };
  // The send rate now: the smoothed one, or this bucket's when none has closed (a first burst).
  const sendRate = (now: number) => (measured > 0 ? measured : (bucketSends * 1000) / Math.max(1, now - bucketStart));

  const release = (waiter: Waiter, now: number) => {
    waiter.done = true;
    waiter.leave?.();
    bucketSends++;
    waiter.resolve(now);
  };

  function pump(): void {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    for (;;) {
      while (head < queue.length && (queue[head] as Waiter).done) head++;
      if (head >= queue.length) {
        queue.length = 0;
        head = 0;
        return;
      }
      // Under steady load the queue never empties: drop the served half now and then, in O(1) amortized.
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      const now = clock.now();
      measure(now);
      const at = slot(now);
      if (at > now) {
        timerAt = at;
        timer = clock.setTimeout(pump, at - now);
        return;
      }
      take(now);
      release(queue[head++] as Waiter, now);
    }
  }

  // When the next send may go: after any hold, and one interval after the last send.
  const slot = (now: number) => Math.max(now, holdUntil, rate === Number.POSITIVE_INFINITY ? now : nextAt);
  const take = (now: number) => {
    if (rate !== Number.POSITIVE_INFINITY) nextAt = Math.max(nextAt, now) + 1000 / rate;
  };

  const reschedule = () => {
    if (timer !== undefined) {
      clock.clearTimeout(timer);
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
    }
    pump();
  };

  return {
    get rate() {
      return rate;
    },
    acquire(signal) {
      if (signal !== undefined && !isAbortSignal(signal))
        return Promise.reject(new TypeError("rateLimiter.acquire(): signal must be an AbortSignal"));
      if (signal?.aborted) return Promise.reject(signal.reason);
      const now = clock.now();
      measure(now);
      // Nobody waiting and a slot free: go at once, without a timer.
      if (head >= queue.length && slot(now) <= now) {
        take(now);
        bucketSends++;
        return Promise.resolve(now);
      }
      return new Promise<number>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, leave: undefined, done: false };
        if (signal !== undefined)
          waiter.leave = onAbort(signal, () => {
            if (waiter.done) return;
            waiter.done = true;
            reject(signal.reason);
          });
        queue.push(waiter);
        if (timer === undefined) pump();
        else if (slot(clock.now()) < timerAt) reschedule();
      });
    },
    succeeded() {
      if (cutAt === Number.NEGATIVE_INFINITY) return;
      const now = clock.now();
      const t = (now - cutAt) / 1000;
      const cubic = scale * (t - climbSeconds) ** 3 + lastMax;
      // Never more than twice what callers actually send: an idle limiter must not bank a burst.
      const ceiling = Math.max(minRate, 2 * sendRate(now));
      const before = rate;
      rate = Math.min(maxRate, Math.max(minRate, Math.min(cubic, Math.max(ceiling, before))));
      if (rate > before && queue.length > head) reschedule();
    },
    throttled(ticket, retryAfterMs) {
      const now = clock.now();
      if (typeof retryAfterMs === "number" && retryAfterMs > 0) {
        const until = now + Math.min(retryAfterMs, maxHold);
        if (until > holdUntil) holdUntil = until;
      }
      // A refusal of a send made before the last cut is the old rate's: one cut per round.
      if (typeof ticket !== "number" || ticket >= cutAt) {
        measure(now);
        // Unpaced, the rate callers were sending at; paced, the rate they were allowed.
        const current = Math.max(minRate, rate === Number.POSITIVE_INFINITY ? sendRate(now) : rate);
        lastMax = current;
        rate = Math.min(maxRate, Math.max(minRate, current * beta));
        climbSeconds = Math.cbrt((lastMax * (1 - beta)) / scale);
        cutAt = now;
        // Pace from now at the new rate.
        nextAt = now + 1000 / rate;
      }
      if (queue.length > head) reschedule();
    },
  };
}
