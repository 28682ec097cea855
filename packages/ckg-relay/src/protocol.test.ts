import { TOO_LARGE } from "@wirefault/core";
import { describeConformance } from "@wirefault/test-utils/conformance";
import { describe, expect, it } from "vitest";
import { CkgRelayCloseCode, MAX_ERROR_BYTES } from "./catalog.js";
import { CkgRelayError } from "./error.js";
import { classifyCloseCode, fromClose, fromResponse, isErrorMessage, messageType, protocol } from "./protocol.js";

// What the real implementations send (FIELD-NOTES.md), with the status each came with; a secret echoed is masked.
const FIELD_NOTES: readonly (readonly [body: string, status?: number, masked?: string])[] = [
  ['{"type":"error","event_id":"evt-1","error":"Agent crashed","code":"AGENT_ERROR"}'],
  ['{"type":"error","event_id":"evt-2","error":"Not allowed","code":"AGENT_NOT_ALLOWED"}'],
  ['{"type":"error","code":"AGENT_OFFLINE","message":"Agent is offline","event_id":"evt_123"}'],
  ['{"type":"error","code":"RELAY_INTERNAL_ERROR","message":"Relay failed"}'],
  ['{"type":"error","code":"PAYLOAD_TOO_LARGE","message":"Payload exceeds 65536 bytes","event_id":"evt-3"}'],
  [
    '{"type":"error","event_id":"e","error":"bad token=abc123","code":"AGENT_ERROR"}',
    undefined,
    '{"type":"error","event_id":"e","error":"bad token=[redacted]","code":"AGENT_ERROR"}',
  ],
];

describeConformance(protocol, {
  details: [
    {
      payload: { type: "error", code: "AGENT_ERROR", event_id: "Bearer sk-abc123", extra: "x" },
      expected: { eventId: "Bearer [redacted]" },
      without: { type: "error", code: "AGENT_ERROR" },
    },
  ],
  fieldNotes: FIELD_NOTES,
  // Real relay messages, traffic among them.
  messages: [
    '{"type":"error","event_id":"evt-1","error":"Agent crashed","code":"AGENT_ERROR"}',
    '{"type":"error","code":"AGENT_OFFLINE","message":"The agent is offline","event_id":"evt-2"}',
    '{"type":"error","code":"RATE_LIMITED","message":"Slow down","retry_after":3}',
    '{"type":"event","event_id":"evt-3","app_id":"a","thread_id":"t","payload":{}}',
  ],
  predicates: { isErrorMessage, messageType: (data: unknown) => messageType(data) },
  dir: new URL(".", import.meta.url),
  wire: (entry, code) => ({ type: "error", code, message: `relay said ${entry.code}`, event_id: "evt_1" }),
});

describe("classifyCloseCode", () => {
  it("4001, a bad agent token, needs a person and is not retryable", () => {
    expect(CkgRelayCloseCode.BAD_AGENT_TOKEN).toBe(4001);
    expect(classifyCloseCode(4001)).toEqual({ name: "BAD_AGENT_TOKEN", retryable: "no", action: "user-action" });
  });

  it("classifies standard codes as RFC 6455 does", () => {
    expect(classifyCloseCode(1000)).toEqual({ name: "NORMAL_CLOSURE", retryable: "maybe", action: "reconnect" });
    expect(classifyCloseCode(1006)).toEqual({ name: "ABNORMAL_CLOSURE", retryable: "yes", action: "reconnect" });
    expect(classifyCloseCode(1011)).toEqual({ name: "INTERNAL_ERROR", retryable: "yes", action: "reconnect" });
    expect(classifyCloseCode(1008)).toEqual({ name: "POLICY_VIOLATION", retryable: "no", action: "user-action" });
  });

  it("leaves undocumented codes undefined", () => {
    expect(classifyCloseCode(4002)).toBeUndefined();
    expect(classifyCloseCode(3000)).toBeUndefined();
  });
});

describe("fromClose", () => {
  it("makes 4001 a typed, non-retryable error with its reason", () => {
    const error = fromClose(4001, "invalid agent token");
    expect(error).toBeInstanceOf(CkgRelayError);
    expect(error).toMatchObject({
      surface: "close",
      code: 4001,
      codeName: "BAD_AGENT_TOKEN",
      message: "invalid agent token",
      retryable: "no",
      action: "user-action",
      known: true,
      status: undefined,
    });
  });

  it("reads a reason given as bytes (the ws package's Buffer), capped at 123 bytes", () => {
    expect(fromClose(4001, new TextEncoder().encode("bad token")).message).toBe("bad token");
    expect(fromClose(1011, "x".repeat(10_000)).message).toHaveLength(123);
    expect(fromClose(1011, new Uint8Array(10_000).fill(0x78)).message).toHaveLength(123);
  });

  it("names the code when there is no reason, as core does for every protocol", () => {
    expect(fromClose(4001).message).toBe("WebSocket closed with code 4001 (BAD_AGENT_TOKEN)");
    expect(fromClose(1006, "")).toMatchObject({
      message: "WebSocket closed with code 1006 (ABNORMAL_CLOSURE)",
      retryable: "yes",
    });
  });

  it("takes a CloseEvent as well as a code and reason", () => {
    expect(fromClose({ code: CkgRelayCloseCode.BAD_AGENT_TOKEN, reason: "bad token" })).toMatchObject({
      code: 4001,
      codeName: "BAD_AGENT_TOKEN",
      message: "bad token",
      known: true,
    });
  });

  it("an undocumented code is unknown and not retried", () => {
    expect(fromClose(4999)).toMatchObject({
      code: 4999,
      known: false,
      retryable: "no",
      action: "abort",
      message: "WebSocket closed with code 4999",
    });
  });
});

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("fromResponse", () => {
  it("reads a JSON body, with the response's status", async () => {
    const error = await fromResponse(json({ code: "AGENT_ERROR", message: "agent crashed", event_id: "evt_5" }, 500));
    expect(error).toBeInstanceOf(CkgRelayError);
    expect(error).toMatchObject({
      code: "AGENT_ERROR",
      message: "agent crashed",
      eventId: "evt_5",
      status: 500,
      retryable: "maybe",
      known: true,
    });
  });

  it("reads the WebSocket shapes over HTTP too", async () => {
    const error = await fromResponse(
      json({ type: "error", event_id: "e", error: "too big", code: "PAYLOAD_TOO_LARGE" }, 413),
    );
    expect(error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: "too big", status: 413, retryable: "no" });
  });

  it("a 503 with no body is AGENT_OFFLINE", async () => {
    const error = await fromResponse(new Response(null, { status: 503 }));
    expect(error).toMatchObject({
      code: "AGENT_OFFLINE",
      codeName: "AGENT_OFFLINE",
      status: 503,
      retryable: "yes",
      action: "retry",
      known: true,
    });
    expect(error.policy?.maxAttempts).toBe(4);
  });

  it.each([
    [400, "INVALID_MESSAGE"],
    [403, "NOT_ALLOWED"],
    [404, "AGENT_NOT_FOUND"],
    [413, "PAYLOAD_TOO_LARGE"],
    [429, "RATE_LIMITED"],
    [500, "RELAY_INTERNAL_ERROR"],
    [503, "AGENT_OFFLINE"],
    [504, "AGENT_TIMEOUT"],
  ])("a bare %i is %s", async (status, code) => {
    expect(await fromResponse(new Response("", { status }))).toMatchObject({ code, status, known: true });
    expect(await fromResponse(new Response("   \n", { status }))).toMatchObject({ code, status });
  });

  it("falls back to the status when the body is not JSON, keeping why", async () => {
    const error = await fromResponse(new Response("<html>Service Unavailable</html>", { status: 503 }));
    expect(error).toMatchObject({ code: "AGENT_OFFLINE", status: 503, known: true });
    expect(error.message).toBe("The agent is not connected to the relay right now.");
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("falls back to the status when a JSON body names no code", async () => {
    expect(await fromResponse(json({ detail: "nope" }, 404))).toMatchObject({ code: "AGENT_NOT_FOUND", status: 404 });
  });

  it("reads Retry-After, and no other header", async () => {
    const error = await fromResponse(
      json({ code: "RATE_LIMITED", message: "slow" }, 429, { "retry-after": "7", "x-api-key": "sk-secret" }),
    );
    expect(error.retryAfterMs).toBe(7000);
    expect(JSON.stringify(error.toJSON())).not.toContain("sk-secret");
    expect(
      (await fromResponse(new Response(null, { status: 429, headers: { "retry-after": "3" } }))).retryAfterMs,
    ).toBe(3000);
  });

  it("takes the body's retry_after over the Retry-After header", async () => {
    const error = await fromResponse(json({ code: "RATE_LIMITED", retry_after: 3 }, 429, { "retry-after": "7" }));
    expect(error.retryAfterMs).toBe(3000);
  });

  it("stops reading a body over 1 MiB: it stays TOO_LARGE, classified as its status's code", async () => {
    const error = await fromResponse(new Response("x".repeat(MAX_ERROR_BYTES + 1), { status: 503 }));
    // A bare 503 is AGENT_OFFLINE, so the refused body is retried as AGENT_OFFLINE would be.
    expect(error).toMatchObject({ code: TOO_LARGE, known: false, status: 503, retryable: "yes", action: "retry" });
    const internal = await fromResponse(new Response("x".repeat(MAX_ERROR_BYTES + 1), { status: 500 }));
    expect(internal).toMatchObject({ code: TOO_LARGE, status: 500, retryable: "yes", action: "retry" });
  });

  it("survives a body that breaks mid-read", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"code":'));
        controller.error(new Error("connection reset"));
      },
    });
    const error = await fromResponse(new Response(body, { status: 504 }));
    expect(error).toMatchObject({ code: "AGENT_TIMEOUT", status: 504 });
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe("isErrorMessage", () => {
  it("tells an error from every other message type", () => {
    expect(isErrorMessage({ type: "error", code: "AGENT_OFFLINE" })).toBe(true);
    expect(isErrorMessage({ type: "error", event_id: "e", error: "x", code: "AGENT_ERROR" })).toBe(true);
    for (const type of ["event", "token", "reply", "ping", "pong"]) expect(isErrorMessage({ type })).toBe(false);
  });

  it("reads raw data too: a JSON string or bytes of an error message", () => {
    expect(isErrorMessage('{"type":"error"}')).toBe(true);
    expect(isErrorMessage(new TextEncoder().encode('{"type":"error"}'))).toBe(true);
    expect(isErrorMessage('{"type":"event"}')).toBe(false);
  });

  it("is false for anything that is not an error message, and never throws", () => {
    const hostile = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
      },
    );
    for (const value of [undefined, null, "error", '"error"', ["error"], { type: "ERROR" }, hostile])
      expect(isErrorMessage(value)).toBe(false);
    expect(isErrorMessage(Object.create({ type: "error" }))).toBe(false);
  });
});

describe("messageType", () => {
  it("names the relay's message types", () => {
    for (const type of ["event", "token", "reply", "ping", "pong", "error"] as const)
      expect(messageType({ type })).toBe(type);
    expect(messageType({ type: "hello" })).toBeUndefined();
    expect(messageType({ type: "toString" })).toBeUndefined();
    expect(messageType(null)).toBeUndefined();
  });
});
