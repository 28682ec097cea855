import { describe, expect, it } from "vitest";
import { CkgRelayError } from "./error.js";
import { parseError } from "./parse.js";
import { isErrorMessage, messageType } from "./wire.js";

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

describe("toWire", () => {
  it("read off the wire, gives back the message as received, key order included", () => {
    const withId = parseError({ event_id: "evt_1", code: "AGENT_ERROR", error: "boom", type: "error" });
    expect(JSON.stringify(withId.toWire())).toBe(
      '{"event_id":"evt_1","code":"AGENT_ERROR","error":"boom","type":"error"}',
    );
  });

  it("built in code, emits type, code, message, event_id in that order, event_id only when known", () => {
    const withId = new CkgRelayError({
      code: "AGENT_ERROR",
      message: "boom",
      eventId: "evt_1",
      retryable: "no",
      action: "abort",
      known: true,
    });
    expect(JSON.stringify(withId.toWire())).toBe(
      '{"type":"error","code":"AGENT_ERROR","message":"boom","event_id":"evt_1"}',
    );
    const withoutId = new CkgRelayError({
      code: "RATE_LIMITED",
      message: "slow down",
      retryable: "yes",
      action: "throttle",
      known: true,
    });
    expect(JSON.stringify(withoutId.toWire())).toBe('{"type":"error","code":"RATE_LIMITED","message":"slow down"}');
    expect(withoutId.protocol).toBe("ckg-relay");
  });

  it("reads an alias as the documented code, and echoes what was received", () => {
    const err = parseError({ type: "error", code: "AGENT_NOT_ALLOWED", message: "no" });
    expect(err.code).toBe("NOT_ALLOWED");
    // toWire() of an error read off the wire gives back what was received.
    expect(err.toWire()).toEqual({ type: "error", code: "AGENT_NOT_ALLOWED", message: "no" });
  });
});

describe("CkgRelayError", () => {
  it("keeps its name through minification and leaves raw and policy out of JSON", () => {
    const error = parseError({ type: "error", code: "AGENT_OFFLINE", event_id: "e" });
    expect(error.name).toBe("CkgRelayError");
    expect(Object.keys(error)).not.toContain("raw");
    expect(Object.keys(error)).not.toContain("policy");
    expect(error.toJSON()).not.toHaveProperty("raw");
    expect(error.toJSON()).toHaveProperty("eventId", "e");
    expect(String(error)).toBe("CkgRelayError: The agent is not connected to the relay right now.");
  });
});
