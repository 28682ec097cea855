import { growth, LINEAR_GROWTH, seededRandom } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay, type Jitter, parseRetryAfter } from "./backoff.js";

const jitters: Jitter[] = ["full", "equal", "decorrelated", "none"];
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, -1, 0, 1e300, Number.POSITIVE_INFINITY),
);

describe("backoffDelay", () => {
  it("is never negative and never above its cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 10_000 }),
        fc.record({
          baseMs: anyNumber,
          factor: anyNumber,
          capMs: fc.integer({ min: 0, max: 10_000_000 }),
          minDelayMs: anyNumber,
          jitter: fc.constantFrom(...jitters),
        }),
        fc.double({ min: -1, max: 2, noNaN: false }),
        anyNumber,
        (retry, policy, r, previous) => {
          const delay = backoffDelay(retry, policy, () => r, previous);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(policy.capMs);
          expect(Number.isFinite(delay)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("grows exponentially without jitter, then holds at the cap", () => {
    const policy = { baseMs: 100, factor: 2, capMs: 1000, jitter: "none" as const };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("respects the minimum delay", () => {
    expect(backoffDelay(1, { baseMs: 1000, minDelayMs: 10_000, capMs: 60_000, jitter: "none" })).toBe(10_000);
    expect(backoffDelay(6, { baseMs: 1000, minDelayMs: 10_000, capMs: 60_000, jitter: "none" })).toBe(32_000);
  });

  it("gives a reproducible sequence under a seeded random source", () => {
    const run = (jitter: Jitter) => {
      const random = seededRandom(42);
      let previous: number | undefined;
      return [1, 2, 3, 4, 5].map((n) => {
        previous = Math.round(backoffDelay(n, { baseMs: 100, capMs: 5000, jitter }, random, previous));
        return previous;
      });
    };
    expect(run("full")).toEqual(run("full"));
    expect(run("full")).toMatchInlineSnapshot(`
      [
        60,
        90,
        341,
        536,
        280,
      ]
    `);
    expect(run("equal")).toMatchInlineSnapshot(`
      [
        80,
        145,
        370,
        668,
        940,
      ]
    `);
    expect(run("decorrelated")).toMatchInlineSnapshot(`
      [
        220,
        351,
        912,
        1865,
        1061,
      ]
    `);
  });

  it("keeps full jitter in [0, exp] and equal jitter in [exp/2, exp]", () => {
    expect(backoffDelay(3, { baseMs: 100, jitter: "full" }, () => 0)).toBe(0);
    expect(backoffDelay(3, { baseMs: 100, jitter: "equal" }, () => 0)).toBe(200);
    expect(backoffDelay(3, { baseMs: 100, jitter: "equal" }, () => 0.999999)).toBeCloseTo(400, 2);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("8", now)).toBe(8000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("0", now)).toBe(0);
  });
  it("reads an HTTP-date relative to now", () => {
    expect(parseRetryAfter("Sun, 22 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });
  it("reads all three HTTP-date forms of RFC 9110 as the same GMT instant", () => {
    const in30s = ["Sun, 22 Nov 2026 12:00:30 GMT", "Sunday, 22-Nov-26 12:00:30 GMT", "Sun Nov 22 12:00:30 2026"];
    expect(in30s.map((date) => parseRetryAfter(date, now))).toEqual([30_000, 30_000, 30_000]);
    const jan1 = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter("Thu Jan  1 00:00:30 2026", jan1)).toBe(30_000);
    expect(parseRetryAfter("Thursday, 01-Jan-26 00:01:00 GMT", jan1)).toBe(60_000);
  });
  it("reads an RFC 850 two-digit year as 1950-2049, as documented", () => {
    expect(parseRetryAfter("Saturday, 01-Jan-77 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("Friday, 01-Jan-49 00:00:00 GMT", now)).toBe(Date.UTC(2049, 0, 1) - now);
  });
  it("reads an HTTP-date as GMT under any process time zone", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = "America/New_York";
      // Proof that the zone took effect, or this test would pass vacuously.
      expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(300);
      const jan1 = Date.UTC(2026, 0, 1);
      expect(parseRetryAfter("Thu Jan  1 00:00:30 2026", jan1)).toBe(30_000);
      expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", jan1)).toBe(30_000);
      expect(parseRetryAfter("Thursday, 01-Jan-26 00:00:30 GMT", jan1)).toBe(30_000);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
  it("refuses what RFC 9110 does not define: decimal seconds, ISO 8601, other zones", () => {
    for (const bad of [
      "1.5",
      "30.0",
      "+30",
      "2026-11-22T12:00:30Z",
      "2026-11-22",
      "Sun, 22 Nov 2026 12:00:30 +0000",
      "Sun, 22 Nov 2026 12:00:30 EST",
      "Sun, 22 Nov 2026 12:00:30",
      "sun, 22 nov 2026 12:00:30 gmt",
    ]) {
      expect(parseRetryAfter(bad, now), bad).toBeUndefined();
    }
  });
  it("reads the date itself leniently, as documented, and still refuses what it cannot read", () => {
    // Date.parse ignores the weekday and rolls 31 Feb over to 3 Mar.
    expect(parseRetryAfter("Mon, 22 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sat, 31 Feb 2026 12:00:00 GMT", Date.UTC(2026, 2, 3, 11, 59))).toBe(60_000);
    expect(parseRetryAfter("Sunday, 22 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sun, 22-Nov-2026 12:00:30 GMT", now)).toBe(30_000);
    for (const bad of [
      "Sun, 22 Foo 2026 12:00:30 GMT",
      "Sun, 22 Nov 2026 12:60:00 GMT",
      "Sun, 00 Nov 2026 12:00:30 GMT",
      "Sun Nov 22 12:00:30 26",
    ]) {
      expect(parseRetryAfter(bad, now), bad).toBeUndefined();
    }
  });
  it("ignores what it cannot read", () => {
    for (const bad of [null, undefined, "", "-5", "soon", "1e3", "12 soon", "x".repeat(1000)]) {
      expect(parseRetryAfter(bad, now)).toBeUndefined();
    }
  });

  // Issue 27: 9007199254741 s (or 15 digits) was dropped, so a larger value meant a shorter wait.
  it("clamps a delay too large for a number instead of dropping it", () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(parseRetryAfter("9007199254740", now)).toBe(9_007_199_254_740_000);
    for (const huge of ["9007199254741", "999999999999999", "9".repeat(16), "9".repeat(400), "1".repeat(1 << 20)])
      expect(parseRetryAfter(huge, now), `${huge.length} digits`).toBe(max);
    // Larger never means shorter.
    const sizes = ["60", "9007199254740", "9007199254741", "9".repeat(20)].map((v) => parseRetryAfter(v, now) ?? -1);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  // Issue 27: "Zzz 0001" read as a date in year 1, so 0 ms.
  it("reads garbage as no hint, never as 0 ms", () => {
    for (const garbage of [
      "Zzz 0001",
      "Abc 2026",
      "Xyz, 01 Jan 2026 00:00:00 GMT",
      "Sun 0001",
      "Mon GMT",
      "Sun, x GMT",
    ])
      expect(parseRetryAfter(garbage, now), garbage).toBeUndefined();
    // A real date in the past is still 0: the server says "now".
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:00 GMT", now)).toBe(0);
  });

  it("reads a megabyte of digits in linear time (growth as a ratio of CPU times, not a time)", () => {
    expect(
      growth((scale) => {
        const digits = "1".repeat(64 * 1024 * scale);
        return () => parseRetryAfter(digits, now);
      }),
    ).toBeLessThan(LINEAR_GROWTH);
  });
});
