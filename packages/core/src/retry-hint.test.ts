// Issue 27: a hint too large for a number of ms was clamped when it came in the Retry-After
// header, but dropped when it came in a body's seconds field, a client library's
// retry-after-ms or a caller's context: there, a larger value meant a shorter wait.

import { recordingClock } from "@wirefault/test-utils";
import { APICallError } from "ai";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./backoff.js";
import { defineCatalog } from "./catalog.js";
import { ProtocolError } from "./error.js";
import { defineProtocol, overHttp } from "./protocol.js";
import { retry } from "./retry.js";
import { retryHintFromSeconds, retryHintMs } from "./retry-hint.js";

const MAX = Number.MAX_SAFE_INTEGER;

// biome-ignore format: one row per code
const catalog = defineCatalog([
  { surface: "api", code: "SLOW_DOWN", status: 429, retryable: "yes", action: "throttle", summary: "Too many requests.", policy: { baseMs: 10_000, minDelayMs: 10_000, jitter: "none" } },
] as const);

const wire = defineProtocol({
  name: "wire",
  title: "Wire",
  maxBytes: 1024,
  catalog,
  http: overHttp("api"),
  readers: [
    (value) => {
      const body = value as { code?: unknown; retry_in?: unknown };
      return typeof body?.code === "string"
        ? { surface: "api", code: body.code, retryAfterMs: retryHintFromSeconds(body.retry_in) }
        : undefined;
    },
  ],
  errorClass: () => ProtocolError,
});

describe("one hint rule: too large is clamped, never dropped; not a non-negative number is no hint", () => {
  it("retryHintMs clamps past 2^53-1 ms, up to Infinity, and keeps 0 as 0", () => {
    expect(retryHintMs(1500)).toBe(1500);
    expect(retryHintMs(MAX)).toBe(MAX);
    for (const huge of [MAX + 2, 1e300, Number.MAX_VALUE, Number.POSITIVE_INFINITY])
      expect(retryHintMs(huge)).toBe(MAX);
    expect(Object.is(retryHintMs(-0), 0)).toBe(true);
    for (const none of [-1, Number.NEGATIVE_INFINITY, Number.NaN, "5", null, undefined, 5n, { valueOf: () => 5 }])
      expect(retryHintMs(none), String(none)).toBeUndefined();
  });

  it("retryHintFromSeconds is the same rule, in seconds", () => {
    expect(retryHintFromSeconds(8)).toBe(8000);
    expect(retryHintFromSeconds(9_007_199_254_740)).toBe(9_007_199_254_740_000);
    for (const huge of [9_007_199_254_741, 999_999_999_999_999, 1e300, Number.POSITIVE_INFINITY])
      expect(retryHintFromSeconds(huge)).toBe(MAX);
    for (const none of [-1, Number.NaN, "8", null]) expect(retryHintFromSeconds(none)).toBeUndefined();
  });

  it("the header and a body field give the same hint for the same seconds", () => {
    for (const seconds of ["0", "8", "9007199254740", "9007199254741", "999999999999999", "9".repeat(400)])
      expect(retryHintFromSeconds(Number(seconds)), seconds).toBe(parseRetryAfter(seconds));
  });

  it("a body's hint in seconds past 2^53-1 ms is kept, clamped, and retry() waits its 60 s clamp, not the 10 s backoff", async () => {
    for (const seconds of ["9007199254741", "999999999999999", "1e300", "1e400"]) {
      const error = wire.parseError(`{"code":"SLOW_DOWN","retry_in":${seconds}}`);
      expect(error.retryAfterMs, seconds).toBe(MAX);
      const clock = recordingClock();
      let calls = 0;
      await retry(
        () => {
          if (++calls === 1) throw error;
          return calls;
        },
        { clock },
      );
      expect(clock.delays, seconds).toEqual([60_000]);
    }
  });

  it("a caller's context and the ProtocolError constructor clamp a huge hint too", () => {
    expect(wire.parseError('{"code":"SLOW_DOWN"}', { retryAfterMs: 1e20 }).retryAfterMs).toBe(MAX);
    expect(wire.parseError('{"code":"SLOW_DOWN"}', { retryAfterMs: Number.POSITIVE_INFINITY }).retryAfterMs).toBe(MAX);
    expect(wire.parseError('{"code":"SLOW_DOWN"}', { retryAfterMs: -5 }).retryAfterMs).toBeUndefined();
    const init = { protocol: "x", code: "c", message: "m", retryable: "yes", action: "throttle", known: true } as const;
    expect(new ProtocolError({ ...init, retryAfterMs: 1e300 }).retryAfterMs).toBe(MAX);
    expect(new ProtocolError({ ...init, retryAfterMs: Number.NaN }).retryAfterMs).toBeUndefined();
  });

  it("an AI SDK error whose retry-after-ms is too large for a number keeps the clamped hint", () => {
    const thrown = new APICallError({
      message: "slow down",
      url: "http://x",
      requestBodyValues: {},
      statusCode: 429,
      responseHeaders: { "retry-after-ms": "9".repeat(30) },
      responseBody: '{"code":"SLOW_DOWN"}',
    });
    expect(wire.parseError(thrown)).toMatchObject({ code: "SLOW_DOWN", retryAfterMs: MAX });
  });
});
