/** Time source for `retry()`; inject a fake one in tests. */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A clock that also tells the time, in ms; `rateLimiter()` paces on it. */
export interface TimedClock extends Clock {
  now(): number;
}

/** The process's timers and monotonic time. */
export const realClock: TimedClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};
