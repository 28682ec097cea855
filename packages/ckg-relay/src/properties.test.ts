import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalog, codeAliases } from "./catalog.js";
import { CkgRelayError } from "./error.js";
import { userMessage } from "./messages.js";
import { fromClose, parseError } from "./protocol.js";
import { validateEvent } from "./validate.js";

const codes = [...catalog.map((entry) => entry.code), ...Object.keys(codeAliases)];
// An empty code names none (core reads it as MALFORMED, tested in readers.test.ts): not a code to round-trip.
const code = fc.oneof(fc.constantFrom(...codes), fc.string({ minLength: 1 }), fc.integer());

// Objects shaped like error messages, fields sometimes of the wrong type.
const messageLike = fc.record(
  {
    type: fc.oneof(fc.constant("error"), fc.constantFrom("event", "token", "reply", "ping", "pong"), fc.anything()),
    code: fc.oneof(code, fc.anything()),
    message: fc.oneof(fc.string(), fc.anything()),
    error: fc.oneof(fc.string(), fc.record({ code, message: fc.string() }, { requiredKeys: [] }), fc.anything()),
    event_id: fc.oneof(fc.string(), fc.anything()),
    retry_after: fc.oneof(fc.double(), fc.anything()),
    ["__proto__"]: fc.anything(),
  },
  { requiredKeys: [] },
);

const anyInput = fc.oneof(
  fc.anything(),
  messageLike,
  messageLike.map((m) => JSON.stringify(m) ?? ""),
  fc.json(),
  fc.string(),
  fc.uint8Array(),
  fc.uint8Array().map((b) => b.buffer),
);

describe("properties", () => {
  it("parseError never throws and always returns a CkgRelayError", () => {
    fc.assert(
      fc.property(anyInput, fc.record({ status: fc.anything(), retryAfterMs: fc.anything() }), (input, context) => {
        const error = parseError(input, context as { status?: number });
        expect(error).toBeInstanceOf(CkgRelayError);
        expect(["yes", "no", "maybe"]).toContain(error.retryable);
        expect(typeof error.message).toBe("string");
        expect(() => JSON.stringify(error.toJSON())).not.toThrow();
        expect(() => error.toWire()).not.toThrow();
      }),
      { numRuns: 2000 },
    );
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("toWire then parseError round-trips, through JSON text too", () => {
    fc.assert(
      fc.property(code, fc.string(), fc.option(fc.string(), { nil: undefined }), (c, message, eventId) => {
        const first = parseError({
          type: "error",
          code: c,
          message,
          ...(eventId === undefined ? {} : { event_id: eventId }),
        });
        const wire = first.toWire();
        const again = parseError(JSON.stringify(wire));
        expect(again.toWire()).toEqual(wire);
        expect(again.toJSON()).toEqual(first.toJSON());
        expect(Object.keys(wire)).toEqual(
          eventId === undefined ? ["type", "code", "message"] : ["type", "code", "message", "event_id"],
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("every catalog code round-trips with its classification", () => {
    for (const c of codes) {
      const error = parseError({ type: "error", code: c, message: "m", event_id: "e" });
      expect(parseError(error.toWire()).toJSON()).toEqual(error.toJSON());
      expect(error.known).toBe(true);
    }
  });

  it("validateEvent only ever returns JSON or throws a CkgRelayError", () => {
    const event = fc.record(
      {
        type: fc.anything(),
        agent_id: fc.oneof(fc.string(), fc.anything()),
        thread_id: fc.oneof(fc.string(), fc.anything()),
        payload: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(event, fc.anything()), (input) => {
        try {
          expect(typeof validateEvent(input)).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(CkgRelayError);
          expect(["INVALID_MESSAGE", "PAYLOAD_TOO_LARGE"]).toContain((error as CkgRelayError).code);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("fromClose and userMessage never throw", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (a, b, name) => {
        expect(fromClose(a, b)).toBeInstanceOf(CkgRelayError);
        expect(typeof userMessage(a, { agentName: name as string })).toBe("string");
        expect(typeof userMessage(parseError(a), { agentName: name as string })).toBe("string");
      }),
    );
  });
});
