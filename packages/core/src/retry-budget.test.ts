import { recordingClock } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "./error.js";
import { retry } from "./retry.js";
import { type RetryBudgetOptions, retryBudget } from "./retry-budget.js";

const failure = () =>
  new ProtocolError({ protocol: "x", code: "DOWN", message: "down", retryable: "yes", action: "retry", known: true });

/** `calls` concurrent retry() calls sharing one budget; `failures` failed attempts before a success (Infinity: total failure). */
async function storm(options: RetryBudgetOptions, { calls = 1000, maxAttempts = 50, failures = Infinity } = {}) {
  const budget = retryBudget(options);
  const clock = recordingClock();
  let attempts = 0;
  await Promise.all(
    Array.from({ length: calls }, () =>
      retry(
        (attempt) => {
          attempts++;
          if (attempt <= failures) throw failure();
          return attempt;
        },
        { maxAttempts, clock, budget },
      ).catch(() => {}),
    ),
  );
  return { attempts, retries: attempts - calls, ratio: attempts / calls };
}

// Every value a caller could write, the hostile ones of issue 27 first.
const anyNumber = fc.oneof(
  fc.constantFrom(1e-9, Number.MIN_VALUE, 0, -1, 10, 1e9, Number.MAX_VALUE, Number.POSITIVE_INFINITY, Number.NaN),
  fc.double(),
);

// Issue 27: `retryCost: 1e-9` or `Number.MIN_VALUE` gave 5x under total failure (50x with
// maxAttempts 50), and `successRefund` equal to `capacity` gave 1.89x.
describe("retry budget: no option value can defeat it", () => {
  it("the reported values: 1,000 callers on the default capacity, total failure, stay within 1.1x", async () => {
    for (const options of [
      { retryCost: 1e-9 },
      { retryCost: Number.MIN_VALUE },
      { successRefund: 10 },
      { retryCost: 1e-9, successRefund: Number.MAX_VALUE },
    ]) {
      const { ratio } = await storm(options);
      expect(ratio, JSON.stringify(options)).toBeLessThanOrEqual(1.1);
    }
  });

  it("under total failure, once the first capacity tokens are spent, retries stay within 10% of calls", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ capacity: fc.integer({ min: 0, max: 200 }), retryCost: anyNumber, successRefund: anyNumber }),
        async (options) => {
          const { retries } = await storm(options, { calls: 500, maxAttempts: 20 });
          expect(retries - options.capacity).toBeLessThanOrEqual(0.1 * 500);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("with successes too, retries never exceed capacity plus one per ten successes", async () => {
    // Each call fails once, then succeeds: the case where a large refund paid for every retry.
    await fc.assert(
      fc.asyncProperty(
        fc.record({ capacity: fc.integer({ min: 0, max: 50 }), retryCost: anyNumber, successRefund: anyNumber }),
        async (options) => {
          const calls = 400;
          const { retries } = await storm(options, { calls, maxAttempts: 5, failures: 1 });
          const successes = retries;
          expect(retries).toBeLessThanOrEqual(options.capacity + 0.1 * successes + 1e-9);
          expect(retries / calls).toBeLessThanOrEqual(0.1 + options.capacity / calls + 0.02);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("clamps the two options by their rule: a cost of at least 1, a refund of at most a tenth of it", () => {
    const tiny = retryBudget({ capacity: 3, retryCost: 1e-9 });
    expect(Array.from({ length: 10 }, () => tiny.tryAcquire()).filter(Boolean)).toHaveLength(3);
    const generous = retryBudget({ capacity: 10, retryCost: 2, successRefund: 10 });
    generous.tryAcquire();
    generous.succeeded();
    expect(generous.tokens).toBeCloseTo(8.2);
    // A capacity under the default refund keeps the refund within it.
    const small = retryBudget({ capacity: 0.05 });
    small.succeeded();
    expect(small.tokens).toBe(0.05);
  });
});
