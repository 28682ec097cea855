// A virtual-time model of callers, their limiters and one server, for the
// limiter's tests and the bench (tooling/bench/limiter.mjs bundles this file):
// no wall clock, so the figures are exact and repeatable. It imports only
// core's own sources, so that it bundles alone.
import type { TimedClock } from "./clock.js";
import { ProtocolError } from "./error.js";
import { type RateLimiter, rateLimiter } from "./rate-limiter.js";
import { retry } from "./retry.js";

/** A clock whose timers fire in order of due time, with microtasks flushed between them. */
export interface VirtualTime extends TimedClock {
  /** Runs until `done` settles; throws if virtual time passes `limitMs` first. */
  run<T>(done: Promise<T>, limitMs?: number): Promise<T>;
}

export function virtualTime(): VirtualTime {
  let now = 0;
  let next = 0;
  // Sorted by due time, then by order of scheduling.
  const timers: { id: number; at: number; callback: () => void }[] = [];
  const cancelled = new Set<number>();
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const timer = { id: ++next, at: now + Math.max(0, ms), callback };
      let i = timers.length;
      while (i > 0 && (timers[i - 1] as { at: number }).at > timer.at) i--;
      timers.splice(i, 0, timer);
      return timer.id;
    },
    clearTimeout(handle) {
      cancelled.add(handle as number);
    },
    async run(done, limitMs = 600_000) {
      let finished = false;
      const result = done.finally(() => {
        finished = true;
      });
      await flush();
      while (!finished) {
        const timer = timers.shift();
        if (timer === undefined) throw new Error("virtual time: nothing left to run, and not done");
        if (cancelled.delete(timer.id)) continue;
        now = timer.at;
        if (now > limitMs) throw new Error(`virtual time: not done after ${limitMs} ms`);
        timer.callback();
        await flush();
      }
      return result;
    },
  };
}

/** A server that takes `ratePerSecond` requests a second (a token bucket of `burst`) and refuses the rest, with no hint. */
export function serverModel(clock: TimedClock, ratePerSecond: number, burst: number) {
  let tokens = burst;
  let last = clock.now();
  return {
    /** True when the request is taken. */
    take(): boolean {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) * ratePerSecond) / 1000);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

export interface Workload {
  /** Processes, each with its own limiter (or none) and its own callers. */
  processes: number;
  callers: number;
  requests: number;
  /** The server's rate, per second. */
  rate: number;
  burst?: number;
  /** Round trip of a request, in ms. */
  latencyMs?: number;
  /** Each process's limiter: adaptive, a fixed rate, or none. */
  limiter?: "adaptive" | "none" | { fixed: number };
  /** Jitter source of the callers' backoff, in [0, 1): seeded, for repeatable runs. */
  random: () => number;
}

export interface Outcome {
  attempts: number;
  refused: number;
  /** Refused attempts sent after the first second, over all attempts sent then. */
  refusedShareAfterFirstSecond: number;
  /** When the last request was taken, in ms. */
  timeMs: number;
  /** `timeMs` over the ideal time, requests / rate. */
  timeRatio: number;
}

/** A fixed-rate pacer with the limiter's shape: one send per 1/rate s, never adapting. */
function fixedRate(clock: TimedClock, rate: number): RateLimiter {
  let nextAt = 0;
  return {
    rate,
    acquire() {
      const now = clock.now();
      const at = Math.max(now, nextAt);
      nextAt = at + 1000 / rate;
      return new Promise((resolve) => clock.setTimeout(() => resolve(at), at - now));
    },
    succeeded() {},
    throttled() {},
  };
}

const refusal = () =>
  new ProtocolError({
    protocol: "sim",
    code: "RATE_LIMITED",
    message: "Too many requests",
    retryable: "yes",
    action: "throttle",
    known: true,
  });

/** Runs the workload on virtual time: every caller sends its requests one after another through retry(). */
export async function simulate(workload: Workload): Promise<Outcome> {
  const { processes, callers, requests, rate, burst = 10, latencyMs = 2, limiter = "adaptive", random } = workload;
  const clock = virtualTime();
  const server = serverModel(clock, rate, burst);
  let attempts = 0;
  let refused = 0;
  let lateAttempts = 0;
  let lateRefused = 0;
  let lastTaken = 0;
  const send = () => {
    const sentAt = clock.now();
    attempts++;
    if (sentAt >= 1000) lateAttempts++;
    const taken = server.take();
    if (!taken) {
      refused++;
      if (sentAt >= 1000) lateRefused++;
    } else lastTaken = sentAt;
    return new Promise<void>((resolve, reject) =>
      clock.setTimeout(() => (taken ? resolve() : reject(refusal())), latencyMs),
    );
  };
  const runs: Promise<void>[] = [];
  for (let p = 0; p < processes; p++) {
    const shared =
      limiter === "adaptive"
        ? rateLimiter({ clock })
        : limiter === "none"
          ? undefined
          : fixedRate(clock, limiter.fixed);
    for (let c = 0; c < callers; c++)
      runs.push(
        (async () => {
          for (let r = 0; r < requests; r++)
            await retry(send, {
              clock,
              random,
              maxAttempts: 1000,
              policy: { baseMs: 100, capMs: 2000 },
              ...(shared && { limiter: shared }),
            });
        })(),
      );
  }
  await clock.run(Promise.all(runs));
  const total = processes * callers * requests;
  return {
    attempts,
    refused,
    refusedShareAfterFirstSecond: lateAttempts === 0 ? 0 : lateRefused / lateAttempts,
    timeMs: lastTaken,
    timeRatio: lastTaken / ((total / rate) * 1000),
  };
}
