import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { growth, LINEAR_GROWTH } from "@wirefault/test-utils";
import { describeExhaustive } from "@wirefault/test-utils/typecheck";
import { Builder, ByteBuffer } from "flatbuffers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { catalog, MAX_FRAME_BYTES } from "./catalog.js";
import { TryllError } from "./error.js";
import {
  decodeFrame,
  encodeErrorFrame,
  encodeTurnCompleteFrame,
  FrameReader,
  MessageType,
  parseError,
  TurnStatus,
} from "./frame.js";
import { parseError as parseMain } from "./protocol.js";

const held = (reader: FrameReader): number => reader.capacity;

const U64_MAX = 18_446_744_073_709_551_615n;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replaceAll(" ", ""), "hex"));

/** A copy of `bytes` with a little-endian uint32 written at `at`. */
function patch32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(at, value >>> 0, true);
  return copy;
}

function patch16(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint16(at, value, true);
  return copy;
}

/** A `Message` of another kind: a one-field table under union tag `tag`. */
function otherFrame(tag: number): Uint8Array {
  const b = new Builder(64);
  b.startObject(1);
  b.addFieldInt32(0, 123, 0);
  const body = b.endObject();
  b.startObject(2);
  b.addFieldOffset(1, body, 0);
  b.addFieldInt8(0, tag, 0);
  b.finish(b.endObject(), undefined, true);
  return b.asUint8Array().slice();
}

/** A Message with `tag` and no body table at all. */
function bodylessFrame(tag: number): Uint8Array {
  const b = new Builder(64);
  b.startObject(2);
  b.addFieldInt8(0, tag, 0);
  b.finish(b.endObject(), undefined, true);
  return b.asUint8Array().slice();
}

const local = (result: unknown, code: string, message: string | RegExp) => {
  expect(result).toBeInstanceOf(TryllError);
  expect(result).toMatchObject({ code, known: false, retryable: "no", action: "abort", layer: "protocol" });
  if (typeof message === "string") expect((result as TryllError).message).toBe(message);
  else expect((result as TryllError).message).toMatch(message);
};

// The AgentBusy frame, checked by hand against FlatBuffers' layout: prefix 84,
// root offset 16, Message vtable [8, 12, 7, 8], body_type 10 at +7, body at +8;
// ErrorResponse vtable [12, 32, 12, 4, 8, 20]: code 3004, message "busy",
// request_id 7, agent_id 2, fields placed largest first as flatc's C++ does.
const AGENT_BUSY =
  "54000000 10000000 00000000 08000c00 07000800 08000000 0000000a 10000000 0c002000 0c000400 08001400 0c000000" +
  "bc0b0000 18000000 07000000 00000000 02000000 00000000 00000000 04000000 62757379 00000000";

describe("encodeErrorFrame", () => {
  it("builds the byte-exact ErrorResponse frame", () => {
    expect(hex(encodeErrorFrame({ code: 3004, message: "busy", requestId: 7n, agentId: 2n }))).toBe(
      AGENT_BUSY.replaceAll(" ", ""),
    );
  });

  it("accepts a TryllError and rebuilds the frame it was decoded from", () => {
    const frame = fromHex(AGENT_BUSY);
    const err = decodeFrame(frame)!;
    expect(hex(encodeErrorFrame(err))).toBe(hex(frame));
  });

  it("refuses what cannot be on the wire", () => {
    expect(() => encodeErrorFrame({ code: MALFORMED, message: "x" })).toThrow(RangeError);
    expect(() => encodeErrorFrame({ code: -1 })).toThrow("code must be an integer from 0 to 4294967295");
    expect(() => encodeErrorFrame({ code: 2 ** 32 })).toThrow(RangeError);
    expect(() => encodeErrorFrame({ code: 1.5 })).toThrow(RangeError);
    expect(() => encodeErrorFrame({ code: 3004, requestId: -1n })).toThrow("requestId must be a uint64");
    expect(() => encodeErrorFrame({ code: 3004, agentId: U64_MAX + 1n })).toThrow("agentId must be a uint64");
    expect(() => encodeErrorFrame({ code: 3004, message: "x".repeat(MAX_FRAME_BYTES) })).toThrow(
      /exceeds the 1 MiB limit/,
    );
    expect(() => encodeTurnCompleteFrame({ status: 256 })).toThrow("status must be an integer from 0 to 255");
    expect(() => encodeTurnCompleteFrame({ status: 1, tokensGenerated: -1 })).toThrow(RangeError);
  });
});

describe("decodeFrame: round trips", () => {
  it.each([
    [3004, "busy", 7n, 2n],
    [2001, "Server is shutting down", 1n, 0n],
    [6005, "a hole in the catalog", 9n, 3n],
    [0, "", 0n, 0n],
    [4_294_967_295, "uint32 max", U64_MAX, U64_MAX],
    [1, "é 漢字 🎉", 2n ** 63n, 2n ** 32n],
  ])("ErrorResponse %i %j keeps code, message and ids", (code, message, requestId, agentId) => {
    const err = decodeFrame(encodeErrorFrame({ code, message, requestId, agentId }))!;
    expect(err).toBeInstanceOf(TryllError);
    expect(err).toMatchObject({ code, requestId, agentId, turnLocal: false });
    expect(err.raw).toEqual({ request_id: requestId, code, message, agent_id: agentId });
    expect(err.message).toBe(message);
    const again = decodeFrame(encodeErrorFrame(err))!;
    expect(again.toJSON()).toEqual(err.toJSON());
  });

  it("classifies what it decodes, unknown codes included", () => {
    expect(decodeFrame(encodeErrorFrame({ code: 3008, message: "exit to nowhere" }))).toMatchObject({
      codeName: "InvalidExitTarget",
      layer: "agent",
      action: "fix-request",
      known: true,
    });
    expect(decodeFrame(encodeErrorFrame({ code: 6005, message: "?" }))).toMatchObject({
      known: false,
      layer: "download",
      action: "abort",
    });
  });

  it("reads a TurnComplete with status Error as a turn-local inference failure", () => {
    const frame = encodeTurnCompleteFrame({
      requestId: U64_MAX,
      agentId: U64_MAX,
      status: TurnStatus.Error,
      debugInfo: "tokenizer crashed",
      tokensGenerated: 4_294_967_295,
    });
    const err = decodeFrame(frame)!;
    expect(err.toJSON()).toEqual({
      name: "TryllError",
      message: "tokenizer crashed",
      protocol: "tryll",
      surface: "response",
      code: 4001,
      codeName: "InferenceFailed",
      status: undefined,
      retryable: "maybe",
      action: "retry",
      retryAfterMs: undefined,
      known: true,
      layer: "inference",
      requestId: "18446744073709551615",
      agentId: "18446744073709551615",
      turnLocal: true,
      cause: undefined,
    });
    expect(err.raw).toEqual({
      request_id: U64_MAX,
      agent_id: U64_MAX,
      status: 1,
      debug_info: "tokenizer crashed",
      tokens_generated: 4_294_967_295,
    });
    // The error re-encodes as the same TurnComplete, apart from the token count it does not keep.
    const again = encodeErrorFrame(err);
    expect(decodeFrame(again)!.toJSON()).toEqual(err.toJSON());
    expect(hex(again)).toBe(
      hex(encodeTurnCompleteFrame({ requestId: U64_MAX, agentId: U64_MAX, status: 1, debugInfo: "tokenizer crashed" })),
    );
  });

  it("falls back to the catalog's summary for a failed turn without debug info", () => {
    const err = decodeFrame(encodeTurnCompleteFrame({ status: TurnStatus.Error }))!;
    expect(err).toMatchObject({ code: 4001, turnLocal: true, requestId: 0n, agentId: 0n });
    expect(err.message).toBe("Inference node failed; the turn ended, the agent is usable.");
    // Re-encoded, it still carries no debug info: our explanation is not put in the peer's mouth.
    expect(err.wireMessage).toBe("");
    expect(hex(encodeErrorFrame(err))).toBe(hex(encodeTurnCompleteFrame({ status: TurnStatus.Error })));
  });

  it("returns nothing for successful or cancelled turns and for other message kinds", () => {
    expect(decodeFrame(encodeTurnCompleteFrame({ requestId: 1n, status: TurnStatus.Success }))).toBeUndefined();
    expect(decodeFrame(encodeTurnCompleteFrame({ requestId: 1n, status: TurnStatus.Cancelled }))).toBeUndefined();
    expect(decodeFrame(encodeTurnCompleteFrame({ status: 7 }))).toBeUndefined();
    for (const tag of [1, 2, 8, 11, 255]) expect(decodeFrame(otherFrame(tag))).toBeUndefined();
    expect(decodeFrame(bodylessFrame(MessageType.None))).toBeUndefined();
  });

  it("reads absent fields as their defaults, and an absent message as the catalog's summary", () => {
    const b = new Builder(64);
    b.startObject(4);
    b.addFieldInt32(1, 3001, 0);
    const body = b.endObject();
    b.startObject(2);
    b.addFieldOffset(1, body, 0);
    b.addFieldInt8(0, MessageType.ErrorResponse, 0);
    b.finish(b.endObject(), undefined, true);
    const err = decodeFrame(b.asUint8Array())!;
    expect(err).toMatchObject({ code: 3001, requestId: 0n, agentId: 0n, codeName: "InvalidAgentId" });
    expect(err.message).toBe("No such agent; recreate it, never retry the old id.");
    expect(err.raw).toEqual({ request_id: 0n, code: 3001, message: null, agent_id: 0n });
    // What the official decoder reads, and what toWire() and a re-encoded frame send: "".
    expect(err.wireMessage).toBe("");
    expect(err.toWire()).toEqual({ code: 3001, message: "", request_id: 0n, agent_id: 0n });
    expect(decodeFrame(encodeErrorFrame(err))).toMatchObject({ code: 3001, wireMessage: "" });
    // An empty ErrorResponse is code 0, which a server never sends: unknown, abort.
    const empty = new Builder(64);
    empty.startObject(4);
    const none = empty.endObject();
    empty.startObject(2);
    empty.addFieldOffset(1, none, 0);
    empty.addFieldInt8(0, MessageType.ErrorResponse, 0);
    empty.finish(empty.endObject(), undefined, true);
    expect(decodeFrame(empty.asUint8Array())).toMatchObject({
      code: 0,
      known: false,
      layer: "client",
      action: "abort",
    });
  });

  it("accepts ArrayBuffers and views into larger buffers", () => {
    const frame = encodeErrorFrame({ code: 3004, message: "busy" });
    expect(decodeFrame(frame.slice().buffer)).toMatchObject({ code: 3004 });
    const padded = new Uint8Array(frame.byteLength + 10);
    padded.set(frame, 5);
    expect(decodeFrame(padded.subarray(5, 5 + frame.byteLength))).toMatchObject({ code: 3004, message: "busy" });
  });

  it("accepts a frame of exactly 1 MiB", () => {
    const frame = encodeErrorFrame({ code: 3004, message: "busy" });
    // Bytes after the tables are legal padding, so the frame can be grown to the limit.
    const big = new Uint8Array(4 + MAX_FRAME_BYTES);
    big.set(frame);
    expect(decodeFrame(patch32(big, 0, MAX_FRAME_BYTES))).toMatchObject({ code: 3004, message: "busy" });
  });
});

describe("decodeFrame: bad frames", () => {
  const frame = fromHex(AGENT_BUSY);

  it("refuses a length prefix of 0xFFFFFFFF before reading on", () => {
    local(
      decodeFrame(patch32(frame, 0, 0xffff_ffff)),
      TOO_LARGE,
      "Tryll frame length prefix 4294967295 exceeds the 1 MiB limit",
    );
    local(decodeFrame(new Uint8Array([0xff, 0xff, 0xff, 0xff])), TOO_LARGE, /4294967295/);
  });

  it("refuses a prefix of 1 MiB + 1 and a buffer over the limit", () => {
    local(decodeFrame(patch32(frame, 0, MAX_FRAME_BYTES + 1)), TOO_LARGE, /1048577 exceeds/);
    local(
      decodeFrame(new Uint8Array(4 + MAX_FRAME_BYTES + 1)),
      TOO_LARGE,
      "Tryll frame of 1048581 bytes exceeds the 1 MiB limit",
    );
  });

  it("refuses every truncation and trailing bytes", () => {
    for (let n = 0; n < frame.byteLength; n++) {
      const cut = frame.subarray(0, n);
      local(
        decodeFrame(cut),
        MALFORMED,
        n < 4
          ? "Truncated Tryll frame: no 4-byte length prefix"
          : /^Tryll frame length prefix says 84 bytes but \d+ follow$/,
      );
    }
    const long = new Uint8Array(frame.byteLength + 1);
    long.set(frame);
    local(decodeFrame(long), MALFORMED, "Tryll frame length prefix says 84 bytes but 85 follow");
  });

  it("refuses a root offset, vtable or table outside the buffer", () => {
    local(decodeFrame(new Uint8Array(4)), MALFORMED, "Tryll frame of 0 bytes is empty: a protocol violation");
    local(decodeFrame(Uint8Array.of(3, 0, 0, 0, 1, 2, 3)), MALFORMED, /of 3 bytes is too short to hold a message/);
    local(decodeFrame(Uint8Array.of(12, 0, 0, 0, ...new Array(12).fill(0))), MALFORMED, /vtable size 0 is invalid/);
    local(decodeFrame(patch32(frame, 4, 84)), MALFORMED, "Malformed Tryll frame: table lies outside the frame");
    local(decodeFrame(patch32(frame, 4, 0xffff_fffc)), MALFORMED, /table lies outside/);
    // The root table's soffset (at payload 16) points its vtable before the start, then past the end.
    local(decodeFrame(patch32(frame, 20, 1000)), MALFORMED, "Malformed Tryll frame: vtable lies outside the frame");
    local(decodeFrame(patch32(frame, 20, -1000)), MALFORMED, /vtable lies outside/);
    local(decodeFrame(patch32(frame, 20, 0x8000_0000)), MALFORMED, /vtable lies outside/);
    // The ErrorResponse's soffset (at payload 40).
    local(decodeFrame(patch32(frame, 44, -100)), MALFORMED, /vtable lies outside/);
  });

  it("refuses bad vtable and table sizes", () => {
    local(decodeFrame(patch16(frame, 12, 3)), MALFORMED, "Malformed Tryll frame: vtable size 3 is invalid");
    local(decodeFrame(patch16(frame, 12, 0xfffe)), MALFORMED, /vtable lies outside/);
    local(decodeFrame(patch16(frame, 14, 2)), MALFORMED, "Malformed Tryll frame: table size 2 is invalid");
    local(decodeFrame(patch16(frame, 14, 0xffff)), MALFORMED, /table lies outside/);
  });

  it("keeps the decoder's own error as the cause, and the frame with why in raw", () => {
    const corrupt = patch16(frame, 12, 3);
    const err = decodeFrame(corrupt);
    expect(err?.cause).toBeInstanceOf(Error);
    expect(err?.cause).toMatchObject({ message: "vtable size 3 is invalid" });
    expect(err?.raw).toMatchObject({ frame: corrupt, problem: "Malformed Tryll frame: vtable size 3 is invalid" });
    // A frame that decodes has no cause.
    expect(decodeFrame(frame)?.cause).toBeUndefined();
  });

  it("refuses fields outside their table, and offsets and strings outside the buffer", () => {
    // body_type's field offset in the Message vtable (payload 12).
    local(decodeFrame(patch16(frame, 16, 12)), MALFORMED, "Malformed Tryll frame: field 0 lies outside its table");
    // The body uoffset (payload 24) and the message uoffset (payload 48).
    local(decodeFrame(patch32(frame, 28, 0x7fff_ffff)), MALFORMED, /message body lies outside/);
    local(decodeFrame(patch32(frame, 52, 1000)), MALFORMED, /string length lies outside/);
    // The string's length (payload 72): 8 still ends inside the frame (it takes in the padding), 9 does not.
    // The padding's NULs are read, and escaped like any control character of a message.
    expect(decodeFrame(patch32(frame, 76, 8))?.message).toBe("busy\\x00\\x00\\x00\\x00");
    local(decodeFrame(patch32(frame, 76, 9)), MALFORMED, "Malformed Tryll frame: string lies outside the frame");
    local(decodeFrame(patch32(frame, 76, 0xffff_ffff)), MALFORMED, /string lies outside/);
    local(
      decodeFrame(bodylessFrame(MessageType.ErrorResponse)),
      MALFORMED,
      "Malformed Tryll frame: union tag 10 has no body",
    );
  });

  it("refuses input that is not bytes", () => {
    for (const input of [undefined, null, "frame", 42, {}, [1, 2, 3, 4]])
      local(decodeFrame(input as never), MALFORMED, "A Tryll frame must be a Uint8Array or ArrayBuffer");
  });
});

describe("decodeFrame never reads out of bounds", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("checks every offset the runtime reads, on every single-byte corruption", () => {
    const reads: [number, number, number][] = [];
    const widths = { readUint8: 1, readUint16: 2, readInt32: 4, readUint32: 4, readUint64: 8 } as const;
    for (const [method, width] of Object.entries(widths)) {
      const original = ByteBuffer.prototype[method as keyof typeof widths] as (this: ByteBuffer, at: number) => never;
      vi.spyOn(ByteBuffer.prototype, method as keyof typeof widths).mockImplementation(function (
        this: ByteBuffer,
        at: number,
      ) {
        reads.push([at, width, this.capacity()]);
        return original.call(this, at);
      });
    }
    const frames = [
      fromHex(AGENT_BUSY),
      encodeTurnCompleteFrame({ requestId: 3n, agentId: 4n, status: 1, debugInfo: "oops", tokensGenerated: 9 }),
    ];
    let decoded = 0;
    for (const frame of frames)
      for (let at = 4; at < frame.byteLength; at++)
        for (const value of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
          const bad = frame.slice();
          bad[at] = value;
          expect(() => decodeFrame(bad)).not.toThrow();
          decoded++;
        }
    expect(decoded).toBeGreaterThan(800);
    expect(reads.length).toBeGreaterThan(decoded);
    expect(reads.filter(([at, width, capacity]) => at < 0 || at + width > capacity)).toEqual([]);
  });
});

describe("parseError from the frame subpath", () => {
  it("decodes binary frames and reads everything else like the main entry", () => {
    const frame = fromHex(AGENT_BUSY);
    expect(parseError(frame)).toMatchObject({ code: 3004, message: "busy", requestId: 7n, agentId: 2n });
    expect(parseError(frame.slice().buffer)).toMatchObject({ code: 3004 });
    const object = { code: 6006, message: "no source for qwen" };
    expect(parseError(object).toJSON()).toEqual(parseMain(object).toJSON());
    expect(parseError('{"code":5003,"message":"big"}')).toMatchObject({ code: 5003, action: "abort" });
  });

  it("calls a frame that carries no error MALFORMED", () => {
    local(
      parseError(encodeTurnCompleteFrame({ status: TurnStatus.Success })),
      MALFORMED,
      "Tryll frame carries no error (message type 9)",
    );
    local(parseError(otherFrame(3)), MALFORMED, "Tryll frame carries no error (message type 3)");
  });

  it("reads a frame of exactly 1 MiB: the cap is the frame's, not the decoded table's", () => {
    // A message of quotes is larger as JSON than in the frame; the decoded table is not measured again.
    const frame = encodeErrorFrame({ code: 3004, message: '"'.repeat(MAX_FRAME_BYTES - 100) });
    const big = new Uint8Array(4 + MAX_FRAME_BYTES);
    big.set(frame);
    expect(parseError(patch32(big, 0, MAX_FRAME_BYTES))).toMatchObject({ code: 3004, known: true });
  });

  it("reads a failed turn only off a frame: a caller's object of that shape names no code", () => {
    const turn = { request_id: 1n, agent_id: 2n, status: TurnStatus.Error, debug_info: "x", tokens_generated: 0 };
    for (const parse of [parseError, parseMain]) expect(parse(turn)).toMatchObject({ code: MALFORMED, known: false });
  });

  it("reports oversize and corrupt frames as decodeFrame does", () => {
    const frame = fromHex(AGENT_BUSY);
    const big = new Uint8Array(4 + MAX_FRAME_BYTES + 1);
    big.set(patch32(frame, 0, MAX_FRAME_BYTES + 1));
    // parseError says it as core says every input over the cap; decodeFrame says it of the frame.
    local(parseError(big), TOO_LARGE, "Input of 1048581 bytes exceeds the 1048576-byte cap");
    local(decodeFrame(big), TOO_LARGE, "Tryll frame of 1048581 bytes exceeds the 1 MiB limit");
    local(parseError(patch32(frame, 20, 1000)), MALFORMED, /vtable lies outside/);
  });
});

describe("FrameReader", () => {
  const stream = [
    encodeErrorFrame({ code: 3004, message: "busy", requestId: 1n, agentId: 2n }),
    encodeTurnCompleteFrame({ requestId: 3n, agentId: 2n, status: TurnStatus.Success, tokensGenerated: 12 }),
    // Long enough to hold a message, and corrupt: decodeFrame's MALFORMED, not the reader's.
    Uint8Array.of(12, 0, 0, 0, ...new Array(12).fill(0)),
    encodeTurnCompleteFrame({ requestId: 4n, agentId: 2n, status: TurnStatus.Error, debugInfo: "node crashed" }),
    encodeErrorFrame({ code: 2001, message: "shutting down", requestId: U64_MAX }),
  ];
  const joined = Buffer.concat(stream);
  const expected = stream.map(hex);

  it("yields the same frames when the stream is cut at every byte offset", () => {
    for (let cut = 0; cut <= joined.byteLength; cut++) {
      const reader = new FrameReader();
      const frames = [...reader.push(joined.subarray(0, cut)), ...reader.push(joined.subarray(cut))];
      expect(frames.map(hex)).toEqual(expected);
      expect(reader.buffered).toBe(0);
      expect(reader.error).toBeUndefined();
    }
  });

  it("yields the same frames when the stream is cut at every pair of offsets", () => {
    for (let a = 0; a <= joined.byteLength; a += 3)
      for (let b = a; b <= joined.byteLength; b++) {
        const reader = new FrameReader();
        const frames = [
          ...reader.push(joined.subarray(0, a)),
          ...reader.push(joined.subarray(a, b)),
          ...reader.push(joined.subarray(b)),
        ];
        expect(frames.map(hex)).toEqual(expected);
      }
  });

  it("yields the same frames fed one byte at a time, each as soon as it is complete", () => {
    const reader = new FrameReader();
    const ends: number[] = [];
    for (let i = 0; i < joined.byteLength; i++) if (reader.push(joined.subarray(i, i + 1)).length > 0) ends.push(i + 1);
    let end = 0;
    expect(ends).toEqual(stream.map((frame) => (end += frame.byteLength)));
  });

  it("hands out frames decodeFrame reads, and copies its input", () => {
    const reader = new FrameReader();
    const chunk = new Uint8Array(joined);
    const head = chunk.subarray(0, 10);
    expect(reader.push(head)).toEqual([]);
    head.fill(0);
    const frames = reader.push(
      joined.subarray(10).buffer.slice(joined.byteOffset + 10, joined.byteOffset + joined.byteLength),
    );
    expect(frames.map((f) => decodeFrame(f)?.code)).toEqual([3004, undefined, MALFORMED, 4001, 2001]);
  });

  it("stops at a 0xFFFFFFFF length prefix, drops its buffer, and resumes after reset()", () => {
    const reader = new FrameReader();
    const poison = Buffer.concat([stream[0]!, Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3])]);
    expect(reader.push(poison).map(hex)).toEqual([expected[0]]);
    local(
      reader.error,
      TOO_LARGE,
      "Tryll frame length prefix 4294967295 exceeds the 1 MiB limit; the stream cannot be resynchronised",
    );
    expect(reader.buffered).toBe(0);
    expect(reader.push(stream[0]!)).toEqual([]);
    expect(reader.buffered).toBe(0);
    reader.reset();
    expect(reader.error).toBeUndefined();
    expect(reader.push(joined).map(hex)).toEqual(expected);
  });

  it("detects an oversize prefix split across chunks, before its body arrives", () => {
    const reader = new FrameReader();
    expect(reader.push(new Uint8Array([0x01, 0x00]))).toEqual([]);
    expect(reader.error).toBeUndefined();
    expect(reader.push(new Uint8Array([0x10, 0x00]))).toEqual([]);
    local(reader.error, TOO_LARGE, /1048577 exceeds/);
  });

  it("assembles a 1 MiB frame from a thousand chunks", () => {
    const big = new Uint8Array(4 + MAX_FRAME_BYTES);
    big.set(stream[0]!);
    const frame = patch32(big, 0, MAX_FRAME_BYTES);
    const reader = new FrameReader();
    const out: Uint8Array[] = [];
    for (let at = 0; at < frame.byteLength; at += 1051) out.push(...reader.push(frame.subarray(at, at + 1051)));
    expect(out).toHaveLength(1);
    expect(decodeFrame(out[0]!)).toMatchObject({ code: 3004, message: "busy" });
  });

  it("reads a 256 KiB frame fed one byte at a time in linear time, holding about 2x its bytes", () => {
    const frame = encodeErrorFrame({ code: 3004, message: "m".repeat(256 * 1024) });
    const reader = new FrameReader();
    let out: Uint8Array[] = [];
    let capacity = 0;
    for (let i = 0; i < frame.byteLength; i++) {
      out = reader.push(frame.subarray(i, i + 1));
      if (i % 4096 === 0) capacity = Math.max(capacity, held(reader) / Math.max(256, reader.buffered));
    }
    const byteAtATime = (scale: number) => {
      const bytes = encodeErrorFrame({ code: 3004, message: "m".repeat(16 * 1024 * scale) });
      return () => {
        const fresh = new FrameReader();
        for (let i = 0; i < bytes.byteLength; i++) fresh.push(bytes.subarray(i, i + 1));
      };
    };
    expect(growth(byteAtATime)).toBeLessThan(LINEAR_GROWTH);
    expect(out).toHaveLength(1);
    expect(decodeFrame(out[0]!)?.code).toBe(3004);
    expect(capacity).toBeLessThanOrEqual(2.01);
    expect(held(reader)).toBeLessThanOrEqual(256);
  });

  it("gives back the room of a large frame once it is handed out", () => {
    const reader = new FrameReader();
    const big = encodeErrorFrame({ code: 3004, message: "m".repeat(500_000) });
    expect(reader.push(Buffer.concat([big, big.subarray(0, 10)]))).toHaveLength(1);
    expect(reader.buffered).toBe(10);
    expect(held(reader)).toBeLessThanOrEqual(256);
  });

  it("ignores empty chunks and input that is not bytes", () => {
    const reader = new FrameReader();
    expect(reader.push(new Uint8Array(0))).toEqual([]);
    expect(reader.push("frame" as never)).toEqual([]);
    expect(reader.buffered).toBe(0);
  });
});

// The README's switch, compiled by tsc for the frame subpath's readers: every
// documented code compiles, one case short does not.
describeExhaustive(new URL(".", import.meta.url), {
  frameParseError: {
    imports: 'import { decodeFrame, parseError } from "./frame.js";',
    bind: "const err = parseError(input);",
    codes: catalog.map((entry) => entry.code),
  },
  decodeFrame: {
    imports: 'import { decodeFrame, parseError } from "./frame.js";',
    bind: "const err = decodeFrame(input as Uint8Array);\n  if (!err) return;",
    codes: catalog.map((entry) => entry.code),
  },
});

// Issue 27: 1 MiB of zero bytes came out of one push as 262,144 empty frames holding 63x the input.
describe("FrameReader against degenerate frames", () => {
  it("stops at the first empty frame with a typed error, handing out the frames before it", () => {
    const reader = new FrameReader();
    const good = encodeErrorFrame({ code: 3004, message: "busy" });
    const stream = Buffer.concat([good, new Uint8Array(1 << 20)]);
    const frames = reader.push(stream);
    expect(frames.map(hex)).toEqual([hex(good)]);
    local(
      reader.error,
      MALFORMED,
      "Tryll frame of 0 bytes is empty: a protocol violation; the stream cannot be trusted",
    );
    expect([reader.buffered, reader.capacity]).toEqual([0, 256]);
    expect(reader.push(good)).toEqual([]);
    reader.reset();
    expect(reader.push(good).map(hex)).toEqual([hex(good)]);
  });

  it("a frame too short to hold a message stops it too, even split across chunks", () => {
    const reader = new FrameReader();
    expect(reader.push(Uint8Array.of(11, 0))).toEqual([]);
    expect(reader.error).toBeUndefined();
    expect(reader.push(Uint8Array.of(0, 0))).toEqual([]);
    local(reader.error, MALFORMED, /^Tryll frame of 11 bytes is too short to hold a message/);
  });

  it("frames of one push share one copy of their bytes, none of the reader's buffer", () => {
    const reader = new FrameReader();
    const a = encodeErrorFrame({ code: 3004, message: "busy" });
    const b = encodeTurnCompleteFrame({ status: TurnStatus.Success });
    const frames = reader.push(Buffer.concat([a, b, a]));
    expect(frames.map(hex)).toEqual([a, b, a].map(hex));
    expect(new Set(frames.map((f) => f.buffer)).size).toBe(1);
    expect(frames[0]!.buffer.byteLength).toBe(frames.reduce((n, f) => n + f.byteLength, 0));
  });
});

// FIELD-NOTES.md, third pass: the C++ client documents 5005.
describe("5005 DebugCommandsUnavailable", () => {
  it("reads as its row from a frame, its bytes and the decoded ErrorResponse", () => {
    const frame = encodeErrorFrame({ code: 5005, message: "debug commands unavailable", requestId: 3n });
    const expected = {
      code: 5005,
      codeName: "DebugCommandsUnavailable",
      known: true,
      retryable: "no",
      action: "fix-request",
    };
    expect(decodeFrame(frame)).toMatchObject(expected);
    expect(parseError(frame)).toMatchObject(expected);
    expect(parseMain({ code: 5005, message: "debug commands unavailable" })).toMatchObject(expected);
    expect(encodeErrorFrame(decodeFrame(frame) as TryllError)).toEqual(frame);
  });
});
