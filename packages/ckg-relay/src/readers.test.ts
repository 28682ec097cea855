// The relay's one message shape, read by readers.ts through core's parseError.
import { isProtocolError, MALFORMED, ProtocolError, TOO_LARGE } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { MAX_ERROR_BYTES } from "./catalog.js";
import { CkgRelayError } from "./error.js";
import { parseError } from "./protocol.js";
import { readers } from "./readers.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("parseError: the documented shape", () => {
  const documented = { type: "error", code: "AGENT_OFFLINE", message: "Agent is offline", event_id: "evt_123" };

  it("reads every field and rebuilds the same wire message", () => {
    const error = parseError(JSON.stringify(documented));
    expect(error).toBeInstanceOf(CkgRelayError);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(isProtocolError(error)).toBe(true);
    expect(error.toJSON()).toEqual({
      name: "CkgRelayError",
      message: "Agent is offline",
      protocol: "ckg-relay",
      surface: "relay",
      code: "AGENT_OFFLINE",
      codeName: "AGENT_OFFLINE",
      status: 503,
      retryable: "yes",
      action: "retry",
      retryAfterMs: undefined,
      known: true,
      eventId: "evt_123",
      cause: undefined,
    });
    expect(error.toWire()).toEqual(documented);
    expect(error.raw).toEqual(documented);
    expect(error.policy).toEqual({ baseMs: 2000, factor: 2, capMs: 8000, maxAttempts: 4, jitter: "equal" });
  });

  it("takes `message` and `event_id` as optional", () => {
    const error = parseError({ type: "error", code: "AGENT_TIMEOUT" });
    expect(error).toMatchObject({ code: "AGENT_TIMEOUT", status: 504, retryable: "maybe", known: true });
    expect(error.eventId).toBeUndefined();
    expect(error.message).toBe("The agent did not answer within the relay's timeout.");
    // Given back as received: the summary fills `message` but never enters the wire form.
    expect(error.toWire()).toEqual({ type: "error", code: "AGENT_TIMEOUT" });
  });

  it("reads UTF-8 bytes and ArrayBuffers", () => {
    const text = JSON.stringify(documented);
    expect(parseError(bytes(text)).toWire()).toEqual(documented);
    expect(parseError(bytes(text).buffer).toWire()).toEqual(documented);
  });
});

describe("parseError: field-notes variants", () => {
  it("reads the public client's shape, with the text in `error`", () => {
    const error = parseError(
      '{"type":"error","event_id":"evt_7","error":"Agent took too long","code":"AGENT_TIMEOUT"}',
    );
    expect(error).toMatchObject({
      code: "AGENT_TIMEOUT",
      message: "Agent took too long",
      eventId: "evt_7",
      status: 504,
      retryable: "maybe",
      action: "retry",
      known: true,
    });
    // The text stays under `error`, where it came.
    expect(JSON.stringify(error.toWire())).toBe(
      '{"type":"error","event_id":"evt_7","error":"Agent took too long","code":"AGENT_TIMEOUT"}',
    );
  });

  it("prefers `message` when both are present", () => {
    expect(parseError({ type: "error", code: "AGENT_ERROR", message: "m", error: "e" }).message).toBe("m");
  });

  it("accepts an HTTP body with no `type`", () => {
    expect(parseError({ code: "NOT_ALLOWED", message: "denied" })).toMatchObject({
      code: "NOT_ALLOWED",
      message: "denied",
      status: 403,
      known: true,
    });
  });

  it("keeps a numeric event_id as a string", () => {
    expect(parseError({ type: "error", code: "AGENT_ERROR", event_id: 42 }).eventId).toBe("42");
  });
});

describe("parseError: context", () => {
  it("takes the HTTP status over the page's", () => {
    expect(parseError({ code: "AGENT_ERROR" }, { status: 502 }).status).toBe(502);
    expect(parseError({ code: "AGENT_ERROR" }, { status: 1234 }).status).toBe(500);
  });

  it("gives an unknown code the verdict of its HTTP status", () => {
    expect(parseError({ code: "AGENT_SLEEPING" }, { status: 503 })).toMatchObject({
      code: "AGENT_SLEEPING",
      known: false,
      status: 503,
      retryable: "yes",
      action: "retry",
    });
  });

  it("takes `retry_after` seconds in the body over the transport's hint, as core does for every payload", () => {
    expect(parseError({ code: "RATE_LIMITED", retry_after: 12 }).retryAfterMs).toBe(12_000);
    expect(parseError({ code: "RATE_LIMITED", retry_after: 12 }, { retryAfterMs: 5000 }).retryAfterMs).toBe(12_000);
    expect(parseError({ code: "RATE_LIMITED" }, { retryAfterMs: 5000 }).retryAfterMs).toBe(5000);
    // A hint that is not a non-negative number of seconds is ignored: the transport's stands.
    expect(parseError({ code: "RATE_LIMITED", retry_after: -1 }).retryAfterMs).toBeUndefined();
    expect(parseError({ code: "RATE_LIMITED", retry_after: -1 }, { retryAfterMs: 5000 }).retryAfterMs).toBe(5000);
    expect(parseError({ code: "RATE_LIMITED", retry_after: "soon" }).retryAfterMs).toBeUndefined();
    expect(parseError({ code: "RATE_LIMITED", retry_after: 0 }).retryAfterMs).toBe(0);
  });

  // Issue 27: a retry_after too large for a number of ms was dropped, so the transport's hint or the
  // code's own backoff applied: a larger value meant a shorter wait. Clamped now, as the Retry-After header is.
  it("clamps a `retry_after` too large for a number of ms to 2^53-1 ms, never drops it", () => {
    for (const seconds of ["9007199254741", "999999999999999", "1e300", "1e400"]) {
      const text = `{"type":"error","code":"RATE_LIMITED","message":"m","retry_after":${seconds}}`;
      expect(parseError(text).retryAfterMs, seconds).toBe(Number.MAX_SAFE_INTEGER);
      // The message's own hint still wins over the transport's, however large.
      expect(parseError(text, { retryAfterMs: 5000 }).retryAfterMs, seconds).toBe(Number.MAX_SAFE_INTEGER);
    }
    expect(parseError({ code: "RATE_LIMITED", retry_after: Number.POSITIVE_INFINITY }).retryAfterMs).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(parseError('{"code":"RATE_LIMITED","retry_after":9007199254740}').retryAfterMs).toBe(9_007_199_254_740_000);
    expect(parseError({ code: "RATE_LIMITED", retry_after: Number.NaN }).retryAfterMs).toBeUndefined();
  });

  it("falls back to the status when the body names no code, keeping why", () => {
    const error = parseError("Service Unavailable", { status: 503 });
    expect(error).toMatchObject({ code: "AGENT_OFFLINE", known: true, status: 503 });
    expect(error.message).toBe("The agent is not connected to the relay right now.");
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("a well-formed message without a code keeps its text when the status names the code", () => {
    const error = parseError({ type: "error", message: "Agent went away", event_id: "evt_9" }, { status: 503 });
    expect(error).toMatchObject({ code: "AGENT_OFFLINE", known: true, message: "Agent went away" });
    const other = parseError({ type: "reply", message: "hi" }, { status: 503 });
    expect(other).toMatchObject({
      code: "AGENT_OFFLINE",
      message: "The agent is not connected to the relay right now.",
    });
  });
});

describe("parseError: bad input never throws", () => {
  it("a missing code: the message says what the relay said, else that it named no code", () => {
    const error = parseError({ type: "error", message: "no code here" });
    expect(error).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort" });
    expect(error.message).toBe("no code here");
    expect(error.raw).toEqual({ type: "error", message: "no code here" });
    expect(parseError({ type: "error", event_id: "e" }).message).toBe("CKG Relay error names no code");
  });

  it("a numeric code is kept, unknown", () => {
    const error = parseError({ type: "error", code: 503, message: "offline?" });
    expect(error).toMatchObject({ code: 503, known: false, retryable: "no", action: "abort", message: "offline?" });
    expect(error.status).toBeUndefined();
    expect(error.codeName).toBeUndefined();
  });

  it("an unknown code is kept, unknown", () => {
    const error = parseError({ type: "error", code: "AGENT_SLEEPING", event_id: "evt_1" });
    expect(error).toMatchObject({ code: "AGENT_SLEEPING", known: false, retryable: "no", action: "abort" });
    expect(error.message).toBe("CKG Relay error AGENT_SLEEPING");
    expect(error.eventId).toBe("evt_1");
  });

  it("a code of the wrong type, or empty, counts as missing", () => {
    for (const code of [null, true, {}, ["AGENT_OFFLINE"], Number.NaN, ""])
      expect(parseError({ type: "error", code }).code).toBe(MALFORMED);
  });

  it("a missing `type` is an HTTP-style body; another `type` is not an error", () => {
    expect(parseError({ code: "AGENT_OFFLINE" }).known).toBe(true);
    const reply = parseError({ type: "reply", code: "AGENT_OFFLINE" });
    expect(reply).toMatchObject({ code: MALFORMED, known: false, message: "not an error message (type reply)" });
    expect(parseError({ type: 7, code: "AGENT_OFFLINE" }).message).toBe("not an error message (type number)");
    expect(parseError({ type: `x${"y".repeat(100)}`, code: "AGENT_OFFLINE" }).message).toBe(
      `not an error message (type x${"y".repeat(31)})`,
    );
  });

  it("`error` as an object: its text and code are used, anything else ignored", () => {
    expect(parseError({ type: "error", error: { code: "AGENT_ERROR", message: "boom" } })).toMatchObject({
      code: "AGENT_ERROR",
      message: "boom",
      known: true,
    });
    const odd = parseError({ type: "error", code: "AGENT_ERROR", error: { detail: { deep: 1 } } });
    expect(odd).toMatchObject({
      code: "AGENT_ERROR",
      message: "The agent itself returned an error; see the agent's logs.",
    });
    expect(parseError({ type: "error", code: "AGENT_ERROR", error: ["x"] }).message).toMatch(/agent itself/);
    expect(parseError({ type: "error", code: "AGENT_ERROR", error: 12 }).known).toBe(true);
  });

  it("the 1 MiB cap counts UTF-8 bytes, of text and of a decoded object's strings alike", () => {
    // 400,000 three-byte chars are 1.2 MB; 300,000 are 0.9 MB.
    expect(parseError(`{"code":"AGENT_ERROR","message":"${"€".repeat(400_000)}"}`).code).toBe(TOO_LARGE);
    expect(parseError(`{"code":"AGENT_ERROR","message":"${"€".repeat(300_000)}"}`).code).toBe("AGENT_ERROR");
    expect(parseError({ code: "AGENT_ERROR", message: "€".repeat(400_000) }).code).toBe(TOO_LARGE);
    expect(parseError({ code: "AGENT_ERROR", message: "€".repeat(300_000) }).code).toBe("AGENT_ERROR");
    expect(parseError({ type: "error", code: "x".repeat(MAX_ERROR_BYTES + 1) }).code).toBe(TOO_LARGE);
  });

  it("__proto__ keys are data, never a prototype or a source of fields", () => {
    const inherited = parseError('{"type":"error","__proto__":{"code":"AGENT_OFFLINE","message":"hi"}}');
    expect(inherited).toMatchObject({ code: MALFORMED, known: false });
    const polluting = parseError(
      '{"type":"error","code":"AGENT_ERROR","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}',
    );
    expect(polluting).toMatchObject({ code: "AGENT_ERROR", known: true });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((polluting as unknown as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(polluting.toJSON())).not.toContain("__proto__");
  });

  it("fields inherited by a decoded object are not read", () => {
    const object = Object.create({ code: "AGENT_OFFLINE" }) as object;
    expect(parseError(object).code).toBe(MALFORMED);
  });

  it("text that is not JSON keeps the text and why", () => {
    const text = parseError("{not json");
    expect(text).toMatchObject({ code: MALFORMED, known: false, message: "CKG Relay error text is not JSON" });
    expect(text.cause).toBeInstanceOf(SyntaxError);
    expect(text.raw).toBe("{not json");
    expect(parseError('"AGENT_OFFLINE"')).toMatchObject({ code: MALFORMED, message: "Not a CKG Relay error" });
  });

  it("masks secrets in the message", () => {
    const error = parseError({ code: "NOT_ALLOWED", message: "token Bearer sk-abc123 refused" });
    expect(error.message).toBe("token Bearer [redacted] refused");
    expect(JSON.stringify(error.toJSON())).not.toContain("sk-abc123");
  });
});

describe("the reader itself", () => {
  const [read] = readers;
  it("reads its one shape, says what is wrong with another type, and passes on what is not an object", () => {
    expect(read?.({ type: "error", code: "AGENT_ERROR", error: "boom", event_id: 7 }, {})).toMatchObject({
      surface: "relay",
      code: "AGENT_ERROR",
      message: "boom",
      details: { eventId: "7" },
    });
    expect(read?.({ type: "event" }, {})).toBe("not an error message (type event)");
    for (const value of [null, 1, "x", []]) expect(read?.(value, {})).toBeUndefined();
  });
});
// FIELD-NOTES.md, third pass: the public client puts the `rla_` token in the WebSocket URL's query.
describe("a URL with ?token=rla_… printed in an error", () => {
  const url = "wss://relay.example/v1/agents?token=rla_9f8e7d6c5b4a3210&app_id=app-1";

  it("never shows the token, in the message, toJSON() or toWire()", () => {
    const frame = { type: "error", event_id: "evt-1", error: `cannot connect to ${url}`, code: "AGENT_ERROR" };
    for (const input of [JSON.stringify(frame), new TextEncoder().encode(JSON.stringify(frame)), frame]) {
      const err = parseError(input);
      const printed = [err.message, JSON.stringify(err), JSON.stringify(err.toWire()), String(err)].join("\n");
      expect(printed).not.toContain("9f8e7d6c5b4a3210");
      expect(err.message).toContain("app_id=app-1");
    }
  });
});
