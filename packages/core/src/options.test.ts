import { processEvents, recordingClock } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "./error.js";
import { clampOption, hasMethods, isHook } from "./options.js";
import { type RetryOptions, retry } from "./retry.js";

// Issue 27: `retry(fn, { signal: controller })` rejected the caller's promise, then an internal
// `.then` rejected with nobody listening and Node exited with code 1.
describe("retry(): options checked at the boundary", () => {
  const unhandled = processEvents("unhandledRejection");
  // Unhandled rejections are reported after a macrotask or two; wait them out.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  const wrong: [string, RetryOptions][] = [
    ["options.signal", { signal: new AbortController() as never }],
    ["options.signal", { signal: { aborted: false } as never }],
    ["options.signal", { signal: "abort" as never }],
    ["options.onRetry", { onRetry: "log" as never }],
    ["options.onGiveUp", { onGiveUp: {} as never }],
    ["options.shouldRetry", { shouldRetry: true as never }],
    ["options.random", { random: 0.5 as never }],
    ["options.recover", { recover: (() => {}) as never }],
    ["options.recover.reset", { recover: { reset: "register" as never } }],
    ["options.recover.wait", { recover: { wait: 5 as never } }],
    ["options.budget", { budget: 10 as never }],
    ["options.limiter", { limiter: { acquire() {} } as never }],
    ["options.clock", { clock: Date as never }],
  ];

  for (const [name, options] of wrong) {
    it(`rejects that call with a TypeError naming ${name} (${JSON.stringify(Object.values(options)[0]) ?? "fn"})`, async () => {
      let calls = 0;
      let result: Promise<unknown> | undefined;
      expect(() => {
        result = retry(() => calls++, options);
      }).not.toThrow();
      const error = await (result as Promise<unknown>).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toContain(name);
      expect(calls).toBe(0);
      await settle();
      expect(unhandled).toEqual([]);
    });
  }

  it("names the methods a shared object lacks", async () => {
    const messageOf = (options: RetryOptions) =>
      retry(() => 1, options).then(
        () => "",
        (e: TypeError) => e.message,
      );
    expect(await messageOf({ budget: {} as never })).toContain("a retryBudget() (tryAcquire and succeeded)");
    expect(await messageOf({ limiter: { acquire() {} } as never })).toContain(
      "a rateLimiter() (acquire, succeeded and throttled)",
    );
    expect(await messageOf({ clock: Date as never })).toContain("a clock (setTimeout and clearTimeout)");
  });

  it("reads each option once, so that a getter cannot pass the check and hand over something else", async () => {
    const reads: Record<string, number> = {};
    const options = {};
    for (const name of ["shouldRetry", "onRetry", "onGiveUp", "random", "budget", "limiter", "clock"])
      Object.defineProperty(options, name, {
        get() {
          reads[name] = (reads[name] ?? 0) + 1;
          // Nothing the first time, a string after.
          return reads[name] === 1 ? undefined : "swapped";
        },
      });
    let calls = 0;
    await expect(retry(() => ++calls, options)).resolves.toBe(1);
    expect(Object.values(reads)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it("an AbortController passed as the signal: the caller's catch is the only rejection (the process survives)", async () => {
    const controller = new AbortController();
    const caught = await retry(async () => 1, { signal: controller as never }).catch((e: unknown) => e);
    expect(caught).toBeInstanceOf(TypeError);
    controller.abort();
    await settle();
    expect(unhandled).toEqual([]);
  });

  it("a hook that rejects late, after the abort, is observed", async () => {
    const controller = new AbortController();
    const pending = retry(
      () => {
        throw new ProtocolError({
          protocol: "x",
          code: "c",
          message: "m",
          retryable: "yes",
          action: "retry",
          known: true,
        });
      },
      {
        signal: controller.signal,
        clock: recordingClock(),
        onRetry: () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error("late")), 5)),
        onGiveUp: () => Promise.reject(new Error("give-up hook rejects")),
      },
    );
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await settle();
    expect(unhandled).toEqual([]);
  });

  it("a Promise subclass whose then throws makes retry() reject or retry, never throw synchronously", async () => {
    class Hostile<T> extends Promise<T> {
      // biome-ignore lint/suspicious/noThenProperty: a hostile then is what this checks.
      override then(): never {
        throw new Error("then trap");
      }
    }
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = retry(() => Hostile.resolve(1));
    }).not.toThrow();
    await expect(result).rejects.toThrow("then trap");
    // Retried when the caller says so, then resolved by a normal attempt.
    let calls = 0;
    const fn = () => (++calls === 1 ? Hostile.resolve(1) : 2);
    await expect(retry(fn, { shouldRetry: () => true, clock: recordingClock() })).resolves.toBe(2);
    // The same under a signal, on the loop's path.
    expect(() => {
      result = retry(() => Hostile.resolve(1), { signal: new AbortController().signal });
    }).not.toThrow();
    await expect(result).rejects.toThrow("then trap");
    await settle();
    expect(unhandled).toEqual([]);
  });

  it("accepts a signal from another realm or a polyfill (duck-typed)", async () => {
    const real = new AbortController().signal;
    const foreign = {
      aborted: false,
      reason: undefined,
      addEventListener: real.addEventListener.bind(real),
      removeEventListener: real.removeEventListener.bind(real),
    };
    await expect(retry(() => 3, { signal: foreign as never })).resolves.toBe(3);
  });

  it("keeps the fast path: no options, or valid ones, resolve as before", async () => {
    await expect(retry(() => 1)).resolves.toBe(1);
    await expect(retry(() => 1, { onRetry: () => {}, recover: {} })).resolves.toBe(1);
  });
});

describe("the sanitizing helpers", () => {
  it("clampOption: missing, non-number or NaN gives the fallback; other numbers are clamped", () => {
    expect([undefined, "3", Number.NaN].map((v) => clampOption(v, 0, 10, 5))).toEqual([5, 5, 5]);
    expect([-1, 3, 11, Number.POSITIVE_INFINITY].map((v) => clampOption(v, 0, 10, 5))).toEqual([0, 3, 10, 10]);
  });

  it("isHook and hasMethods", () => {
    expect([undefined, () => {}].every(isHook)).toBe(true);
    expect([null, 1, {}].some(isHook)).toBe(false);
    expect(hasMethods({ a() {}, b: () => {} }, ["a", "b"])).toBe(true);
    expect(hasMethods({ a() {} }, ["a", "b"])).toBe(false);
    expect(hasMethods(null, ["a"])).toBe(false);
  });
});

describe("retry(): a budget or limiter that throws", () => {
  it("cannot turn a success into a failure, and a throwing throttled() gives up as hook-failed", async () => {
    const budget = {
      tokens: 1,
      tryAcquire: () => true,
      succeeded() {
        throw new Error("bookkeeping");
      },
    };
    await expect(retry(() => 1, { budget })).resolves.toBe(1);
    await expect(retry(() => 2, { budget, signal: new AbortController().signal })).resolves.toBe(2);
    const limiter = {
      rate: 1,
      acquire: async () => 0,
      succeeded() {
        throw new Error("bookkeeping");
      },
      throttled() {
        throw new Error("limiter bug");
      },
    };
    await expect(retry(() => 3, { limiter })).resolves.toBe(3);
    const throttle = new ProtocolError({
      protocol: "x",
      code: "c",
      message: "slow",
      retryable: "yes",
      action: "throttle",
      known: true,
    });
    const reasons: string[] = [];
    const error = await retry(
      () => {
        throw throttle;
      },
      { limiter, onGiveUp: ({ reason }) => reasons.push(reason) },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "c", limiterError: { message: "limiter bug" } });
    expect(reasons).toEqual(["hook-failed"]);
  });
});
