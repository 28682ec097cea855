import { MALFORMED } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { CkgRelayCloseCode, classifyCloseCode, fromClose } from "./close.js";
import { CkgRelayError } from "./error.js";

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

  it("names the code when there is no reason", () => {
    expect(fromClose(4001).message).toBe("WebSocket closed: BAD_AGENT_TOKEN (4001)");
    expect(fromClose(1006, "")).toMatchObject({
      message: "WebSocket closed: ABNORMAL_CLOSURE (1006)",
      retryable: "yes",
    });
  });

  it("an undocumented code is unknown and not retried", () => {
    expect(fromClose(4999)).toMatchObject({
      code: 4999,
      known: false,
      retryable: "no",
      action: "abort",
      message: "WebSocket closed: unknown close code (4999)",
    });
  });

  it("something that is not a close code is MALFORMED", () => {
    for (const code of [undefined, "4001", 40.5, null])
      expect(fromClose(code)).toMatchObject({ code: MALFORMED, known: false });
  });
});
