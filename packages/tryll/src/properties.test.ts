import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalog, MAX_FRAME_BYTES } from "./catalog.js";
import { TryllError } from "./error.js";
import {
  decodeFrame,
  encodeErrorFrame,
  encodeTurnCompleteFrame,
  FrameReader,
  MIN_FRAME_BYTES,
  parseError as parseFrame,
} from "./frame.js";
import { parseError } from "./protocol.js";

const withPrefix = (length: number, payload: Uint8Array = new Uint8Array()): Buffer => {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(length);
  return Buffer.concat([prefix, payload]);
};

// The frames a whole stream holds, read the slow, obvious way; a prefix over
// the 1 MiB limit stops the stream where it starts.
const referenceSplit = (stream: Buffer): { frames: Buffer[]; stoppedAt: number | undefined } => {
  const frames: Buffer[] = [];
  let at = 0;
  while (at + 4 <= stream.byteLength) {
    const length = stream.readUInt32LE(at);
    // Over the limit, or under the 12 bytes a message takes (an empty frame above all): the stream stops.
    if (length > MAX_FRAME_BYTES || length < MIN_FRAME_BYTES) return { frames, stoppedAt: at };
    if (at + 4 + length > stream.byteLength) break;
    frames.push(Buffer.from(stream.subarray(at, at + 4 + length)));
    at += 4 + length;
  }
  return { frames, stoppedAt: undefined };
};

const U64_MAX = 18_446_744_073_709_551_615n;
const uint32 = fc.integer({ min: 0, max: 4_294_967_295 });
const uint64 = fc.bigInt({ min: 0n, max: U64_MAX });
const code = fc.oneof(fc.constantFrom(...catalog.map((e) => e.code), 0, 6005, 4_294_967_295), uint32);
const message = fc.string({ unit: "grapheme", maxLength: 200 });

/** A length-prefixed frame around arbitrary bytes, so they reach the table reader. */
const prefixed = fc.uint8Array({ maxLength: 300 }).map((body) => {
  const frame = new Uint8Array(body.byteLength + 4);
  new DataView(frame.buffer).setUint32(0, body.byteLength, true);
  frame.set(body, 4);
  return frame;
});

/** A valid frame with a few bytes overwritten, to hit offsets, vtables and lengths. */
const corrupted = fc
  .tuple(
    fc.oneof(
      fc.record({ code, message, requestId: uint64, agentId: uint64 }).map(encodeErrorFrame),
      fc
        .record({ requestId: uint64, agentId: uint64, status: fc.integer({ min: 0, max: 3 }), debugInfo: message })
        .map(encodeTurnCompleteFrame),
    ),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
  )
  .map(([frame, edits]) => {
    const copy = frame.slice();
    // Leave the prefix alone so that the corruption is inside the FlatBuffer.
    for (const [at, value] of edits) copy[4 + (at % (copy.byteLength - 4))] = value;
    return copy;
  });

describe("parseError properties", () => {
  it("never throws on objects shaped almost like an ErrorResponse", () => {
    const loose = fc.oneof(fc.anything(), fc.double(), fc.bigInt(), fc.string(), uint32);
    fc.assert(
      fc.property(
        fc.record({ code: loose, message: loose, request_id: loose, agent_id: loose }, { requiredKeys: [] }),
        (input) => {
          const err = parseError(input);
          expect(err).toBeInstanceOf(TryllError);
          expect(JSON.parse(JSON.stringify(err))).toMatchObject({ protocol: "tryll" });
        },
      ),
    );
  });

  it("keeps every uint32 code and refuses every other number", () => {
    fc.assert(
      fc.property(uint32, (c) => {
        expect(parseError({ code: c, message: "m" }).code).toBe(c);
      }),
    );
    const outside = fc.oneof(
      fc.integer({ max: -1 }),
      fc.double({ min: 4_294_967_296, noNaN: true }),
      fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
      fc.constantFrom(Number.NaN, -0.5, 0.5, 4_294_967_295.5, Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(outside, (c) => {
        expect(parseError({ code: c, message: "m" }).code).toBe(MALFORMED);
      }),
    );
  });

  it("round-trips toWire() through parseError and JSON with string ids", () => {
    fc.assert(
      fc.property(
        code,
        message,
        fc.option(uint64, { nil: undefined }),
        fc.option(uint64, { nil: undefined }),
        (c, m, r, a) => {
          const err = parseError({ code: c, message: m, request_id: r, agent_id: a });
          const again = parseError(err.toWire());
          expect(again.toJSON()).toEqual(err.toJSON());
          expect([again.requestId, again.agentId]).toEqual([r, a]);
          const viaJson = parseError(JSON.stringify(err.toWire(), (_, v) => (typeof v === "bigint" ? `${v}` : v)));
          expect(viaJson.toJSON()).toEqual(err.toJSON());
        },
      ),
    );
  });
});

describe("frame properties", () => {
  it("decodeFrame never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), prefixed, corrupted), (bytes) => {
        const result = decodeFrame(bytes);
        expect(result === undefined || result instanceof TryllError).toBe(true);
        expect(parseFrame(bytes)).toBeInstanceOf(TryllError);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips ErrorResponse frames, uint64 edges included", () => {
    fc.assert(
      fc.property(code, message, uint64, uint64, (c, m, requestId, agentId) => {
        const frame = encodeErrorFrame({ code: c, message: m, requestId, agentId });
        const err = decodeFrame(frame)!;
        expect(err).toMatchObject({ code: c, requestId, agentId, turnLocal: false });
        expect(err.raw).toMatchObject({ message: m });
        expect(encodeErrorFrame(err)).toEqual(frame);
      }),
    );
  });

  it("round-trips failed TurnComplete frames as turn-local errors", () => {
    fc.assert(
      fc.property(message, uint64, uint64, uint32, (debugInfo, requestId, agentId, tokensGenerated) => {
        const frame = encodeTurnCompleteFrame({ requestId, agentId, status: 1, debugInfo, tokensGenerated });
        const err = decodeFrame(frame)!;
        expect(err).toMatchObject({ code: 4001, requestId, agentId, turnLocal: true });
        expect(err.raw).toEqual({
          request_id: requestId,
          agent_id: agentId,
          status: 1,
          debug_info: debugInfo,
          tokens_generated: tokensGenerated,
        });
        expect(decodeFrame(encodeErrorFrame(err))!.toJSON()).toEqual(err.toJSON());
      }),
    );
  });

  it("FrameReader gives the same frames for any chunking", () => {
    const frames = fc.array(
      fc.oneof(
        fc.record({ code, message, requestId: uint64 }).map(encodeErrorFrame),
        fc.record({ status: fc.integer({ min: 0, max: 2 }), debugInfo: message }).map(encodeTurnCompleteFrame),
      ),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(frames, fc.array(fc.nat(), { maxLength: 20 }), (list, cuts) => {
        const joined = Buffer.concat(list);
        const points = [...new Set(cuts.map((c) => c % (joined.byteLength + 1)))].sort((a, b) => a - b);
        const reader = new FrameReader();
        const out: Uint8Array[] = [];
        let from = 0;
        for (const to of [...points, joined.byteLength]) {
          out.push(...reader.push(joined.subarray(from, to)));
          from = to;
        }
        expect(out.map((f) => Buffer.from(f))).toEqual(list.map((f) => Buffer.from(f)));
        expect(reader.buffered).toBe(0);
      }),
    );
  });

  it("FrameReader splits any stream exactly as a reference splitter does, holding only the unfinished frame", () => {
    // Small length prefixes, so frames complete inside 30 chunks, plus the odd
    // prefix over 1 MiB, which must stop the stream.
    const frame = fc.oneof(
      {
        weight: 9,
        arbitrary: fc.uint8Array({ maxLength: 40 }).map((payload) => withPrefix(payload.byteLength, payload)),
      },
      { weight: 1, arbitrary: fc.integer({ min: MAX_FRAME_BYTES + 1, max: 0xffff_ffff }).map((n) => withPrefix(n)) },
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 30 }), (frames, cuts) => {
        const stream = Buffer.concat(frames);
        const expected = referenceSplit(stream);
        const reader = new FrameReader();
        const out: Buffer[] = [];
        const points = [...new Set(cuts.map((c) => c % (stream.byteLength + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const to of [...points, stream.byteLength]) {
          for (const f of reader.push(stream.subarray(from, to))) out.push(Buffer.from(f));
          from = to;
          const consumed = out.reduce((n, f) => n + f.byteLength, 0);
          const stopped = expected.stoppedAt !== undefined && to >= expected.stoppedAt + 4;
          expect(reader.error !== undefined).toBe(stopped);
          // Everything pushed is either handed out or held, until the stream stops.
          expect(reader.buffered).toBe(stopped ? 0 : to - consumed);
        }
        expect(out).toEqual(expected.frames);
        if (reader.error) expect([TOO_LARGE, MALFORMED]).toContain(reader.error.code);
      }),
    );
  });
});
