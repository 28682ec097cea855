import { isProtocolError, MALFORMED, ProtocolError, TOO_LARGE } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES } from "./catalog.js";
import { TryllError } from "./error.js";
import { encodeErrorFrame, parseError as parseFrame } from "./frame.js";
import { parseError } from "./protocol.js";
import { FailedTurn, readers } from "./readers.js";

const U64_MAX = 18_446_744_073_709_551_615n;

describe("parseError: an ErrorResponse without a message", () => {
  it("explains it with the catalog, and keeps what the peer said (nothing) for toWire()", () => {
    for (const message of [undefined, null]) {
      const err = parseError({ code: 3004, message, request_id: 1 });
      expect(err.message).toBe("Agent is mid-turn; wait for TurnComplete, then send.");
      expect(err.wireMessage).toBe("");
      expect(err.toWire()).toEqual({ code: 3004, message: "", request_id: 1n });
    }
    // An empty message is kept as the peer said it, and not explained.
    expect(parseError({ code: 3004, message: "" })).toMatchObject({ message: "", wireMessage: "" });
    const said = parseError({ code: 3004, message: "busy" });
    expect([said.message, said.wireMessage, said.toWire().message]).toEqual(["busy", "busy", "busy"]);
    // An error built by hand says its message on the wire.
    const built = new TryllError({ code: 3004, message: "busy", known: true, retryable: "maybe", action: "wait" });
    expect(built.toWire().message).toBe("busy");
  });
});

describe("parseError: the documented ErrorResponse", () => {
  it("reads the page's AgentBusy example into an exact shape", () => {
    const err = parseError({
      code: 3004,
      message: "SendMessageRequest arrived while the agent was still processing the previous turn.",
      request_id: 42,
      agent_id: 7,
    });
    expect(err).toBeInstanceOf(TryllError);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(isProtocolError(err)).toBe(true);
    expect(err.name).toBe("TryllError");
    expect(err.toJSON()).toEqual({
      name: "TryllError",
      message: "SendMessageRequest arrived while the agent was still processing the previous turn.",
      protocol: "tryll",
      surface: "response",
      code: 3004,
      codeName: "AgentBusy",
      status: undefined,
      retryable: "maybe",
      action: "wait",
      retryAfterMs: undefined,
      known: true,
      layer: "agent",
      requestId: "42",
      agentId: "7",
      turnLocal: false,
      cause: undefined,
    });
    expect(err.requestId).toBe(42n);
    expect(err.agentId).toBe(7n);
    expect(err.toWire()).toEqual({
      code: 3004,
      message: "SendMessageRequest arrived while the agent was still processing the previous turn.",
      request_id: 42n,
      agent_id: 7n,
    });
  });

  it("keeps a session-level error's agent id 0 and leaves absent ids undefined", () => {
    const session = parseError({ code: 2002, message: "configure first", request_id: 1, agent_id: 0 });
    expect(session).toMatchObject({ code: 2002, action: "reset", requestId: 1n, agentId: 0n });
    const bare = parseError({ code: 2001, message: "bye" });
    // Core sets a detail only when the wire gave it, so toJSON() shows what the error carries.
    expect(bare).not.toHaveProperty("requestId");
    expect(bare).not.toHaveProperty("agentId");
    expect(bare.toWire()).toEqual({ code: 2001, message: "bye" });
  });

  it("keeps uint64 ids exact as bigints, from bigints and decimal strings", () => {
    expect(
      parseError({ code: 3001, message: "m", request_id: U64_MAX, agent_id: "18446744073709551615" }),
    ).toMatchObject({ requestId: U64_MAX, agentId: U64_MAX });
    const json = parseError('{"code":3001,"message":"m","request_id":"9007199254740993"}');
    expect(json.requestId).toBe(9_007_199_254_740_993n);
    expect(JSON.stringify(json)).toContain('"requestId":"9007199254740993"');
  });

  it("accepts the FlatBuffers object API's camelCase ids and null message", () => {
    const err = parseError({ code: 3002, message: null, requestId: 5n, agentId: 9n });
    expect(err).toMatchObject({ code: 3002, requestId: 5n, agentId: 9n, codeName: "AgentAlreadyDestroyed" });
    expect(err.message).toBe("Agent was destroyed; recreate it, never retry the old id.");
  });

  it("drops ids that are not uint64, keeping the error", () => {
    for (const bad of [-1, 1.5, 2 ** 53, "0x10", "-3", "", "18446744073709551616", U64_MAX + 1n, -1n, null, {}]) {
      const err = parseError({ code: 3004, message: "m", request_id: bad, agent_id: bad });
      expect(err).toMatchObject({ code: 3004, known: true });
      expect([err.requestId, err.agentId]).toEqual([undefined, undefined]);
      expect(err.raw).toEqual({ code: 3004, message: "m", request_id: bad, agent_id: bad });
    }
  });

  it("reads JSON text and UTF-8 bytes, and passes the context through", () => {
    const text = '{"code":6003,"message":"disk full"}';
    expect(parseError(text)).toMatchObject({ code: 6003, action: "user-action", raw: { code: 6003 } });
    expect(parseError(new TextEncoder().encode(text))).toMatchObject({ code: 6003, message: "disk full" });
    expect(parseError(new TextEncoder().encode(text).buffer)).toMatchObject({ code: 6003 });
    expect(parseError({ code: 4002, message: "slow" }, { status: 504, retryAfterMs: 250 })).toMatchObject({
      status: 504,
      retryAfterMs: 250,
    });
  });

  it("keeps an unknown code and its message verbatim for the log", () => {
    const err = parseError({ code: 9123, message: "Brand new failure" });
    expect(err.toJSON()).toMatchObject({ code: 9123, message: "Brand new failure", known: false, action: "abort" });
    expect(parseError({ code: 9123, message: "" }).message).toBe("");
    expect(parseError({ code: 9123 }).message).toBe("Tryll error 9123");
    expect(parseError({ code: 3004 }).message).toBe("Agent is mid-turn; wait for TurnComplete, then send.");
  });
});

describe("parseError: bad input", () => {
  const malformed = (input: unknown) => {
    const err = parseError(input);
    expect(err).toBeInstanceOf(TryllError);
    expect(err).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort", layer: "protocol" });
    return err;
  };

  it("takes the uint32 edges 0 and 2^32-1 as codes", () => {
    expect(parseError({ code: 0, message: "m" })).toMatchObject({ code: 0, known: false, layer: "client" });
    expect(parseError({ code: 4_294_967_295, message: "m" })).toMatchObject({ code: 4_294_967_295, known: false });
  });

  it.each([
    ["a negative code", -1],
    ["a fraction", 3004.5],
    ["2^32", 4_294_967_296],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-0.5", -0.5],
    ["a numeric string", "3004"],
    ["a bigint", 3004n],
    ["null", null],
    ["a missing code", undefined],
  ])("refuses %s as the code", (_, code) => {
    const err = malformed({ code, message: "m" });
    expect(err.message).toBe("Not a Tryll ErrorResponse: code must be a uint32 and message a string");
    // The message says what is wrong; there is no validator error to chain.
    expect(err.cause).toBeUndefined();
  });

  it("refuses a message that is not a string", () => {
    malformed({ code: 3004, message: 42 });
    malformed({ code: 3004, message: { text: "x" } });
  });

  it.each([
    ["null", null],
    ["a number", 3004],
    ["a string that is not JSON", "AgentBusy"],
    ["an array", [3004, "busy"]],
    ["a JSON array", "[3004]"],
    ["a function", () => 3004],
    ["a symbol", Symbol("x")],
  ])("refuses %s", (_, input) => {
    malformed(input);
  });

  it("keeps the text of input that is not JSON", () => {
    const err = malformed("{code: 3004");
    expect(err.raw).toBe("{code: 3004");
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it("ignores inherited and __proto__ keys", () => {
    malformed(Object.create({ code: 3004, message: "inherited" }));
    const err = malformed(JSON.parse('{"__proto__":{"code":3004,"message":"x"}}'));
    expect(Object.prototype).not.toHaveProperty("code");
    expect(err).not.toHaveProperty("codeName", "AgentBusy");
  });

  it("points binary frames at the frame subpath", () => {
    const frame = encodeErrorFrame({ code: 3004, message: "busy" });
    const err = malformed(frame);
    expect(err.message).toBe(
      "Binary Tryll frame: import parseError or decodeFrame from @wirefault/tryll/frame to decode it",
    );
    // The frame rides along in raw, with what the codec made of it.
    expect(err.raw).toMatchObject({ frame, problem: err.message });
  });
});

describe("frames over the cap", () => {
  it("are too large in the main entry, as in the frame subpath, and are not pointed at the subpath", () => {
    for (const payload of [MAX_FRAME_BYTES + 1, MAX_FRAME_BYTES + 4]) {
      const frame = new Uint8Array(4 + payload);
      new DataView(frame.buffer).setUint32(0, payload, true);
      for (const parse of [parseError, parseFrame])
        expect(parse(frame)).toMatchObject({ code: TOO_LARGE, known: false, raw: undefined });
    }
    // At the cap a frame is still read as one (and this one is not an ErrorResponse).
    const atCap = new Uint8Array(4 + MAX_FRAME_BYTES);
    new DataView(atCap.buffer).setUint32(0, MAX_FRAME_BYTES, true);
    expect(parseError(atCap).message).toMatch(/^Binary Tryll frame/);
  });
});

describe("decoded objects under the cap", () => {
  it("refuses a decoded error whose message is over the 1 MiB frame limit, keeping none of it", () => {
    const err = parseError({ code: 3004, message: "m".repeat(MAX_FRAME_BYTES + 1) });
    expect(err).toMatchObject({ code: TOO_LARGE, known: false, raw: undefined });
    expect(parseError({ code: 3004, message: "m".repeat(1000) }).code).toBe(3004);
  });
});

describe("the readers themselves", () => {
  it("a failed turn is read by the first, an ErrorResponse by the second, each passing on the other", () => {
    const [turn, response] = readers;
    const failed = new FailedTurn(1n, 2n, 1, "", 0);
    expect(turn?.(failed, {})).toMatchObject({ surface: "response", code: 4001, message: undefined });
    expect(turn?.({ code: 3004 }, {})).toBeUndefined();
    expect(response?.({ code: 3004, message: "busy", agent_id: 9 }, {})).toMatchObject({
      surface: "response",
      code: 3004,
      message: "busy",
      details: { agentId: 9n, wireMessage: "busy" },
    });
    expect(response?.({ code: -1 }, {})).toBe("Not a Tryll ErrorResponse: code must be a uint32 and message a string");
  });
});
