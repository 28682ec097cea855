import { encode } from "@msgpack/msgpack";
import { redactSecrets } from "@wirefault/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalog, ranges } from "./catalog.js";
import { AtlasError } from "./error.js";
import { decodeErrorMessage, encodeErrorMessage, parseError as parseBytes } from "./msgpack.js";
import { parseError, protocol } from "./protocol.js";

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const wireCode = fc.oneof(
  u32,
  fc.constantFrom(...catalog.filter((e) => e.surface === "wire").map((e) => e.code as number)),
);
// An empty code names no code (core's rule): it is MALFORMED, so it cannot round-trip.
const zoneCode = fc.oneof(
  fc.string({ minLength: 1 }),
  fc.constantFrom(...catalog.filter((e) => e.surface === "zone").map((e) => e.code as string)),
);
const errorMessage = fc.record(
  { code: wireCode, message: fc.string(), ref_msg_id: fc.string() },
  { requiredKeys: ["code", "message"] },
);
const zoneError = fc.record(
  { type: fc.constant("zone.error" as const), request_id: fc.string(), code: zoneCode, message: fc.string() },
  { requiredKeys: ["type", "code", "message"] },
);
// Messages and ids are masked for secrets on the way in (an id may echo what
// the request sent), so that is what comes back out.
const expected = <T extends { message: string; request_id?: string; ref_msg_id?: string }>(wire: T): T => {
  const out = { ...wire, message: redactSecrets(wire.message) };
  if (wire.request_id !== undefined) out.request_id = redactSecrets(wire.request_id);
  if (wire.ref_msg_id !== undefined) out.ref_msg_id = redactSecrets(wire.ref_msg_id);
  return out;
};
const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
});
// Values that look like an error, with every field possibly wrong.
const nearMiss = fc.record(
  {
    type: fc.oneof(fc.constant("zone.error"), anything),
    code: fc.oneof(wireCode, zoneCode, fc.double(), fc.bigInt(), anything),
    message: fc.oneof(fc.string(), anything),
    ref_msg_id: fc.oneof(fc.string(), fc.constant(null), anything),
    request_id: fc.oneof(fc.string(), fc.constant(null), anything),
  },
  { requiredKeys: [] },
);
const encodable = (value: unknown): Uint8Array | undefined => {
  try {
    return encode(value);
  } catch {
    return undefined;
  }
};

describe("parseError never throws", () => {
  it("on any value, JSON text or bytes, and always returns an AtlasError", () => {
    fc.assert(
      fc.property(fc.oneof(anything, nearMiss, fc.string(), fc.json(), fc.uint8Array()), (input) => {
        const err = parseError(input);
        expect(err).toBeInstanceOf(AtlasError);
        expect(err.protocol).toBe("atlas");
        expect(() => JSON.stringify(err)).not.toThrow();
        expect(() => err.toWire()).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe("the MessagePack decoder never throws", () => {
  it("on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeErrorMessage(bytes)).toBeInstanceOf(AtlasError);
        expect(parseBytes(bytes)).toBeInstanceOf(AtlasError);
      }),
      { numRuns: 1_000 },
    );
  });

  it("on arbitrary bytes after a map header", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x81, 0x82, 0x83, 0x8f, 0xde, 0xdf),
        fc.uint8Array({ maxLength: 100 }),
        (head, rest) => {
          expect(decodeErrorMessage(new Uint8Array([head, ...rest]))).toBeInstanceOf(AtlasError);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("on arbitrary MessagePack-encoded values", () => {
    fc.assert(
      fc.property(fc.oneof(anything, nearMiss), (value) => {
        const bytes = encodable(value);
        fc.pre(bytes !== undefined);
        expect(decodeErrorMessage(bytes as Uint8Array)).toBeInstanceOf(AtlasError);
        expect(parseBytes(bytes)).toBeInstanceOf(AtlasError);
      }),
      { numRuns: 1_000 },
    );
  });

  it("on truncations and bit flips of valid frames", () => {
    fc.assert(
      fc.property(errorMessage, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (wire, cut, at, flip) => {
        const bytes = encodeErrorMessage(wire);
        expect(decodeErrorMessage(bytes.subarray(0, cut % bytes.length))).toBeInstanceOf(AtlasError);
        const flipped = bytes.slice();
        const i = at % flipped.length;
        flipped[i] = (flipped[i] as number) ^ flip;
        expect(decodeErrorMessage(flipped)).toBeInstanceOf(AtlasError);
      }),
      { numRuns: 500 },
    );
  });
});

describe("round trips", () => {
  it("an ErrorMessage object: parse then toWire gives it back", () => {
    fc.assert(
      fc.property(errorMessage, (wire) => {
        const err = parseError(wire);
        expect(err.toWire()).toEqual(expected(wire));
        expect(parseError(err.toWire()).toWire()).toEqual(err.toWire());
      }),
    );
  });

  it("a zone.error object: parse then toWire gives it back", () => {
    fc.assert(
      fc.property(zoneError, (wire) => {
        expect(parseError(wire).toWire()).toEqual(expected(wire));
        expect(parseError(JSON.stringify(wire)).toWire()).toEqual(expected(wire));
      }),
    );
  });

  it("MessagePack: encode, decode and parse give the same fields", () => {
    fc.assert(
      fc.property(errorMessage, (wire) => {
        const bytes = encodeErrorMessage(wire);
        const err = decodeErrorMessage(bytes);
        expect(err.code).toBe(wire.code);
        expect(err.message).toBe(redactSecrets(wire.message));
        expect(err.refMsgId).toBe(expected(wire).ref_msg_id);
        expect(err.toWire()).toEqual(expected(wire));
        expect(parseBytes(bytes).toJSON()).toEqual(parseError(wire).toJSON());
        expect(decodeErrorMessage(encodeErrorMessage(err)).toJSON()).toEqual(err.toJSON());
      }),
    );
  });

  it("MessagePack zone errors round-trip too", () => {
    fc.assert(
      fc.property(zoneError, (wire) => {
        const err = decodeErrorMessage(encode(wire));
        expect(err.toWire()).toEqual(expected(wire));
        expect(decodeErrorMessage(encodeErrorMessage(err)).toWire()).toEqual(expected(wire));
      }),
    );
  });
});

describe("round-trip counterexamples fast-check found", () => {
  // seed 1497625316: an id that looks like a key is masked like the message. (Since issue 18
  // a key is a prefix and a run of 6 letters and digits with a digit: `Pk-$` is no longer one.)
  it.each([
    { type: "zone.error" as const, request_id: "Pk-abc123", code: "zone_not_found", message: "" },
    { type: "zone.error" as const, request_id: "sk_x9y8z7", code: "rate_limited", message: "pk-1a2b3c" },
  ])("%j", (wire) => {
    expect(parseError(wire).toWire()).toEqual(expected(wire));
    expect(decodeErrorMessage(encode(wire)).toWire()).toEqual(expected(wire));
    expect(parseError(wire).toWire()).not.toEqual(wire);
  });
});

describe("classification", () => {
  it("every u32 code is its catalog entry, else its range, else abort", () => {
    fc.assert(
      fc.property(fc.oneof(u32, fc.integer({ min: 900, max: 6100 })), (code) => {
        const err = parseError({ code, message: "m" });
        const entry = protocol.index.get(code, "wire");
        const range = ranges.find((r) => code >= r.min && code <= r.max);
        expect(err.known).toBe(entry !== undefined);
        expect(err.retryable).toBe(entry?.retryable ?? range?.retryable ?? "no");
        expect(err.action).toBe(entry?.action ?? range?.action ?? "abort");
      }),
    );
  });
});
