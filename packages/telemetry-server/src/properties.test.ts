import { redactSecrets } from "@wirefault/core";
import type { ParseContext } from "@wirefault/core/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBatchResponse } from "./batch.js";
import { catalog } from "./catalog.js";
import { DeviceNotFoundError, InvalidPayloadError, InvalidSignatureError, TelemetryServerError } from "./error.js";
import { parseError } from "./protocol.js";
import { matchTemplate } from "./readers.js";
import { batchResponse } from "./wire.js";

// Values built to break naive property access; built inside the property,
// since fast-check inspects generated values itself.
const builders = [
  () =>
    Object.defineProperty({}, "error", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    }),
  () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
      },
    ),
  () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  () => Object.create(null),
  () => JSON.parse(`{"__proto__":{"error":"validation_error"},"error":"device_already_exists"}`),
];
const hostile = fc.integer({ min: 0, max: builders.length - 1 }).map((i) => ({ build: i }));
const materialise = (value: unknown): unknown =>
  typeof value === "object" && value !== null && "build" in value && typeof value.build === "number"
    ? builders[value.build]?.()
    : value;

const codes = catalog.map((entry) => entry.code);
const hex = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 1, maxLength: 64 });
const seq = fc.oneof(fc.nat().map(String), fc.nat(), fc.string({ maxLength: 8 }));
const issue = fc.record({
  code: fc.string(),
  path: fc.array(fc.oneof(fc.string(), fc.integer())),
  message: fc.string(),
});
const looseBody = fc.oneof(
  fc.anything(),
  fc.record({ error: fc.oneof(fc.constantFrom(...codes), fc.string(), fc.anything()) }, { requiredKeys: [] }),
  fc.record(
    {
      statusCode: fc.oneof(fc.integer(), fc.anything()),
      code: fc.oneof(fc.constantFrom(...codes), fc.anything()),
      error: fc.oneof(fc.string(), fc.anything()),
      message: fc.oneof(fc.string(), fc.anything()),
      details: fc.oneof(fc.array(fc.oneof(issue, fc.anything())), fc.anything()),
      seq: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      accepted: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.anything()),
      errors: fc.oneof(
        fc.array(fc.record({ seq: fc.oneof(seq, fc.anything()), error: fc.oneof(fc.string(), fc.anything()) })),
        fc.anything(),
      ),
    },
    { requiredKeys: [] },
  ),
  hostile,
);
const input = fc.oneof(
  looseBody,
  looseBody.map((value) => {
    try {
      return JSON.stringify(value) ?? "";
    } catch {
      return "";
    }
  }),
  fc.string(),
  fc.uint8Array(),
);
const status = fc.oneof(fc.constantFrom(200, 201, 207, 400, 404, 409, 500, 502), fc.integer(), fc.double());

describe("never throws", () => {
  it("parseError returns a TelemetryServerError for any input and context", () => {
    fc.assert(
      fc.property(
        input,
        fc.option(fc.record({ status, retryAfterMs: fc.anything() }), { nil: undefined }),
        (raw, ctx) => {
          // Contexts of the wrong types on purpose: JavaScript callers send anything.
          const err = parseError(materialise(raw), ctx as ParseContext);
          expect(err).toBeInstanceOf(TelemetryServerError);
          expect(err.protocol).toBe("telemetry-server");
          expect(typeof err.message).toBe("string");
          expect(() => JSON.stringify(err)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });

  it("parseBatchResponse returns a well-formed result for any status and body", () => {
    fc.assert(
      fc.property(status, input, fc.option(fc.nat(200), { nil: undefined }), (code, raw, sent) => {
        const result = parseBatchResponse(code, materialise(raw), { sent });
        expect(Number.isSafeInteger(result.accepted) && result.accepted >= 0).toBe(true);
        if (result.error) {
          expect(result.error).toBeInstanceOf(TelemetryServerError);
          expect(result.errors).toEqual([]);
          expect(result.accepted).toBe(0);
        } else {
          expect([200, 207]).toContain(result.status);
          if (sent !== undefined) expect(result.accepted).toBeLessThanOrEqual(sent);
        }
        for (const block of result.errors) {
          expect(block).toBeInstanceOf(TelemetryServerError);
          expect(typeof block.seq).toBe("string");
          expect(block.status).toBe(result.status);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("template matching on any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const match = matchTemplate(text);
        if (match?.deviceId !== undefined) expect(match.deviceId).not.toMatch(/\s/);
      }),
    );
  });
});

describe("round trips", () => {
  // Messages are masked for secrets by core, so the property uses clean ones.
  const message = fc.string().filter((text) => redactSecrets(text) === text);
  const pageBody = fc.oneof(
    // The page's bare `{ error }` bodies; validation_error always carries details.
    fc
      .constantFrom("device_already_exists", "Device not found", "internal_error")
      .map((error) => ({ error }) as Record<string, unknown>),
    fc.array(issue).map((details) => ({ error: "validation_error", details }) as Record<string, unknown>),
    fc
      .record({ code: fc.constantFrom("FST_ERR_VALIDATION", "FST_ERR_CTP_INVALID_JSON_BODY"), message })
      .map(({ code, message }) => ({ statusCode: 400, code, error: "Bad Request", message })),
    message.map((text) => ({ statusCode: 404, error: "Not Found", message: text })),
    message.map((text) => ({ statusCode: 500, error: "Internal Server Error", message: text })),
    fc
      .record({
        seq: fc.nat().map(String),
        id: hex,
        kind: fc.constantFrom("Device not found: ", "Invalid signature for device "),
      })
      .map(({ seq, id, kind }) => ({ seq, error: `${kind}${id}` })),
  );

  it("toWire rebuilds the wire body, and parseError reads it back the same", () => {
    fc.assert(
      fc.property(pageBody, (body) => {
        const err = parseError(JSON.stringify(body));
        expect(err.known).toBe(true);
        expect(err.toWire()).toEqual(body);
        const again = parseError(JSON.stringify(err.toWire()));
        expect(again.toJSON()).toEqual(err.toJSON());
      }),
    );
  });

  const outcome = fc.oneof(
    fc.constant(undefined),
    hex.map((id) => new DeviceNotFoundError(id)),
    hex.map((id) => new InvalidSignatureError(id)),
    fc.string().map((detail) => new InvalidPayloadError(detail.trimStart())),
  );

  it("domain errors survive batchResponse then parseBatchResponse: codes, seqs, deviceIds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ seq: fc.oneof(fc.nat(), fc.nat().map(String), fc.bigInt({ min: 0n })), error: outcome }), {
          minLength: 1,
          maxLength: 100,
        }),
        (results) => {
          const reply = batchResponse(results);
          const failures = results.filter((r) => r.error !== undefined);
          expect(reply.status).toBe(failures.length > 0 ? 207 : 200);
          const parsed = parseBatchResponse(reply.status, JSON.stringify(reply.body), { sent: results.length });
          expect(parsed.error).toBeUndefined();
          expect(parsed.accepted).toBe(results.length - failures.length);
          expect(parsed.errors.map((e) => [e.constructor, e.code, e.seq, e.deviceId, e.message])).toEqual(
            failures.map((r) => [
              r.error?.constructor,
              r.error?.code,
              String(r.seq),
              r.error?.deviceId,
              r.error?.message,
            ]),
          );
        },
      ),
    );
  });
});
