import { type CatalogEntry, redactSecrets } from "@wirefault/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalog } from "./catalog.js";
import { TealeRelayError } from "./error.js";
import { fromResponse, parseError } from "./protocol.js";

const codesOf = (surface: string) => catalog.filter((e) => e.surface === surface).map((e) => e.code);
// Messages the constructor keeps verbatim: redaction is covered by its own tests.
const message = fc.string().filter((m) => redactSecrets(m) === m);
const code = (surface: string) =>
  fc.oneof(fc.constantFrom(...codesOf(surface)), fc.string({ minLength: 1 }), fc.constantFrom("__proto__", "toString"));

const relayFrame = fc.record(
  {
    error: fc.record(
      {
        code: code("relay"),
        message: fc.oneof(message, fc.constantFrom("Peer abc is not connected", "Peer undefined is not connected")),
        retryAfterSeconds: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true })),
      },
      { requiredKeys: ["code", "message"] },
    ),
  },
  { noNullPrototype: true },
);
const apiBody = fc
  .tuple(fc.constantFrom(...codesOf("api")), message)
  .map(([c, m]) => ({ error: { message: m, type: c as string, code: c as string } }));
const inferenceFrame = fc.record({
  inferenceError: fc.record({
    requestID: fc.string(),
    errorMessage: message,
    code: fc.oneof(code("api"), fc.constantFrom("queue_full", "unavailable", "timeout", "cancelled")),
  }),
});

const hostileBuilders = [
  () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    ),
  () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  () => ({
    error: Object.defineProperty({ code: "rate_limited" }, "message", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    }),
  }),
];
const anyInput = fc.oneof(
  fc.anything({ withNullPrototype: true, withObjectString: true, withBigInt: true, withMap: true, withSet: true }),
  fc.string(),
  fc.json(),
  fc.uint8Array(),
  relayFrame.map((f) => JSON.stringify(f).slice(0, -3)),
  fc.record({ error: fc.anything() }),
  fc.record({ error: fc.record({ code: fc.anything(), message: fc.anything(), retryAfterSeconds: fc.anything() }) }),
  fc.record({ inferenceError: fc.anything() }),
  fc.integer({ min: 0, max: hostileBuilders.length - 1 }).map((i) => ({ hostile: i })),
);
const materialise = (value: unknown) =>
  typeof value === "object" && value !== null && "hostile" in value && typeof value.hostile === "number"
    ? hostileBuilders[value.hostile]?.()
    : value;

describe("parseError properties", () => {
  it("never throws, and always returns a TealeRelayError", () => {
    fc.assert(
      fc.property(anyInput, fc.option(fc.integer({ min: -1, max: 700 }), { nil: undefined }), (generated, status) => {
        const error = parseError(materialise(generated), { status });
        expect(error).toBeInstanceOf(TealeRelayError);
        expect(["yes", "no", "maybe"]).toContain(error.retryable);
        expect(typeof error.message).toBe("string");
        expect(() => JSON.stringify(error)).not.toThrow();
        const ms = error.retryAfterMs;
        expect(ms === undefined || (Number.isFinite(ms) && ms >= 0)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("a relay frame: parse then toWire gives the frame back, and toWire then parse gives the same error", () => {
    fc.assert(
      fc.property(relayFrame, (frame) => {
        const error = parseError(JSON.stringify(frame));
        expect(error.toWire()).toEqual(frame);
        const again = parseError(error.toWire());
        expect(again.toJSON()).toEqual(error.toJSON());
        expect(again.toWire()).toEqual(error.toWire());
      }),
      { numRuns: 500 },
    );
  });

  it("an api body round-trips, with and without its status", () => {
    fc.assert(
      fc.property(apiBody, fc.boolean(), (body, withStatus) => {
        const status = (catalog as readonly CatalogEntry[]).find((e) => e.code === body.error.code)?.status;
        const error = parseError(body, withStatus ? { status } : {});
        expect(error.toWire()).toEqual(body);
        expect(parseError(error.toWire(), { status: error.status }).toJSON()).toEqual(error.toJSON());
      }),
    );
  });

  it("an inferenceError round-trips", () => {
    fc.assert(
      fc.property(inferenceFrame, (frame) => {
        const error = parseError(frame);
        expect(error.toWire()).toEqual(frame);
        expect(parseError(JSON.stringify(error.toWire())).toJSON()).toEqual(error.toJSON());
      }),
    );
  });

  it("an unknown code survives the round trip, known: false", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((c) => !catalog.some((e) => e.code === c)),
        message,
        (c, m) => {
          const error = parseError({ error: { code: c, message: m } });
          expect(error).toMatchObject({ code: c, known: false });
          expect(parseError(error.toWire()).toJSON()).toEqual(error.toJSON());
        },
      ),
    );
  });
});

describe("fromResponse properties", () => {
  it("never rejects, whatever the body and status", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.json()),
        fc.oneof(fc.constant(200), fc.integer({ min: 400, max: 599 })),
        async (body, status) => {
          const error = await fromResponse(new Response(body, { status }));
          expect(error).toBeInstanceOf(TealeRelayError);
          expect(error.status).toBe(status);
        },
      ),
      { numRuns: 200 },
    );
  });
});
