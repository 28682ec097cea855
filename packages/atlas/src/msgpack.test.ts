import { decode, encode } from "@msgpack/msgpack";
import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { growth, LINEAR_GROWTH } from "@wirefault/test-utils";
import { describeConformance } from "@wirefault/test-utils/conformance";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type AtlasCode, catalog, MAX_JSON_BYTES, MAX_PAYLOAD_SIZE } from "./catalog.js";
import { AtlasError, type ParsedAtlasError } from "./error.js";
import {
  decodeErrorMessage,
  encodeErrorMessage,
  protocol as messagePack,
  parseError,
  parseErrorAsync,
} from "./msgpack.js";
import { parseError as parseObject, protocol } from "./protocol.js";

// The subpath's definition holds to core's contract too, with every row sent as MessagePack.
describeConformance(messagePack, {
  dir: new URL(".", import.meta.url),
  wire: (entry, code) =>
    encode(
      entry.surface === "wire"
        ? { code, message: `wire said ${code}`, ref_msg_id: "msg_1" }
        : { type: "zone.error", request_id: "req_1", code, message: `zone said ${code}` },
    ),
});

const page = { code: 4001, message: "rate limit exceeded", ref_msg_id: "msg_01JX..." };
const zonePage = {
  type: "zone.error",
  request_id: "req_01JX...",
  code: "payment_invalid",
  message: "payment authorization does not match requirement",
};

// Hand-built MessagePack, so the tests do not depend on the encoder under test.
const str = (s: string) => {
  const b = new TextEncoder().encode(s);
  return [0xa0 | b.length, ...b];
};
const map = (...pairs: number[][]) => new Uint8Array([0x80 | (pairs.length / 2), ...pairs.flat()]);

describe("MessagePack round trip", () => {
  it("encode, decode and parse give the page's fields", () => {
    const bytes = encodeErrorMessage(page);
    expect(decode(bytes)).toEqual(page);
    const err = decodeErrorMessage(bytes);
    expect(err).toBeInstanceOf(AtlasError);
    expect(err).toMatchObject({ code: 4001, message: "rate limit exceeded", refMsgId: "msg_01JX...", known: true });
    expect(err.toWire()).toEqual(page);
    expect(encodeErrorMessage(err)).toEqual(bytes);
  });

  it("encodes the page's key order and leaves out an absent ref_msg_id", () => {
    expect(encodeErrorMessage(page)).toEqual(
      map(
        str("code"),
        [0xcd, 0x0f, 0xa1],
        str("message"),
        str("rate limit exceeded"),
        str("ref_msg_id"),
        str("msg_01JX..."),
      ),
    );
    expect(encodeErrorMessage({ code: 5001, message: "boom" })).toEqual(
      map(str("code"), [0xcd, 0x13, 0x89], str("message"), str("boom")),
    );
  });

  it("reads hand-built frames with any integer width for code", () => {
    for (const code of [
      [0xcd, 0x0f, 0xa1],
      [0xce, 0, 0, 0x0f, 0xa1],
      [0xcf, 0, 0, 0, 0, 0, 0, 0x0f, 0xa1],
      [0xd1, 0x0f, 0xa1],
      [0xcb, ...new Uint8Array(new Float64Array([4001]).buffer).reverse()],
    ]) {
      expect(decodeErrorMessage(map(str("code"), code, str("message"), str("x")))).toMatchObject({
        code: 4001,
        known: true,
      });
    }
  });

  it("round-trips every wire code, and zone errors as zone.error maps", () => {
    for (const e of catalog) {
      const wire =
        e.surface === "wire"
          ? { code: e.code, message: e.summary }
          : { type: "zone.error", code: e.code, message: e.summary };
      const err = parseError(encode(wire));
      expect(err).toMatchObject({ code: e.code, surface: e.surface, known: true, retryable: e.retryable });
      expect(parseError(encodeErrorMessage(err)).toWire()).toEqual(wire);
    }
    expect(decodeErrorMessage(encode(zonePage)).toWire()).toEqual(zonePage);
  });

  it("reads nil ids as absent", () => {
    const err = decodeErrorMessage(encode({ code: 2003, message: "no", ref_msg_id: null }));
    expect(err.refMsgId).toBeUndefined();
    expect(err.toWire()).toEqual({ code: 2003, message: "no" });
  });

  it("encodes local errors as the wire error a node would answer with", () => {
    const malformed = parseObject({ code: "4001", message: "x" });
    expect(decode(encodeErrorMessage(malformed))).toEqual({ code: 2003, message: malformed.message });
    const tooLarge = decodeErrorMessage(new Uint8Array(MAX_PAYLOAD_SIZE + 1));
    expect(decode(encodeErrorMessage(tooLarge))).toMatchObject({ code: 2002 });
  });

  it("refuses to encode what is not an ErrorMessage", () => {
    expect(() => encodeErrorMessage({ code: -1, message: "x" })).toThrow(RangeError);
    expect(() => encodeErrorMessage({ code: 1.5, message: "x" })).toThrow(RangeError);
    expect(() => encodeErrorMessage({ code: 2 ** 32, message: "x" })).toThrow(RangeError);
    expect(() => encodeErrorMessage({ code: "4001" as unknown as number, message: "x" })).toThrow(RangeError);
    expect(() => encodeErrorMessage({ code: 4001, message: 1 as unknown as string })).toThrow(TypeError);
    expect(() => encodeErrorMessage({ code: 4001, message: "x", ref_msg_id: 1 as unknown as string })).toThrow(
      TypeError,
    );
    expect(() => encodeErrorMessage({ code: 4001, message: "x".repeat(MAX_PAYLOAD_SIZE) })).toThrow(
      /exceeds MAX_PAYLOAD_SIZE/,
    );
  });

  it("copies no unknown keys onto the wire", () => {
    const input = { code: 4001, message: "x", secret: "token", __proto__: { evil: 1 } };
    expect(decode(encodeErrorMessage(input))).toEqual({ code: 4001, message: "x" });
  });
});

describe("one pass over MessagePack", () => {
  // Every MessagePack type a documented value may take: scalars the walk reads itself, the rest the decoder's.
  const VALUES: unknown[] = [
    0,
    127,
    -1,
    -32,
    128,
    255,
    256,
    65_535,
    65_536,
    2 ** 32 - 1,
    -33,
    -128,
    -129,
    -32_768,
    -32_769,
    -(2 ** 31),
    2 ** 32,
    2 ** 53 - 1,
    -(2 ** 31) - 1,
    1.5,
    -0.25,
    null,
    true,
    false,
    "",
    "é ü 漢字 🙂",
    "\uFEFFbom",
    `\uFEFF${"x".repeat(300)}`,
    "y".repeat(70_000),
    new Uint8Array([1, 2]),
    [1, "a"],
    { a: 1 },
  ];

  it("gives each documented value exactly as the decoder does", () => {
    for (const value of VALUES) {
      const bytes = encode({ type: value, code: value, message: value, ref_msg_id: value, request_id: value });
      const expected = decode(encode(value));
      const decoded = messagePack.decode(bytes);
      expect(decoded.kind, String(value)).toBe("value");
      const read = (decoded as { value: Record<string, unknown> }).value;
      for (const key of ["type", "code", "message", "ref_msg_id", "request_id"]) expect(read[key]).toEqual(expected);
    }
  });

  it("keeps a repeated key's last value, whichever reads it", () => {
    // {"code": 1, "code": 1.5}, then {"code": 1.5, "code": 1}
    const float = [0xcb, ...new Uint8Array(new Float64Array([1.5]).buffer).reverse()];
    const key = [0xa4, ...new TextEncoder().encode("code")];
    const read = (bytes: number[]) =>
      (messagePack.decode(new Uint8Array(bytes)) as { value: { code: unknown } }).value.code;
    expect(read([0x82, ...key, 0x01, ...key, ...float])).toBe(1.5);
    expect(read([0x82, ...key, ...float, ...key, 0x01])).toBe(1);
  });

  it("keeps the documented keys in the order they first came, as the decoder does, a repeated key included", () => {
    const float = [0xcb, ...new Uint8Array(new Float64Array([1.5]).buffer).reverse()];
    for (const bytes of [
      map(str("code"), float, str("message"), str("m"), str("code"), [0x01]),
      map(str("code"), [0x01], str("message"), str("m"), str("code"), float),
      map(str("zz"), [0x80], str("message"), str("\uFEFFm"), str("code"), [0x01], str("message"), str("n")),
    ]) {
      const decoded = messagePack.decode(bytes) as { value: Record<string, unknown> };
      expect(Object.entries(decoded.value)).toEqual(
        Object.entries(decode(bytes) as object).filter(([k]) => k !== "zz"),
      );
    }
  });
});

describe("parseError from @wirefault/atlas/msgpack", () => {
  it("reads MessagePack bytes and ArrayBuffers, and JSON text or bytes as the main entry does", () => {
    const bytes = encode(page);
    expect(parseError(bytes).toWire()).toEqual(page);
    expect(parseError(bytes.slice().buffer).toWire()).toEqual(page);
    expect(parseError(new DataView(bytes.slice().buffer)).toWire()).toEqual(page);
    expect(parseError(JSON.stringify(page)).toWire()).toEqual(page);
    expect(parseError(new TextEncoder().encode(` \n\t${JSON.stringify(page)}`)).toWire()).toEqual(page);
    expect(
      parseError(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify(page))])).toWire(),
    ).toEqual(page);
    expect(parseError(page).toWire()).toEqual(page);
    expect(parseError(zonePage).toWire()).toEqual(zonePage);
  });

  it("passes the context on", () => {
    expect(parseError(encode(page), { status: 429, retryAfterMs: 500 })).toMatchObject({
      status: 429,
      retryAfterMs: 500,
    });
  });
});

describe("bad MessagePack", () => {
  const malformed = (bytes: Uint8Array, message: RegExp | string) => {
    let err: AtlasError | undefined;
    expect(() => {
      err = decodeErrorMessage(bytes);
    }).not.toThrow();
    expect(err).toBeInstanceOf(AtlasError);
    expect(err).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort" });
    expect(err?.message).toMatch(message);
    expect(parseError(bytes).code).toBe(MALFORMED);
    return err as AtlasError;
  };

  it("truncated at every length is malformed", () => {
    const bytes = encode(page);
    for (let n = 0; n < bytes.length; n++) {
      malformed(bytes.subarray(0, n), n === 0 ? "MessagePack: empty payload" : "MessagePack: truncated");
    }
  });

  it("a declared length longer than the bytes left is truncation, found before allocating", () => {
    malformed(new Uint8Array([0xdf, 0xff, 0xff, 0xff, 0xff]), "MessagePack: truncated");
    malformed(map(str("code"), [0xdd, 0xff, 0xff, 0xff, 0xff]), "MessagePack: truncated");
    malformed(map(str("message"), [0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]), "MessagePack: truncated");
    malformed(map(str("message"), [0xc6, 0x00, 0x00, 0x00, 0x09, 0x61]), "MessagePack: truncated");
  });

  it("a root that is not a map is malformed, raw bytes kept", () => {
    for (const value of [[4001, "x"], 4001, "4001", null, true, 1.5]) {
      const bytes = encode(value);
      expect(malformed(bytes, "MessagePack: root is not a map").raw).toBe(bytes);
    }
  });

  it("a map with extra keys is read, the extra keys ignored", () => {
    const err = decodeErrorMessage(
      encode({ code: 5001, message: "boom", trace: [1, { a: "b" }], at: 1.5, bin: new Uint8Array(3) }),
    );
    expect(err).toMatchObject({ code: 5001, known: true });
    expect(err.toWire()).toEqual({ code: 5001, message: "boom" });
  });

  it("extra keys are walked, never decoded or kept: 4 MB of empty maps", () => {
    const head = [0x83, ...str("code"), 0x01, ...str("message"), ...str("x"), ...str("extra"), 0xdd];
    const emptyMaps = (size: number) => {
      const bytes = new Uint8Array(size).fill(0x80);
      bytes.set(head);
      new DataView(bytes.buffer).setUint32(head.length, size - head.length - 4);
      return bytes;
    };
    const err = decodeErrorMessage(emptyMaps(MAX_PAYLOAD_SIZE));
    const grown = (scale: number) =>
      (
        (bytes) => () =>
          decodeErrorMessage(bytes)
      )(emptyMaps((MAX_PAYLOAD_SIZE / 16) * scale));
    expect(growth(grown)).toBeLessThan(LINEAR_GROWTH);
    expect(err).toMatchObject({ code: 1, message: "x" });
    expect(err.raw).toEqual({ code: 1, message: "x" });
  });

  it("reads the documented keys wherever they sit, the last of a repeated key winning", () => {
    const bytes = map(str("zz"), [0x91, 0x80], str("code"), [0x02], str("message"), str("a"), str("code"), [0x03]);
    expect(decodeErrorMessage(bytes)).toMatchObject({ code: 3, message: "a", raw: { code: 3, message: "a" } });
    const zone = map(
      str("type"),
      str("zone.error"),
      str("code"),
      str("zone.full"),
      str("message"),
      str("m"),
      str("request_id"),
      str("r"),
    );
    expect(decodeErrorMessage(zone)).toMatchObject({ code: "zone.full", requestId: "r" });
  });

  it("an ext type anywhere is malformed, timestamps included", () => {
    malformed(encode({ code: 5001, message: "boom", at: new Date(0) }), "MessagePack: ext types are not allowed");
    // fixext1 as the code, and ext8 in an extra key
    malformed(map(str("code"), [0xd4, 0x01, 0x00], str("message"), str("x")), /ext types/);
    malformed(map(str("code"), [0x01], str("message"), str("x"), str("e"), [0xc7, 0x01, 0x05, 0x00]), /ext types/);
  });

  it("deeply nested arrays are refused without building them", () => {
    // { code: 1, n: [[[[…]]]] } filling the whole 4 MB: decoding it naively builds millions of arrays.
    const head = [0x82, ...str("code"), 0x01, ...str("n")];
    const deep = (size: number) => {
      const bytes = new Uint8Array(size).fill(0x91);
      bytes.set(head);
      return bytes;
    };
    malformed(deep(MAX_PAYLOAD_SIZE), "MessagePack: nested too deep");
    // Refused at a fixed depth: the cost must not grow with the bytes after it.
    expect(
      growth((scale) =>
        (
          (bytes) => () =>
            decodeErrorMessage(bytes)
        )(deep((MAX_PAYLOAD_SIZE / 16) * scale)),
      ),
    ).toBeLessThan(LINEAR_GROWTH);
    const nested = (depth: number) =>
      map(str("code"), [0x01], str("message"), str("x"), str("n"), [...new Array(depth).fill(0x91), 0xc0]);
    expect(decodeErrorMessage(nested(31)).code).toBe(1);
    malformed(nested(32), "MessagePack: nested too deep");
  });

  it("a 10 MB buffer is refused by the cap before decoding", () => {
    for (const big of [new Uint8Array(10 * 1024 * 1024), encodeAndPad(10 * 1024 * 1024)]) {
      const err = decodeErrorMessage(big);
      expect(err).toMatchObject({ code: TOO_LARGE, known: false, retryable: "no", action: "abort", raw: undefined });
      expect(parseError(big).code).toBe(TOO_LARGE);
    }
    expect(decodeErrorMessage(new Uint8Array(MAX_PAYLOAD_SIZE)).code).toBe(MALFORMED);
  });

  it("strings with invalid UTF-8 are malformed, in values and in keys", () => {
    for (const bad of [[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      malformed(map(str("code"), [0x01], str("message"), [0xa0 | bad.length, ...bad]), "MessagePack: invalid UTF-8");
      malformed(
        map(str("code"), [0x01], str("message"), str("x"), [0xa0 | bad.length, ...bad], [0xc0]),
        /invalid UTF-8/,
      );
    }
    // An overlong "c" (0xc1 0xa3) must not pass for the key "code".
    malformed(map([0xa5, 0xc1, 0xa3, ...str("ode").slice(1)], [0x01], str("message"), str("x")), /invalid UTF-8/);
    // Long strings take another decoding path in @msgpack/msgpack; the verdict is the same.
    malformed(
      map(str("code"), [0x01], str("message"), [0xd9, 250, ...new Array(249).fill(0x61), 0xff]),
      /invalid UTF-8/,
    );
  });

  it('a code given as the string "4001" is malformed, raw kept', () => {
    const err = malformed(
      encode({ code: "4001", message: "rate limit exceeded" }),
      'ErrorMessage: "code" must be a u32',
    );
    expect(err.raw).toEqual({ code: "4001", message: "rate limit exceeded" });
  });

  it.each([-1, 1.5, 2 ** 32, 2 ** 64, Number.NaN, Number.POSITIVE_INFINITY])("a code of %s is malformed", (code) => {
    malformed(encode({ code, message: "x" }), 'ErrorMessage: "code" must be a u32');
  });

  it("the reserved byte 0xc1, trailing bytes, a __proto__ key and non-string keys are malformed", () => {
    malformed(map(str("code"), [0xc1], str("message"), str("x")), "MessagePack: reserved byte 0xc1");
    malformed(new Uint8Array([...encode(page), 0xc0]), "MessagePack: trailing bytes");
    malformed(
      map(str("__proto__"), [0x80], str("code"), [0x01], str("message"), str("x")),
      "MessagePack: a __proto__ key",
    );
    malformed(map([0xc0], [0x01], str("code"), [0x01], str("message"), str("x")), "MessagePack: a key is not a string");
    expect(({} as { code?: unknown }).code).toBeUndefined();
  });

  it("input that is not bytes is malformed", () => {
    const err = decodeErrorMessage("not bytes" as unknown as Uint8Array);
    expect(err).toMatchObject({ code: MALFORMED, message: "expected MessagePack bytes", raw: "not bytes" });
  });
});

function encodeAndPad(size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(encode(page));
  return out;
}

describe("the subpath's definition", () => {
  it("is the main entry's, with MessagePack read under MAX_PAYLOAD_SIZE", () => {
    expect(messagePack).toMatchObject({ name: "atlas", catalog: protocol.catalog, maxBytes: MAX_PAYLOAD_SIZE });
    expect(protocol.maxBytes).toBe(MAX_JSON_BYTES);
    // Atlas answers over neither HTTP nor closes of its own.
    expect([messagePack.http, messagePack.websocket, messagePack.closes]).toEqual([undefined, undefined, []]);
  });

  it("reads MessagePack in every binary form ws hands over, fragments and a Blob included", async () => {
    const bytes = encode(page);
    const third = Math.floor(bytes.length / 3);
    for (const data of [
      Buffer.from(bytes),
      bytes.slice().buffer,
      new DataView(bytes.slice().buffer),
      [Buffer.from(bytes.subarray(0, third)), Buffer.from(bytes.subarray(third))],
    ])
      expect(parseError(data).toWire()).toEqual(page);
    expect((await parseErrorAsync(new Blob([bytes]))).toWire()).toEqual(page);
  });

  it("holds JSON text to MAX_JSON_BYTES and a decoded map to MAX_PAYLOAD_SIZE, measured as JSON", () => {
    const padded = (size: number) => JSON.stringify({ ...page, trace: "t".repeat(size) });
    expect(parseError(padded(MAX_JSON_BYTES)).code).toBe(TOO_LARGE);
    expect(parseError(new TextEncoder().encode(padded(MAX_JSON_BYTES))).code).toBe(TOO_LARGE);
    // Decoded by the caller: a map a 4 MB payload can carry is read, a bigger one refused and not kept.
    expect(parseError({ ...page, trace: "t".repeat(2 * MAX_JSON_BYTES) }).code).toBe(4001);
    expect(parseError({ ...page, trace: "t".repeat(MAX_PAYLOAD_SIZE) })).toMatchObject({
      code: TOO_LARGE,
      raw: undefined,
    });
  });

  it("decodeErrorMessage reads MessagePack only: JSON text in bytes is not a map", () => {
    const json = new TextEncoder().encode(JSON.stringify(page));
    expect(parseError(json).code).toBe(4001);
    expect(decodeErrorMessage(json)).toMatchObject({ code: MALFORMED, message: "MessagePack: root is not a map" });
  });

  it("a nested value the decoder refuses is malformed, the bytes kept", () => {
    // { code: { __proto__: 1 }, message: "x" }: the root keys pass the walk, the decoder refuses the value.
    const bytes = map(str("code"), [0x81, ...str("__proto__"), 0x01], str("message"), str("x"));
    const err = decodeErrorMessage(bytes);
    expect(err).toMatchObject({ code: MALFORMED, message: "MessagePack could not be decoded" });
    expect(err.raw).toBe(bytes);
    // Why, in @msgpack/msgpack's words, as the cause.
    expect(err.cause).toBeInstanceOf(Error);
    expect(String((err.cause as Error).message)).toMatch(/__proto__/);
  });

  it("gives the parsers the narrowed code type", () => {
    expectTypeOf(decodeErrorMessage).returns.toEqualTypeOf<ParsedAtlasError>();
    const err = parseError(encode(page));
    if (err.known) expectTypeOf(err.code).toExtend<AtlasCode>();
  });
});

// Issue 27: a valid encoder may write a key as str8, str16 or str32 and a small
// integer in any wider integer format. The codec reads values, not byte patterns.
describe("every valid encoding of keys and integers", () => {
  const str = (text: string, width: "fix" | 8 | 16 | 32): number[] => {
    const bytes = [...new TextEncoder().encode(text)];
    const n = bytes.length;
    if (width === "fix") return [0xa0 | n, ...bytes];
    if (width === 8) return [0xd9, n, ...bytes];
    if (width === 16) return [0xda, n >> 8, n & 0xff, ...bytes];
    return [0xdb, 0, 0, n >> 8, n & 0xff, ...bytes];
  };
  const int = (value: number, format: number): number[] => {
    const width = { 204: 1, 205: 2, 206: 4, 207: 8, 208: 1, 209: 2, 210: 4, 211: 8 }[format] as number;
    const out = [format];
    for (let i = width - 1; i >= 0; i--) out.push(Math.floor(value / 2 ** (8 * i)) % 256);
    return out;
  };
  const map = (...entries: number[][]) => Uint8Array.from([0x80 | (entries.length / 2), ...entries.flat()]);

  it.each(["fix", 8, 16, 32] as const)("keys as %s strings read as the minimal encoding does", (width) => {
    const bytes = map(str("code", width), [0xcd, 0x0b, 0xbc], str("message", width), str("Rate limited", "fix"));
    expect(decode(bytes)).toEqual({ code: 3004, message: "Rate limited" });
    expect(decodeErrorMessage(bytes)).toMatchObject({
      code: 3004,
      message: "Rate limited",
      known: decodeErrorMessage(encode({ code: 3004, message: "m" })).known,
    });
    expect(messagePack.parseError(bytes).code).toBe(3004);
  });

  it.each([0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3])("a code in format 0x%s reads as its value", (format) => {
    const value = format === 0xcc || format === 0xd0 ? 100 : 4001;
    const bytes = map(str("code", "fix"), int(value, format), str("message", 8), str("m", 16));
    expect(decode(bytes)).toEqual({ code: value, message: "m" });
    expect(decodeErrorMessage(bytes)).toMatchObject({ code: value, message: "m" });
  });

  it("a str8 `__proto__` key is refused like a fixstr one", () => {
    const bytes = map(str("__proto__", 8), [0x80], str("code", "fix"), [0x01], str("message", "fix"), str("m", "fix"));
    expect(decodeErrorMessage(bytes)).toMatchObject({ code: MALFORMED });
    expect(decodeErrorMessage(bytes).message).toContain("__proto__");
  });

  it("a zone.error with str16 keys is a zone error", () => {
    const bytes = map(
      str("type", 16),
      str("zone.error", "fix"),
      str("code", 16),
      str("ZONE_FULL", "fix"),
      str("message", 16),
      str("m", "fix"),
    );
    expect(decode(bytes)).toEqual({ type: "zone.error", code: "ZONE_FULL", message: "m" });
    expect(decodeErrorMessage(bytes).code).toBe(
      decodeErrorMessage(encode({ type: "zone.error", code: "ZONE_FULL", message: "m" })).code,
    );
  });
});
