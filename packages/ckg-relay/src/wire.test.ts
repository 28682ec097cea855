import { describe, expect, it } from "vitest";
import { CkgRelayError } from "./error.js";
import { parseError } from "./protocol.js";
import { toWire } from "./wire.js";

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

describe("toWire, on the fields of an error built in code", () => {
  it("gives the documented message, keys in the page's order, event_id only when known", () => {
    expect(JSON.stringify(toWire({ code: "AGENT_ERROR", message: "boom", raw: undefined, eventId: "e" }))).toBe(
      '{"type":"error","code":"AGENT_ERROR","message":"boom","event_id":"e"}',
    );
    expect(toWire({ code: "AGENT_ERROR", message: "boom", raw: undefined })).toEqual({
      type: "error",
      code: "AGENT_ERROR",
      message: "boom",
    });
  });
});
