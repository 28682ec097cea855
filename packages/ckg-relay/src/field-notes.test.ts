// toWire() of what the real CKG relay and its public client send (FIELD-NOTES.md).
import { describe, expect, it } from "vitest";
import { parseError } from "./protocol.js";

const REAL_SHAPES = [
  '{"type":"error","event_id":"evt-1","error":"Agent crashed","code":"AGENT_ERROR"}',
  '{"type":"error","event_id":"evt-2","error":"Not allowed","code":"AGENT_NOT_ALLOWED"}',
  '{"type":"error","code":"AGENT_OFFLINE","message":"Agent is offline","event_id":"evt_123"}',
  '{"type":"error","code":"RELAY_INTERNAL_ERROR","message":"Relay failed"}',
  '{"type":"error","code":"PAYLOAD_TOO_LARGE","message":"Payload exceeds 65536 bytes","event_id":"evt-3"}',
];

describe("toWire() round-trips every real shape byte for byte", () => {
  it.each(REAL_SHAPES)("%s", (body) => {
    const err = parseError(body);
    expect(err.code).not.toBe("WIREFAULT_MALFORMED");
    expect(JSON.stringify(err.toWire())).toBe(body);
    expect(JSON.stringify(parseError(err.toWire()).toWire())).toBe(body);
  });

  it("masks a secret the relay echoed in `error`, and keeps the field", () => {
    const err = parseError('{"type":"error","event_id":"e","error":"bad token=abc123","code":"AGENT_ERROR"}');
    expect(JSON.stringify(err.toWire())).toBe(
      '{"type":"error","event_id":"e","error":"bad token=[redacted]","code":"AGENT_ERROR"}',
    );
  });
});
