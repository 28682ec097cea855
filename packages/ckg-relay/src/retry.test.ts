import { backoffDelay, policyFor, retry } from "@wirefault/core";
import { recordingClock, seededRandom } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CkgRelayError } from "./error.js";
import { fromClose, fromResponse, parseError } from "./protocol.js";

// An operation whose first `failures` attempts get the given relay error.
function flaky(wire: Record<string, unknown>, failures = Number.POSITIVE_INFINITY) {
  let calls = 0;
  return {
    fn: async (attempt: number) => {
      calls++;
      if (attempt <= failures) throw parseError({ type: "error", ...wire });
      return `delivered on attempt ${attempt}`;
    },
    calls: () => calls,
  };
}

const giveUp = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("retry() should have given up"),
    (error: unknown) => error as CkgRelayError,
  );

describe("AGENT_OFFLINE: 2, 4, 8 s; 3 retries by default, never more than 5", () => {
  it("clears after 2 failures: succeeds on attempt 3 after 2 s + 4 s", async () => {
    const clock = recordingClock();
    const { fn, calls } = flaky({ code: "AGENT_OFFLINE" }, 2);
    await expect(retry(fn, { clock, jitter: "none" })).resolves.toBe("delivered on attempt 3");
    expect(calls()).toBe(3);
    expect(clock.delays).toEqual([2000, 4000]);
    expect(clock.elapsed).toBe(6000);
  });

  it("gives up after 3 retries, annotated", async () => {
    const clock = recordingClock();
    const { fn, calls } = flaky({ code: "AGENT_OFFLINE" });
    const error = await giveUp(retry(fn, { clock, jitter: "none" }));
    expect(calls()).toBe(4);
    expect(clock.delays).toEqual([2000, 4000, 8000]);
    expect(error).toMatchObject({ code: "AGENT_OFFLINE", attempts: 4, totalDelayMs: 14_000 });
  });

  it("cannot be raised by the caller, so the page's ceiling of 5 retries always holds", async () => {
    const { fn, calls } = flaky({ code: "AGENT_OFFLINE" });
    await giveUp(retry(fn, { clock: recordingClock(), maxAttempts: 100 }));
    expect(calls()).toBe(4);
    expect(calls() - 1).toBeLessThanOrEqual(5);
  });

  it("can be lowered by the caller", async () => {
    const clock = recordingClock();
    const { fn, calls } = flaky({ code: "AGENT_OFFLINE" });
    await giveUp(retry(fn, { clock, maxAttempts: 2, jitter: "none" }));
    expect(calls()).toBe(2);
    expect(clock.delays).toEqual([2000]);
  });

  it("with its own jitter, each delay is between half and all of 2, 4, 8 s", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const clock = recordingClock();
        await giveUp(retry(flaky({ code: "AGENT_OFFLINE" }).fn, { clock, random: seededRandom(seed) }));
        expect(clock.delays).toHaveLength(3);
        clock.delays.forEach((delay, i) => {
          expect(delay).toBeGreaterThanOrEqual(1000 * 2 ** i);
          expect(delay).toBeLessThanOrEqual(2000 * 2 ** i);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe("AGENT_TIMEOUT: one retry after 3 s, inside 2-5 s", () => {
  it("retries once after 3 s, then gives up", async () => {
    const clock = recordingClock();
    const { fn, calls } = flaky({ code: "AGENT_TIMEOUT" });
    const error = await giveUp(retry(fn, { clock, jitter: "none", maxAttempts: 10 }));
    expect(calls()).toBe(2);
    expect(clock.delays).toEqual([3000]);
    expect(error).toMatchObject({ code: "AGENT_TIMEOUT", attempts: 2, totalDelayMs: 3000 });
  });

  it("succeeds on the one retry", async () => {
    const clock = recordingClock();
    await expect(retry(flaky({ code: "AGENT_TIMEOUT" }, 1).fn, { clock, jitter: "none" })).resolves.toBe(
      "delivered on attempt 2",
    );
    expect(clock.delays).toEqual([3000]);
  });

  it("stays within 2-5 s whatever the jitter", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.constantFrom(undefined, "full", "equal", "decorrelated", "none"),
        async (seed, jitter) => {
          const clock = recordingClock();
          const options = { clock, random: seededRandom(seed), ...(jitter ? { jitter } : {}) };
          await giveUp(retry(flaky({ code: "AGENT_TIMEOUT" }).fn, options));
          expect(clock.delays).toHaveLength(1);
          expect(clock.delays[0]).toBeGreaterThanOrEqual(2000);
          expect(clock.delays[0]).toBeLessThanOrEqual(5000);
          if (jitter === undefined) expect(clock.delays[0]).toBeLessThanOrEqual(3000);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("AGENT_ERROR: one retry", () => {
  it("retries once after 1 s, then gives up", async () => {
    const clock = recordingClock();
    const { fn, calls } = flaky({ code: "AGENT_ERROR" });
    await giveUp(retry(fn, { clock, jitter: "none" }));
    expect(calls()).toBe(2);
    expect(clock.delays).toEqual([1000]);
  });

  it("with its own jitter, waits 0.5-1 s", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const clock = recordingClock();
        await giveUp(retry(flaky({ code: "AGENT_ERROR" }).fn, { clock, random: seededRandom(seed) }));
        expect(clock.delays[0]).toBeGreaterThanOrEqual(500);
        expect(clock.delays[0]).toBeLessThanOrEqual(1000);
      }),
    );
  });
});

describe("RATE_LIMITED: throttle, max(10 s, 2^attempt s)", () => {
  const policy = () => policyFor(parseError({ code: "RATE_LIMITED" }));

  it("follows the page's sequence: 10, 10, 10, 10, 16, 32 s, capped at 60 s", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, { ...policy(), jitter: "none" }));
    expect(delays).toEqual([10_000, 10_000, 10_000, 10_000, 16_000, 32_000, 60_000, 60_000]);
    // The page's max(10, 2 ** attempt) with attempt counted from 0.
    expect(delays.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5].map((attempt) => Math.max(10, 2 ** attempt) * 1000));
  });

  it("retry() sleeps exactly that, as many times as the caller allows", async () => {
    const clock = recordingClock();
    const { fn, calls } = flaky({ code: "RATE_LIMITED" });
    const error = await giveUp(retry(fn, { clock, jitter: "none", maxAttempts: 7 }));
    expect(calls()).toBe(7);
    expect(clock.delays).toEqual([10_000, 10_000, 10_000, 10_000, 16_000, 32_000]);
    expect(error).toMatchObject({ code: "RATE_LIMITED", action: "throttle", attempts: 7 });
  });

  it("takes retry()'s default of 5 attempts", async () => {
    const clock = recordingClock();
    await giveUp(retry(flaky({ code: "RATE_LIMITED" }).fn, { clock, jitter: "none" }));
    expect(clock.delays).toEqual([10_000, 10_000, 10_000, 10_000]);
  });

  it("never waits under 10 s, even with jitter", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const clock = recordingClock();
        await giveUp(retry(flaky({ code: "RATE_LIMITED" }).fn, { clock, random: seededRandom(seed), maxAttempts: 8 }));
        clock.delays.forEach((delay, i) => {
          const nominal = Math.min(60_000, Math.max(10_000, 1000 * 2 ** i));
          expect(delay).toBeGreaterThanOrEqual(Math.max(10_000, nominal / 2));
          expect(delay).toBeLessThanOrEqual(nominal);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("honours a server hint in the message", async () => {
    const clock = recordingClock();
    await retry(flaky({ code: "RATE_LIMITED", retry_after: 30 }, 2).fn, { clock, jitter: "none" });
    expect(clock.delays).toEqual([30_000, 30_000]);
  });

  // Issue 27: past 2^53-1 ms the hint was dropped and RATE_LIMITED's own 10 s applied.
  it("a retry_after past 2^53-1 ms waits the 60 s clamp, never less than the code's own backoff", async () => {
    for (const seconds of ["9007199254740", "9007199254741", "999999999999999", "1e400"]) {
      const clock = recordingClock();
      const message = `{"type":"error","code":"RATE_LIMITED","message":"m","retry_after":${seconds}}`;
      await retry(flaky(JSON.parse(message), 1).fn, { clock, jitter: "none" });
      expect(clock.delays, seconds).toEqual([60_000]);
    }
  });

  it("honours a Retry-After header, clamped so that a hostile server cannot park the client", async () => {
    const clock = recordingClock();
    let calls = 0;
    await retry(
      async () => {
        if (++calls > 2) return "ok";
        throw await fromResponse(
          new Response('{"code":"RATE_LIMITED","message":"slow down"}', {
            status: 429,
            headers: { "retry-after": calls === 1 ? "20" : "36000" },
          }),
        );
      },
      { clock, jitter: "none" },
    );
    expect(clock.delays).toEqual([20_000, 60_000]);
  });
});

describe("RELAY_INTERNAL_ERROR: 1, 2, 4 s; 3 retries by default, never more than 5", () => {
  it("gives up after 1, 2 and 4 s", async () => {
    const clock = recordingClock();
    const { fn, calls } = flaky({ code: "RELAY_INTERNAL_ERROR", event_id: "evt_9" });
    const error = await giveUp(retry(fn, { clock, jitter: "none", maxAttempts: 50 }));
    expect(calls()).toBe(4);
    expect(clock.delays).toEqual([1000, 2000, 4000]);
    expect(error).toMatchObject({ eventId: "evt_9", attempts: 4, totalDelayMs: 7000 });
  });

  it("with its own jitter, each delay is between half and all of 1, 2, 4 s", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const clock = recordingClock();
        await giveUp(retry(flaky({ code: "RELAY_INTERNAL_ERROR" }).fn, { clock, random: seededRandom(seed) }));
        expect(clock.delays).toHaveLength(3);
        clock.delays.forEach((delay, i) => {
          expect(delay).toBeGreaterThanOrEqual(500 * 2 ** i);
          expect(delay).toBeLessThanOrEqual(1000 * 2 ** i);
        });
      }),
    );
  });
});

describe("codes the page never retries", () => {
  it.each(["NOT_ALLOWED", "AGENT_NOT_ALLOWED", "AGENT_NOT_FOUND", "PAYLOAD_TOO_LARGE", "INVALID_MESSAGE"])(
    "%s fails at once",
    async (code) => {
      const clock = recordingClock();
      const { fn, calls } = flaky({ code });
      const error = await giveUp(retry(fn, { clock, maxAttempts: 10 }));
      expect(calls()).toBe(1);
      expect(clock.delays).toEqual([]);
      expect(error).toMatchObject({ code: code.replace("AGENT_NOT_ALLOWED", "NOT_ALLOWED"), retryable: "no" });
      expect(error).toMatchObject({ attempts: 1, totalDelayMs: 0 });
    },
  );

  it("an unknown code fails at once", async () => {
    const { fn, calls } = flaky({ code: "AGENT_SLEEPING" });
    await giveUp(retry(fn, { clock: recordingClock() }));
    expect(calls()).toBe(1);
  });

  it("a close with 4001 (bad agent token) fails at once; an abnormal close is retried", async () => {
    let calls = 0;
    const error = await giveUp(
      retry(
        () => {
          calls++;
          throw fromClose(4001, "bad agent token");
        },
        { clock: recordingClock() },
      ),
    );
    expect(calls).toBe(1);
    expect(error).toMatchObject({ code: 4001, action: "user-action", retryable: "no" });
    const clock = recordingClock();
    await retry(
      (attempt) => {
        if (attempt < 3) throw fromClose(1006);
        return "reconnected";
      },
      { clock },
    );
    expect(clock.delays).toHaveLength(2);
  });
});
