import { MALFORMED, ProtocolError, TOO_LARGE } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { catalog, MAX_JSON_BYTES } from "./catalog.js";
import { AtlasError } from "./error.js";
import { parseError } from "./protocol.js";
import { readers } from "./readers.js";

// The page's two example structures, verbatim.
const PAGE_ERROR_MESSAGE = `{
  "code": 4001,
  "message": "rate limit exceeded",
  "ref_msg_id": "msg_01JX..."
}`;
const PAGE_ZONE_ERROR = `{
  "type": "zone.error",
  "request_id": "req_01JX...",
  "code": "payment_invalid",
  "message": "payment authorization does not match requirement"
}`;

const _bytes = (text: string) => new TextEncoder().encode(text);

describe("the page's ErrorMessage example", () => {
  it("parses to a known, throttled wire error with refMsgId", () => {
    const err = parseError(JSON.parse(PAGE_ERROR_MESSAGE));
    expect(err).toBeInstanceOf(AtlasError);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.toJSON()).toEqual({
      name: "AtlasError",
      message: "rate limit exceeded",
      protocol: "atlas",
      surface: "wire",
      code: 4001,
      codeName: "ERR_RATE_LIMITED",
      status: undefined,
      retryable: "yes",
      action: "throttle",
      retryAfterMs: undefined,
      known: true,
      refMsgId: "msg_01JX...",
      cause: undefined,
    });
    expect(err.policy).toEqual({ baseMs: 1_000, capMs: 60_000 });
  });

  it("round-trips through toWire() deep-equal, key order included", () => {
    const page = JSON.parse(PAGE_ERROR_MESSAGE);
    const wire = parseError(page).toWire();
    expect(wire).toEqual(page);
    expect(JSON.stringify(wire)).toBe(JSON.stringify(page));
  });
});

describe("the page's zone.error example", () => {
  it("parses to a known zone error with requestId", () => {
    const err = parseError(JSON.parse(PAGE_ZONE_ERROR));
    expect(err.toJSON()).toEqual({
      name: "AtlasError",
      message: "payment authorization does not match requirement",
      protocol: "atlas",
      surface: "zone",
      code: "payment_invalid",
      codeName: "payment_invalid",
      status: undefined,
      retryable: "no",
      action: "fix-request",
      retryAfterMs: undefined,
      known: true,
      requestId: "req_01JX...",
      cause: undefined,
    });
  });

  it("round-trips through toWire() deep-equal, key order included", () => {
    const page = JSON.parse(PAGE_ZONE_ERROR);
    const wire = parseError(PAGE_ZONE_ERROR).toWire();
    expect(JSON.stringify(wire)).toBe(JSON.stringify(page));
  });
});

describe("every documented code", () => {
  it.each(catalog.map((e) => [e.code, e] as const))("%s parses known, with its catalog classification", (code, e) => {
    const input =
      e.surface === "wire" ? { code, message: "m" } : { type: "zone.error", request_id: "r1", code, message: "m" };
    const err = parseError(input);
    expect(err).toMatchObject({
      code,
      surface: e.surface,
      codeName: e.name,
      retryable: e.retryable,
      action: e.action,
      known: true,
    });
    expect(err.toWire()).toEqual(input);
  });
});

describe("optional ids", () => {
  it("are left out when absent, and also when sent as null (nil)", () => {
    for (const id of [undefined, null]) {
      const wire = parseError({ code: 5001, message: "boom", ref_msg_id: id });
      expect(wire.refMsgId).toBeUndefined();
      expect("refMsgId" in wire.toJSON()).toBe(false);
      expect(wire.toWire()).toEqual({ code: 5001, message: "boom" });
      expect(Object.keys(wire.toWire())).toEqual(["code", "message"]);
      const zone = parseError({ type: "zone.error", request_id: id, code: "full", message: "full" });
      expect(zone.requestId).toBeUndefined();
      expect(Object.keys(zone.toWire())).toEqual(["type", "code", "message"]);
    }
  });

  it("keep an empty string as given", () => {
    expect(parseError({ code: 5001, message: "", ref_msg_id: "" }).toWire()).toEqual({
      code: 5001,
      message: "",
      ref_msg_id: "",
    });
  });
});

describe("unknown codes", () => {
  it.each([
    [1000, "maybe", "reconnect"],
    [1999, "maybe", "reconnect"],
    [2000, "no", "fix-request"],
    [2999, "no", "fix-request"],
    [3000, "no", "abort"],
    [4000, "yes", "throttle"],
    [5999, "yes", "retry"],
    [6000, "no", "abort"],
    [0, "no", "abort"],
    [4_294_967_295, "no", "abort"],
  ] as const)("wire %i keeps its value, known false, %s / %s", (code, retryable, action) => {
    const err = parseError({ code, message: "new" });
    expect(err).toMatchObject({ code, surface: "wire", codeName: undefined, known: false, retryable, action });
    expect(err.toWire()).toEqual({ code, message: "new" });
  });

  it("a zone code the page lacks keeps its value, known false, abort", () => {
    const err = parseError({ type: "zone.error", code: "quota_exhausted", message: "later" });
    expect(err).toMatchObject({
      code: "quota_exhausted",
      surface: "zone",
      known: false,
      retryable: "no",
      action: "abort",
    });
  });

  it("a wire code is never looked up among zone codes, nor the reverse", () => {
    expect(parseError({ type: "zone.error", code: "4001", message: "x" })).toMatchObject({
      known: false,
      surface: "zone",
    });
    expect(parseError({ type: "zone.error", code: "ERR_RATE_LIMITED", message: "x" }).known).toBe(false);
  });
});

describe("context", () => {
  it("adds a transport status and retry hint; Atlas assigns no status itself", () => {
    expect(parseError({ code: 4001, message: "slow" }).status).toBeUndefined();
    const err = parseError({ code: 4001, message: "slow" }, { status: 429, retryAfterMs: 2_000 });
    expect(err).toMatchObject({ status: 429, retryAfterMs: 2_000 });
  });
});

describe("bad input", () => {
  const malformed = (input: unknown, message: RegExp | string) => {
    const err = parseError(input);
    expect(err).toBeInstanceOf(AtlasError);
    expect(err).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort", protocol: "atlas" });
    expect(err.message).toMatch(message);
    return err;
  };

  it('a code given as the string "4001" is malformed, raw kept', () => {
    const input = { code: "4001", message: "rate limit exceeded" };
    const err = malformed(input, 'ErrorMessage: "code" must be a u32');
    expect(err.raw).toBe(input);
    expect(malformed('{"code":"4001","message":"x"}', /"code" must be a u32/).raw).toEqual({
      code: "4001",
      message: "x",
    });
  });

  it.each([
    -1,
    -0.5,
    1.5,
    4001.0001,
    2 ** 32,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    4001n,
    true,
    null,
    [4001],
  ])("a code of %s is not a u32", (code) => {
    malformed({ code, message: "x" }, 'ErrorMessage: "code" must be a u32');
  });

  it("accepts -0 as the u32 0, which sits outside every range", () => {
    expect(parseError({ code: -0, message: "x" })).toMatchObject({ code: -0, known: false, action: "abort" });
  });

  it("a non-string message is malformed", () => {
    malformed({ code: 4001, message: 42 }, 'ErrorMessage: "message" must be a string when present');
    malformed({ type: "zone.error", code: "full", message: {} }, 'zone.error: "message" must be a string when present');
  });

  it("keeps the code of an error without a message, and what the peer said apart from what we explain", () => {
    for (const message of [undefined, null]) {
      const err = parseError({ code: 2003, message });
      expect(err).toMatchObject({ code: 2003, known: true, codeName: "ERR_MESSAGE_REJECTED", wireMessage: "" });
      expect(err.message).toBe(catalog.find((e) => e.code === 2003)?.summary);
      // toWire() re-sends what the peer said, not our explanation.
      expect(err.toWire()).toEqual({ code: 2003, message: "" });
    }
    const zone = parseError({ type: "zone.error", code: "full", request_id: "r1" });
    expect(zone).toMatchObject({ code: "full", known: true, wireMessage: "", requestId: "r1" });
    expect(zone.message).toBe(catalog.find((e) => e.code === "full")?.summary);
    expect(zone.toWire()).toEqual({ type: "zone.error", request_id: "r1", code: "full", message: "" });
    const unknown = parseError({ code: 2999 });
    expect(unknown).toMatchObject({ code: 2999, known: false, wireMessage: "" });
    // Core's words for an unknown code that came without a message, the same in every package.
    expect(unknown.message).toBe("Atlas error 2999");
    // A message that is there, even empty, is what the peer said.
    expect(parseError({ code: 2003, message: "" })).toMatchObject({ message: "", wireMessage: "" });
    expect(parseError({ code: 4001, message: "slow down" })).toMatchObject({
      message: "slow down",
      wireMessage: "slow down",
    });
    // An error built by hand says its message on the wire.
    const built = new AtlasError({ code: 4001, message: "busy", known: true, retryable: "yes", action: "throttle" });
    expect(built.wireMessage).toBe("busy");
    expect(built.toWire()).toEqual({ code: 4001, message: "busy" });
  });

  it("non-string ids are malformed", () => {
    malformed({ code: 4001, message: "x", ref_msg_id: 7 }, 'ErrorMessage: "ref_msg_id" must be a string when present');
    malformed(
      { type: "zone.error", request_id: {}, code: "full", message: "x" },
      'zone.error: "request_id" must be a string when present',
    );
  });

  it("a zone code that is not a string is malformed", () => {
    malformed({ type: "zone.error", code: 4001, message: "x" }, 'zone.error: "code" must be a string');
  });

  it("another message type is not an error", () => {
    malformed({ type: "zone.result", code: "full", message: "x" }, 'not an Atlas error message: type "zone.result"');
    malformed({ type: 7, code: 4001, message: "x" }, "not an Atlas error message: type number");
    // A type carrying a secret after a line break: JSON.stringify's `\n` once hid it from the masking.
    malformed(
      { type: "Bearer\nabcdef123", code: 4001, message: "x" },
      'not an Atlas error message: type "Bearer\\n[redacted]"',
    );
    malformed(
      { type: 'x"token=abc123', code: 4001, message: "x" },
      'not an Atlas error message: type "x"token=[redacted]"',
    );
  });

  it("extra keys are ignored and never copied", () => {
    const err = parseError({ code: 2003, message: "no", extra: { deep: [1, 2] }, __proto__x: 1, polluted: true });
    expect(err).toMatchObject({ code: 2003, known: true });
    expect("extra" in err.toJSON()).toBe(false);
    expect(Object.keys(err.toWire())).toEqual(["code", "message"]);
  });

  it("a __proto__ key in JSON stays data and pollutes nothing", () => {
    const err = parseError('{"code":4001,"message":"x","__proto__":{"polluted":1,"code":1}}');
    expect(err).toMatchObject({ code: 4001, known: true });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("inherited fields do not count", () => {
    malformed(Object.create({ code: 4001, message: "x" }), /"code" must be a u32/);
  });

  it.each([null, undefined, 42, "", [], [4001, "x"], true, Symbol("s"), () => 1])("%s is malformed", (input) => {
    malformed(input, /ErrorMessage: "code" must be a u32|text is not JSON/);
  });

  it("text that is not JSON is malformed, the text kept", () => {
    const err = malformed("{nope", "text is not JSON");
    expect(err.raw).toBe("{nope");
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it("MessagePack bytes without the codec point to @wirefault/atlas/msgpack", () => {
    const frame = new Uint8Array([0x82, 0xa4, 0x63, 0x6f, 0x64, 0x65, 0xcd, 0x0f, 0xa1]);
    const err = malformed(frame, /@wirefault\/atlas\/msgpack/);
    expect(err.raw).toBe(frame);
  });

  it("deeply nested JSON is malformed, not a stack overflow", () => {
    expect(parseError(`{"code":${"[".repeat(100_000)}${"]".repeat(100_000)},"message":"x"}`).code).toBe(MALFORMED);
    expect(parseError("[".repeat(1_000_000)).code).toBe(MALFORMED);
  });

  it("masks secrets in messages", () => {
    expect(parseError({ code: 1002, message: "bad token Bearer abc.def" }).message).toBe("bad token Bearer [redacted]");
  });
});

describe("what core decides for every package", () => {
  it("an empty code names no code: MALFORMED", () => {
    expect(parseError({ type: "zone.error", code: "", message: "x" })).toMatchObject({ code: MALFORMED, known: false });
  });

  it("a transport status classifies what names no code", () => {
    expect(parseError({ message: "x" }, { status: 503 })).toMatchObject({
      code: MALFORMED,
      status: 503,
      retryable: "yes",
      action: "retry",
    });
  });

  it("a decoded object is held to MAX_JSON_BYTES, extra keys included, and not kept", () => {
    const err = parseError({ code: 4001, message: "m", trace: "t".repeat(MAX_JSON_BYTES) });
    expect(err).toMatchObject({ code: TOO_LARGE, known: false, raw: undefined });
    expect(parseError({ code: 4001, message: "m", trace: "t".repeat(MAX_JSON_BYTES - 100) }).code).toBe(4001);
  });
});

describe("the readers themselves", () => {
  it("each answers its own shape and passes on the other's: zone.error first, then the wire ErrorMessage", () => {
    const zone = { type: "zone.error", request_id: "r", code: "payment_invalid", message: "m" };
    const wire = { code: 4001, message: "m", ref_msg_id: "x" };
    expect(readers.map((read) => read(zone, {}))[0]).toMatchObject({ surface: "zone", code: "payment_invalid" });
    expect(readers.map((read) => read(wire, {}))).toEqual([
      undefined,
      { surface: "wire", code: 4001, message: "m", details: { wireMessage: "m", refMsgId: "x" } },
    ]);
  });
});
