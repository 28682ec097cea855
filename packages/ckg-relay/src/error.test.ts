import { isProtocolError, ProtocolError } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { CkgRelayError } from "./error.js";
import { parseError } from "./protocol.js";

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

describe("CkgRelayError fields", () => {
  const init = { code: "AGENT_ERROR", message: "boom", retryable: "maybe", action: "retry", known: true } as const;

  it("is a ProtocolError of ckg-relay, and never claims another protocol's error", () => {
    const error = new CkgRelayError(init);
    expect(error.protocol).toBe("ckg-relay");
    expect(error).toBeInstanceOf(ProtocolError);
    expect(isProtocolError(error)).toBe(true);
    expect(new ProtocolError({ ...init, protocol: "teale-relay" })).not.toBeInstanceOf(CkgRelayError);
  });

  it("copies eventId masked, and only when set, so toJSON() has no empty key", () => {
    const masked = new CkgRelayError({ ...init, eventId: "evt token=abc123" });
    expect(masked.eventId).toBe("evt token=[redacted]");
    expect(Object.keys(new CkgRelayError(init))).not.toContain("eventId");
    expect(Object.keys(parseError({ type: "error", code: "AGENT_ERROR" }).toJSON())).not.toContain("eventId");
  });
});
