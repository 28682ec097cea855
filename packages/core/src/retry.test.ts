import { manualClock, recordingClock, seededRandom } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { RetryPolicy } from "./catalog.js";
import { ProtocolError, type Retryable } from "./error.js";
import { type RetryEvent, type RetryOptions, retry } from "./retry.js";
import { retryBudget } from "./retry-budget.js";

const failure = (retryable: Retryable = "yes", extra: { policy?: RetryPolicy; retryAfterMs?: number } = {}) =>
  new ProtocolError({
    protocol: "ckg-relay",
    code: "AGENT_OFFLINE",
    message: "offline",
    retryable,
    action: "retry",
    known: true,
    ...extra,
  });

const failsTimes = (n: number, error: () => unknown = () => failure()) => {
  let calls = 0;
  const fn = async (attempt: number) => {
    calls++;
    if (attempt <= n) throw error();
    return `ok after ${attempt}`;
  };
  return { fn, calls: () => calls };
};

describe("retry", () => {
  it("returns the first success and passes the attempt number", async () => {
    const clock = recordingClock();
    const { fn, calls } = failsTimes(2);
    await expect(retry(fn, { clock, jitter: "none" })).resolves.toBe("ok after 3");
    expect(calls()).toBe(3);
    expect(clock.delays).toEqual([1000, 2000]);
  });

  it("never exceeds maxAttempts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -3, max: 12 }),
        fc.integer({ min: 0, max: 20 }),
        async (maxAttempts, failures) => {
          const { fn, calls } = failsTimes(failures);
          await retry(fn, { maxAttempts, clock: recordingClock() }).catch(() => {});
          expect(calls()).toBeLessThanOrEqual(Math.max(1, maxAttempts));
          expect(calls()).toBe(Math.min(failures + 1, Math.max(1, maxAttempts)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lets a code's policy lower maxAttempts but never raise it", async () => {
    const low = failsTimes(10, () => failure("yes", { policy: { maxAttempts: 2 } }));
    await expect(retry(low.fn, { maxAttempts: 5, clock: recordingClock() })).rejects.toThrow("offline");
    expect(low.calls()).toBe(2);
    const high = failsTimes(10, () => failure("yes", { policy: { maxAttempts: 9 } }));
    await expect(retry(high.fn, { maxAttempts: 3, clock: recordingClock() })).rejects.toThrow();
    expect(high.calls()).toBe(3);
  });

  it("gives a 'maybe' error one retry unless its policy says otherwise", async () => {
    const maybe = failsTimes(10, () => failure("maybe"));
    await expect(retry(maybe.fn, { clock: recordingClock() })).rejects.toThrow();
    expect(maybe.calls()).toBe(2);
  });

  it("stops at once on a non-retryable error and annotates it", async () => {
    const { fn, calls } = failsTimes(10, () => failure("no"));
    const error = await retry(fn, { clock: recordingClock() }).catch((e: unknown) => e);
    expect(calls()).toBe(1);
    expect(error).toMatchObject({ code: "AGENT_OFFLINE", attempts: 1, totalDelayMs: 0 });
  });

  it("annotates the last error with attempts and total delay", async () => {
    const clock = recordingClock();
    const { fn } = failsTimes(10);
    const error = await retry(fn, { clock, maxAttempts: 4, jitter: "none" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 4, totalDelayMs: 1000 + 2000 + 4000 });
    expect((error as ProtocolError).toJSON()).toMatchObject({ attempts: 4, totalDelayMs: 7000 });
  });

  it("retries platform network failures and not plain errors", async () => {
    const net = failsTimes(1, () => Object.assign(new Error("reset"), { code: "ECONNRESET" }));
    await expect(retry(net.fn, { clock: recordingClock() })).resolves.toBe("ok after 2");
    const plain = failsTimes(1, () => new Error("bug"));
    await expect(retry(plain.fn, { clock: recordingClock() })).rejects.toThrow("bug");
    expect(plain.calls()).toBe(1);
  });

  it("uses a server hint instead of the backoff, even when it is shorter", async () => {
    const clock = recordingClock();
    const hinted = failsTimes(2, () => failure("yes", { retryAfterMs: 250, policy: { minDelayMs: 10_000 } }));
    await retry(hinted.fn, { clock, jitter: "none" });
    expect(clock.delays).toEqual([250, 250]);
  });

  it("honours a server hint, clamped to maxRetryAfterMs", async () => {
    const clock = recordingClock();
    const hinted = failsTimes(2, () => failure("yes", { retryAfterMs: 36_000_000 }));
    await retry(hinted.fn, { clock, jitter: "none" });
    expect(clock.delays).toEqual([60_000, 60_000]);
    const short = recordingClock();
    await retry(failsTimes(1, () => failure("yes", { retryAfterMs: 8000 })).fn, {
      clock: short,
      maxRetryAfterMs: 5000,
    });
    expect(short.delays).toEqual([5000]);
  });

  it("applies bounds to computed delays", async () => {
    const clock = recordingClock();
    await retry(failsTimes(3).fn, { clock, jitter: "none", minDelayMs: 1500, maxDelayMs: 3000 });
    expect(clock.delays).toEqual([1500, 2000, 3000]);
  });

  it("calls onRetry before each sleep", async () => {
    const seen: [number, number][] = [];
    await retry(failsTimes(2).fn, {
      clock: recordingClock(),
      jitter: "none",
      onRetry: ({ attempt, delayMs, error }) => {
        expect(error).toBeInstanceOf(ProtocolError);
        seen.push([attempt, delayMs]);
      },
    });
    expect(seen).toEqual([
      [1, 1000],
      [2, 2000],
    ]);
  });

  it("lets shouldRetry override the classification", async () => {
    const plain = failsTimes(2, () => new Error("flaky"));
    await expect(retry(plain.fn, { clock: recordingClock(), shouldRetry: () => true })).resolves.toBe("ok after 3");
  });

  it("gives reproducible jittered delays under a seeded random source", async () => {
    const run = async () => {
      const clock = recordingClock();
      await retry(failsTimes(4).fn, { clock, random: seededRandom(7) });
      return clock.delays;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.every((d, i) => d >= 0 && d <= 1000 * 2 ** i)).toBe(true);
  });
});

// Settles or not within a handful of microtask turns: "at once", with no timer involved.
const settledSoon = async (promise: Promise<unknown>) => {
  let outcome: { rejected: unknown } | { resolved: unknown } | undefined;
  promise.then(
    (resolved) => (outcome = { resolved }),
    (rejected: unknown) => (outcome = { rejected }),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return outcome;
};

const never = () => new Promise<never>(() => {});

describe("abort", () => {
  it("rejects at once with the reason when aborted 30 ms into a never-settling attempt", async () => {
    const clock = manualClock();
    const controller = new AbortController();
    const reason = new Error("user left");
    clock.setTimeout(() => controller.abort(reason), 30);
    const pending = retry(never, { signal: controller.signal, clock });
    expect(await settledSoon(pending)).toBeUndefined();
    clock.advance(30);
    expect(await settledSoon(pending)).toEqual({ rejected: reason });
    expect(clock.now).toBe(30);
  });

  it("rejects at once when aborted while onRetry is pending", async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = retry(
      async () => {
        calls++;
        throw failure();
      },
      { signal: controller.signal, clock: manualClock(), onRetry: never },
    );
    expect(await settledSoon(pending)).toBeUndefined();
    controller.abort();
    const outcome = await settledSoon(pending);
    expect(outcome).toMatchObject({ rejected: { name: "AbortError" } });
    expect(calls).toBe(1);
  });

  it("rejects at once when aborted 50 ms into a 2 s backoff, and clears the timer", async () => {
    const clock = manualClock();
    const controller = new AbortController();
    const pending = retry(
      async () => {
        throw failure();
      },
      { signal: controller.signal, clock, policy: { baseMs: 2000, jitter: "none" } },
    );
    await settledSoon(pending);
    expect(clock.pending).toBe(1);
    clock.advance(50);
    controller.abort();
    expect(await settledSoon(pending)).toMatchObject({ rejected: { name: "AbortError" } });
    expect(clock.pending).toBe(0);
  });

  it("rejects before the first attempt when already aborted", async () => {
    let calls = 0;
    await expect(retry(() => calls++, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    expect(calls).toBe(0);
  });

  it("rejects with the signal's reason when fn fails after an abort", async () => {
    const controller = new AbortController();
    const reason = new Error("user left");
    const pending = retry(
      async () => {
        controller.abort(reason);
        throw failure();
      },
      { signal: controller.signal, clock: recordingClock() },
    );
    await expect(pending).rejects.toBe(reason);
  });

  it("passes the signal to fn after the attempt number, so fn can cancel its own I/O", async () => {
    const controller = new AbortController();
    const seen: [number, AbortSignal][] = [];
    await retry(
      (attempt, signal) => {
        seen.push([attempt, signal]);
        if (attempt < 2) throw failure();
      },
      { signal: controller.signal, clock: recordingClock() },
    );
    expect(seen).toEqual([
      [1, controller.signal],
      [2, controller.signal],
    ]);
    // Without a caller's signal fn still gets a real one, never aborted.
    const own = await retry((_attempt, signal) => signal);
    expect(own).toBeInstanceOf(AbortSignal);
    expect(own.aborted).toBe(false);
  });
});

describe("hostile options are sanitized: missing or NaN takes the default, other numbers are clamped", () => {
  const delaysOf = async (options: Parameters<typeof retry>[1], failures = 3) => {
    const clock = recordingClock();
    const { fn, calls } = failsTimes(failures);
    await retry(fn, { clock, jitter: "none", ...options }).catch(() => {});
    return { delays: clock.delays, calls: calls() };
  };

  it("maxAttempts: NaN gives the default 5, not endless retries", async () => {
    expect((await delaysOf({ maxAttempts: Number.NaN }, 100)).calls).toBe(5);
  });

  it("maxAttempts: 2.7 is floored, Infinity is clamped, not a hang", async () => {
    expect((await delaysOf({ maxAttempts: 2.7 }, 100)).calls).toBe(2);
    expect((await delaysOf({ maxAttempts: Number.POSITIVE_INFINITY }, 8)).calls).toBe(9);
  });

  it("policy.maxAttempts: NaN cannot override the caller's limit", async () => {
    const { fn, calls } = failsTimes(100, () => failure("yes", { policy: { maxAttempts: Number.NaN } }));
    await expect(retry(fn, { maxAttempts: 3, clock: recordingClock() })).rejects.toThrow("offline");
    expect(calls()).toBe(3);
    const fallback = failsTimes(100);
    await expect(
      retry(fallback.fn, { maxAttempts: 3, policy: { maxAttempts: Number.NaN }, clock: recordingClock() }),
    ).rejects.toThrow("offline");
    expect(fallback.calls()).toBe(3);
  });

  it("minDelayMs: NaN gives the default 0, never NaN delays", async () => {
    expect((await delaysOf({ minDelayMs: Number.NaN })).delays).toEqual([1000, 2000, 4000]);
  });

  it("maxDelayMs: -5 is clamped to 0, never a negative delay", async () => {
    expect((await delaysOf({ maxDelayMs: -5 })).delays).toEqual([0, 0, 0]);
  });

  it("maxRetryAfterMs: NaN gives the default 60 s clamp", async () => {
    const clock = recordingClock();
    await retry(failsTimes(1, () => failure("yes", { retryAfterMs: 36_000_000 })).fn, {
      clock,
      maxRetryAfterMs: Number.NaN,
    });
    expect(clock.delays).toEqual([60_000]);
  });

  it("retryBudget({ capacity: NaN }) gives the default 10, not an unlimited budget", () => {
    const budget = retryBudget({ capacity: Number.NaN });
    expect(budget.tokens).toBe(10);
    expect(Array.from({ length: 12 }, () => budget.tryAcquire()).filter(Boolean)).toHaveLength(10);
  });

  it("retryBudget({ retryCost: 0 or less }) gives the default cost 1, not free retries", () => {
    for (const retryCost of [0, -1, Number.NaN]) {
      const budget = retryBudget({ capacity: 3, retryCost });
      expect(Array.from({ length: 5 }, () => budget.tryAcquire()).filter(Boolean)).toHaveLength(3);
    }
  });

  it("retryBudget({ successRefund: -1 }) is clamped to 0, never draining the budget", () => {
    const budget = retryBudget({ capacity: 2, successRefund: -1 });
    budget.tryAcquire();
    budget.succeeded();
    expect(budget.tokens).toBe(1);
  });
});

describe("a throwing onRetry", () => {
  it("ends the retries with the error being retried, the hook's failure attached", async () => {
    const hookError = new Error("logger down");
    for (const onRetry of [
      () => {
        throw hookError;
      },
      async () => {
        throw hookError;
      },
    ]) {
      const { fn, calls } = failsTimes(10);
      const error = await retry(fn, { clock: recordingClock(), onRetry }).catch((e: unknown) => e);
      expect(calls()).toBe(1);
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: "AGENT_OFFLINE", attempts: 1, totalDelayMs: 0, onRetryError: hookError });
    }
  });
});

describe("retry budget: a storm of 1,000 callers against an always-failing operation", () => {
  const storm = async (budget?: ReturnType<typeof retryBudget>) => {
    let attempts = 0;
    const calls = 1000;
    const clock = recordingClock();
    await Promise.all(
      Array.from({ length: calls }, () =>
        retry(
          async () => {
            attempts++;
            throw failure();
          },
          { maxAttempts: 3, clock, budget },
        ).catch(() => {}),
      ),
    );
    return attempts / calls;
  };

  it("multiplies load by maxAttempts without a budget", async () => {
    expect(await storm()).toBe(3);
  });

  it("stays within 1.1x the calls with a shared budget", async () => {
    const multiplier = await storm(retryBudget({ capacity: 50 }));
    expect(multiplier).toBeLessThanOrEqual(1.1);
    expect(multiplier).toBe(1.05);
  });

  it("refunds tokens on success up to capacity", () => {
    const budget = retryBudget({ capacity: 2, retryCost: 5, successRefund: 0.5 });
    budget.succeeded();
    expect(budget.tokens).toBe(2);
    const cheap = retryBudget({ capacity: 2, successRefund: 0.05 });
    expect(cheap.tryAcquire()).toBe(true);
    expect(cheap.tryAcquire()).toBe(true);
    expect(cheap.tryAcquire()).toBe(false);
    for (let i = 0; i < 20; i++) cheap.succeeded();
    expect(cheap.tokens).toBeCloseTo(1);
    for (let i = 0; i < 100; i++) cheap.succeeded();
    expect(cheap.tokens).toBe(2);
  });
});

// The first attempt runs on a fast path (no signal, nothing failed yet); these pin what it must keep.
describe("retry: the first attempt", () => {
  it("retries an fn that throws synchronously, then resolves what the next attempt returns", async () => {
    const clock = recordingClock();
    let calls = 0;
    const fn = (attempt: number) => {
      calls++;
      if (attempt === 1) throw failure();
      return attempt * 10;
    };
    await expect(retry(fn, { clock, jitter: "none" })).resolves.toBe(20);
    expect([calls, clock.delays]).toEqual([2, [1000]]);
  });

  it("resolves a plain value, a promise and a foreign thenable alike", async () => {
    await expect(retry(() => 5)).resolves.toBe(5);
    await expect(retry(async () => 6)).resolves.toBe(6);
    // biome-ignore lint/suspicious/noThenProperty: a foreign thenable is what this checks.
    const thenable = { then: (resolve: (value: number) => void) => resolve(7) };
    await expect(retry(() => thenable as unknown as Promise<number>)).resolves.toBe(7);
  });

  it("refunds the budget on a first-attempt success, and only on success", async () => {
    const budget = retryBudget({ capacity: 2, successRefund: 0.1 });
    budget.tryAcquire();
    await retry(async () => "ok", { budget });
    expect(budget.tokens).toBe(1.1);
    await expect(retry(failsTimes(1, () => new Error("plain")).fn, { budget })).rejects.toThrow("plain");
    expect(budget.tokens).toBe(1.1);
  });

  it("passes a signal to fn and annotates a first-attempt failure it gives up on", async () => {
    let seen: unknown;
    const error = failure("no");
    const rejected = await retry((_attempt, signal) => {
      seen = signal;
      throw error;
    }).catch((e: unknown) => e);
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(rejected).toBe(error);
    expect(error).toMatchObject({ attempts: 1, totalDelayMs: 0 });
  });

  it("without options, hands a first attempt's rejection to the loop: retried, or given up on", async () => {
    const seen: [number, AbortSignal][] = [];
    // A hint of 0 ms: the real clock's sleep, without options to replace it, is a turn of the event loop.
    const value = await retry(async (attempt, signal) => {
      seen.push([attempt, signal]);
      if (attempt === 1) throw failure("yes", { retryAfterMs: 0 });
      return attempt;
    });
    expect(value).toBe(2);
    expect(seen.map(([attempt, signal]) => [attempt, signal instanceof AbortSignal, signal.aborted])).toEqual([
      [1, true, false],
      [2, true, false],
    ]);
    const error = failure("no");
    await expect(
      retry(async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect(error).toMatchObject({ attempts: 1, totalDelayMs: 0 });
  });

  it("rejects, never throws, on options that cannot be read", async () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    );
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = retry(async () => 1, hostile);
    }).not.toThrow();
    await expect(result).rejects.toThrow("trap");
  });

  it("rejects, never throws, on null options, and never reads fn.length", async () => {
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = retry(async () => 1, null as never);
    }).not.toThrow();
    await expect(result).rejects.toThrow(/null/);
    // Which fn takes the signal is not asked: a function whose length throws runs as any other.
    const fn = new Proxy(async () => 1, {
      get(target, key) {
        if (key === "length") throw new Error("length trap");
        return Reflect.get(target, key);
      },
    });
    await expect(retry(fn)).resolves.toBe(1);
    await expect(retry(fn, {})).resolves.toBe(1);
  });
});

describe("retry: the signal fn gets when the caller passes none", () => {
  it("is a real signal that never aborts, declared or not (idle-signal.test.ts has the rest)", async () => {
    const declared = await retry(async (_attempt: number, signal: AbortSignal) => signal);
    const undeclared = await retry((...args: unknown[]) => args[1]);
    for (const got of [declared, undeclared]) {
      expect(got).toBeInstanceOf(AbortSignal);
      expect((got as AbortSignal).aborted).toBe(false);
    }
  });
});

// Issue 24: hooks were typed `void | Promise<void>`, so `onRetry: () => list.push(x)` failed with TS2322.
describe("retry: hooks accept any return value (checked by tsc)", () => {
  it("compiles onRetry, onGiveUp and recover handlers that return a value", async () => {
    const seen: number[] = [];
    const options: RetryOptions = {
      onRetry: ({ attempt }) => seen.push(attempt),
      onGiveUp: ({ attempts }) => seen.push(attempts),
      recover: { reset: () => seen.push(0), wait: async () => seen.length, reconnect: () => "reconnected" },
    };
    expectTypeOf(options.onRetry).toEqualTypeOf<((event: RetryEvent) => unknown) | undefined>();
    expectTypeOf<() => number>().toExtend<NonNullable<RetryOptions["onGiveUp"]>>();
    await retry(failsTimes(1).fn, { ...options, clock: recordingClock() });
    expect(seen).toEqual([1]);
  });
});
