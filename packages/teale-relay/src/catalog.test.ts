import { type CatalogEntry, isRetryable, retry } from "@wirefault/core";
import { recordingClock, seededRandom } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { catalog, codeAliases, NoiseErrorCode, PtnErrorCode, TealeRelayErrorCode } from "./catalog.js";
import { NoiseError, PtnError } from "./error.js";
import { parseError } from "./protocol.js";

// The page's tables, in the page's order, with the retry classification.
const PAGE = [
  ["relay", "peer_not_found", undefined, "maybe", "reset"],
  ["relay", "invalid_json", undefined, "no", "fix-request"],
  ["relay", "invalid_message", undefined, "no", "fix-request"],
  ["relay", "invalid_register", undefined, "no", "fix-request"],
  ["relay", "rate_limited", undefined, "yes", "throttle"],
  ["relay", "unsupported_message", undefined, "no", "fix-request"],
  ["api", "model_not_loaded", 503, "maybe", "reset"],
  ["api", "invalid_request", 400, "no", "fix-request"],
  ["api", "internal_error", 500, "yes", "retry"],
  ["api", "unauthorized", 401, "no", "user-action"],
  // FIELD-NOTES.md, third pass: the hosted gateway's codes beside the local API's.
  ["api", "not_found", 404, "no", "fix-request"],
  ["api", "forbidden", 403, "no", "user-action"],
  ["api", "budget_exhausted", 402, "no", "user-action"],
  ["api", "insufficient_credits", 402, "no", "user-action"],
  ["api", "model_not_found", 404, "no", "fix-request"],
  ["api", "model_unavailable", 503, "yes", "retry"],
  ["api", "upstream_error", 502, "yes", "retry"],
  ["api", "upstream_failed", 502, "yes", "retry"],
  ["api", "timeout", 504, "yes", "retry"],
  ["api", "relay_unavailable", 503, "yes", "retry"],
  ["ptn", "invalidInviteCode", undefined, "no", "user-action"],
  ["ptn", "inviteExpired", undefined, "no", "user-action"],
  ["ptn", "notPTNAdmin", undefined, "no", "user-action"],
  ["ptn", "caKeyNotFound", undefined, "no", "user-action"],
  ["ptn", "ptnNotFound", undefined, "no", "fix-request"],
  ["ptn", "certificateVerificationFailed", undefined, "no", "abort"],
  ["ptn", "joinRequestTimeout", undefined, "maybe", "retry"],
  ["ptn", "joinRejected", undefined, "no", "user-action"],
  // FIELD-NOTES.md: the ninth PTN case.
  ["ptn", "recoveryTooEarly", undefined, "no", "wait"],
  ["noise", "handshakeFailed", undefined, "maybe", "reconnect"],
  ["noise", "decryptionFailed", undefined, "maybe", "reconnect"],
  ["noise", "invalidMessage", undefined, "no", "abort"],
  ["noise", "invalidPublicKey", undefined, "no", "abort"],
  ["noise", "replayDetected", undefined, "no", "abort"],
  ["noise", "sessionExpired", undefined, "yes", "reconnect"],
] as const;

const entries: readonly CatalogEntry[] = catalog;

describe("catalog", () => {
  it("holds exactly the page's codes, in order, each with its surface and status", () => {
    expect(entries.map((e) => [e.surface, e.code, e.status])).toEqual(PAGE.map(([s, c, status]) => [s, c, status]));
  });

  it.each(PAGE)("%s %s: status %s, retryable %s, action %s", (surface, code, status, retryable, action) => {
    const entry = entries.find((e) => e.code === code);
    expect(entry).toMatchObject({ surface, code, name: code, retryable, action });
    expect(entry?.status).toBe(status);
    expect(entry?.summary.length).toBeGreaterThan(10);
  });

  it("has 6 relay, 14 api, 9 ptn and 6 noise codes", () => {
    const count = (s: string) => catalog.filter((e) => e.surface === s).length;
    expect([count("relay"), count("api"), count("ptn"), count("noise")]).toEqual([6, 14, 9, 6]);
  });

  it("each api row says which server sends it: the gateway's 13 codes, three of them shared with the local API", () => {
    const api = catalog.filter((e) => e.surface === "api");
    const by = (server: string) => api.filter((e) => "server" in e && e.server === server).map((e) => e.code);
    expect(by("local")).toEqual(["model_not_loaded"]);
    expect(by("both")).toEqual(["invalid_request", "internal_error", "unauthorized"]);
    expect(by("gateway")).toHaveLength(10);
    expect(catalog.filter((e) => e.surface !== "api").every((e) => !("server" in e))).toBe(true);
  });

  it("the gateway's 402s are user-action and its 502, 503 and 504 are transient", () => {
    for (const e of catalog.filter((e) => e.surface === "api")) {
      if (e.status === 402) expect([e.retryable, e.action]).toEqual(["no", "user-action"]);
      if (e.status === 502 || e.status === 504 || (e.status === 503 && e.server === "gateway"))
        expect([e.retryable, e.action]).toEqual(["yes", "retry"]);
    }
  });

  it("is frozen", () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(catalog.every((e) => Object.isFrozen(e))).toBe(true);
  });

  it("exports literal code constants, whole and per surface", () => {
    expect(TealeRelayErrorCode.rate_limited).toBe("rate_limited");
    expect(TealeRelayErrorCode.model_not_loaded).toBe("model_not_loaded");
    expect(Object.keys(TealeRelayErrorCode)).toEqual(catalog.map((e) => e.code));
    expect(Object.values(PtnErrorCode)).toEqual(PAGE.filter((p) => p[0] === "ptn").map((p) => p[1]));
    expect(Object.values(NoiseErrorCode)).toEqual(PAGE.filter((p) => p[0] === "noise").map((p) => p[1]));
    expect(PtnErrorCode.recoveryTooEarly).toBe("recoveryTooEarly");
    expect(NoiseErrorCode.sessionExpired).toBe("sessionExpired");
    expect(Object.isFrozen(PtnErrorCode) && Object.isFrozen(NoiseErrorCode)).toBe(true);
  });
});

describe("retry classification, as retry() applies it", () => {
  const failWith = (error: unknown) => () => {
    throw error;
  };
  const run = async (error: unknown, options = {}) => {
    const clock = recordingClock();
    const result = await retry(failWith(error), { clock, random: seededRandom(1), ...options }).catch((e) => e);
    return { clock, result };
  };

  it("rate_limited without a hint waits at least the documented 10 s", async () => {
    const { clock, result } = await run(parseError('{"error":{"code":"rate_limited","message":"slow down"}}'));
    expect(result.attempts).toBe(5);
    expect(clock.delays).toHaveLength(4);
    for (const delay of clock.delays) expect(delay).toBeGreaterThanOrEqual(10_000);
  });

  it("rate_limited honours a longer retryAfterSeconds", async () => {
    const frame = '{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":45}}';
    const { clock } = await run(parseError(frame), { maxAttempts: 2, jitter: "none" });
    expect(clock.delays).toEqual([45_000]);
  });

  it("rate_limited waits retryAfterSeconds when given, and 10 s without it", async () => {
    const frame =
      '{"error":{"code":"rate_limited","message":"Discover rate limited, retry after 8s","retryAfterSeconds":8}}';
    expect((await run(parseError(frame), { maxAttempts: 2, jitter: "none" })).clock.delays).toEqual([8_000]);
    const bare = '{"error":{"code":"rate_limited","message":"Discover rate limited"}}';
    expect((await run(parseError(bare), { maxAttempts: 2 })).clock.delays).toEqual([10_000]);
  });

  it("a hostile retryAfterSeconds of 1e12 is clamped by retry() to 60 s", async () => {
    const frame = '{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":1e12}}';
    const error = parseError(frame);
    expect(error.retryAfterMs).toBe(1e15);
    const { clock } = await run(error, { maxAttempts: 2 });
    expect(clock.delays).toEqual([60_000]);
  });

  // Issue 27: past 2^53-1 ms the hint was dropped and the code's own 10 s applied; a larger hint meant a shorter wait.
  it("retryAfterSeconds past 2^53-1 ms (9007199254741, 15 digits, 1e300) waits the 60 s clamp, never the 10 s backoff", async () => {
    for (const seconds of ["9007199254740", "9007199254741", "999999999999999", "1e300", "1e400"]) {
      const frame = `{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":${seconds}}}`;
      const { clock } = await run(parseError(frame), { maxAttempts: 2, jitter: "none" });
      expect(clock.delays, seconds).toEqual([60_000]);
    }
  });

  it("peer_not_found and model_not_loaded (reset, maybe): never re-sent without recover.reset; with it, one retry after it", async () => {
    for (const error of [
      parseError('{"error":{"code":"peer_not_found","message":"Peer n1 is not connected"}}'),
      parseError('{"error":{"message":"m","type":"model_not_loaded","code":"model_not_loaded"}}', { status: 503 }),
    ]) {
      const bare = await run(error);
      expect(bare.result).toBe(error);
      expect([bare.result.attempts, bare.clock.delays]).toEqual([1, []]);
      const resets: number[] = [];
      const handled = await run(error, {
        recover: { reset: (_e: unknown, { attempt }: { attempt: number }) => resets.push(attempt) },
      });
      expect(handled.result.attempts).toBe(2);
      expect(resets).toEqual([1]);
    }
  });

  it("internal_error is retried; no-codes stop at once", async () => {
    const internal = await run(parseError('{"error":{"message":"boom","type":"internal_error"}}', { status: 500 }));
    expect(internal.result.attempts).toBe(5);
    for (const code of ["invalid_json", "invalid_message", "invalid_register", "unsupported_message"]) {
      const { clock, result } = await run(parseError({ error: { code, message: "m" } }));
      expect([result.attempts, clock.delays.length, isRetryable(result)]).toEqual([1, 0, false]);
    }
    const unauthorized = await run(parseError("", { status: 401 }));
    expect([unauthorized.result.code, unauthorized.result.attempts]).toEqual(["unauthorized", 1]);
  });

  it("Noise sessionExpired is retried after reconnecting; replayDetected never", async () => {
    expect(isRetryable(new NoiseError("sessionExpired"))).toBe(true);
    const replay = await run(new NoiseError("replayDetected"));
    expect(replay.result.attempts).toBe(1);
    const recovery = await run(PtnError.recoveryTooEarly(3));
    expect(recovery.result.attempts).toBe(1);
  });
});

describe("codeAliases", () => {
  it("maps each spelling FIELD-NOTES.md records to an API code, and the parser reads it as that code", () => {
    expect(Object.keys(codeAliases).sort()).toEqual([
      "api_error",
      "authentication_error",
      "billing_error",
      "invalid_api_key",
      "invalid_request_error",
      "not_found_error",
      "overloaded_error",
      "permission_error",
    ]);
    for (const [alias, code] of Object.entries(codeAliases)) {
      expect(catalog.find((entry) => entry.code === code)?.surface).toBe("api");
      expect(parseError({ error: { message: "m", type: alias, code: alias } })).toMatchObject({ code, known: true });
    }
  });
});
