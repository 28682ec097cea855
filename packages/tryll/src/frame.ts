/**
 * The FlatBuffers frame codec, on its own subpath (`@wirefault/tryll/frame`)
 * so that users who only classify decoded errors do not ship it.
 * @module @wirefault/tryll/frame
 */
import {
  asBytes,
  assembleProtocol,
  type DecodedInput,
  definePipeline,
  localErrorOf,
  MALFORMED,
  parseErrorAsyncOf,
  parseErrorOf,
  TOO_LARGE,
} from "@wirefault/core/protocol";
import { Builder, ByteBuffer } from "flatbuffers";
import { catalog, MAX_FRAME_BYTES } from "./catalog.js";
import type { ParsedTryllError, TryllError } from "./error.js";
import { definition, fromSocketError, socket } from "./protocol.js";
import { decodeWith, FailedTurn, type TurnCompleteBody, UnreadFrame } from "./readers.js";
import { MIN_FRAME_BYTES, PREFIX_BYTES, readLength, toUint64 } from "./wire.js";

export type { ParseContext } from "@wirefault/core/protocol";
export type { TurnCompleteBody } from "./readers.js";

/** The `MessageBody` union tags the codec reads; every other tag is a message that is not an error. */
export const MessageType = { None: 0, TurnComplete: 9, ErrorResponse: 10 } as const;
/** The values of `TurnComplete.status`: whether a turn succeeded, failed or was cancelled. */
export const TurnStatus = { Success: 0, Error: 1, Cancelled: 2 } as const;

// vtable slots, in schema order. A union field takes two: its type tag, then its table.
const MESSAGE = { bodyType: 0, body: 1 } as const;
const ERROR_RESPONSE = { requestId: 0, code: 1, message: 2, agentId: 3 } as const;
const TURN_COMPLETE = { requestId: 0, agentId: 1, status: 2, debugInfo: 3, tokensGenerated: 4 } as const;

// The runtime's readers index the array without checks; every offset is
// verified here first, so hostile bytes fail with this instead of reading garbage.
class Corrupt extends Error {}

function need(bb: ByteBuffer, at: number, size: number, what: string): void {
  if (!(at >= 0 && size >= 0 && at + size <= bb.capacity())) throw new Corrupt(`${what} lies outside the frame`);
}

interface Table {
  readonly bb: ByteBuffer;
  readonly pos: number;
  readonly vtable: number;
  readonly vtableSize: number;
  readonly size: number;
}

function table(bb: ByteBuffer, pos: number): Table {
  need(bb, pos, 4, "table");
  // The soffset is signed: the vtable may sit before or after its table.
  const vtable = pos - bb.readInt32(pos);
  need(bb, vtable, 4, "vtable");
  const vtableSize = bb.readUint16(vtable);
  const size = bb.readUint16(vtable + 2);
  if (vtableSize < 4 || vtableSize % 2 !== 0) throw new Corrupt(`vtable size ${vtableSize} is invalid`);
  if (size < 4) throw new Corrupt(`table size ${size} is invalid`);
  need(bb, vtable, vtableSize, "vtable");
  need(bb, pos, size, "table");
  return { bb, pos, vtable, vtableSize, size };
}

// Where a field's bytes start, or undefined when the field is absent (its default applies).
function slot(t: Table, index: number, width: number): number | undefined {
  const entry = 4 + 2 * index;
  if (entry + 2 > t.vtableSize) return undefined;
  const offset = t.bb.readUint16(t.vtable + entry);
  if (offset === 0) return undefined;
  if (offset + width > t.size) throw new Corrupt(`field ${index} lies outside its table`);
  return t.pos + offset;
}

const u8 = (t: Table, index: number): number => {
  const at = slot(t, index, 1);
  return at === undefined ? 0 : t.bb.readUint8(at);
};
const u32 = (t: Table, index: number): number => {
  const at = slot(t, index, 4);
  return at === undefined ? 0 : t.bb.readUint32(at);
};
const u64 = (t: Table, index: number): bigint => {
  const at = slot(t, index, 8);
  return at === undefined ? 0n : t.bb.readUint64(at);
};

// The absolute position a uoffset field points at, checked to hold `size` bytes.
function target(t: Table, index: number, size: number, what: string): number | undefined {
  const at = slot(t, index, 4);
  if (at === undefined) return undefined;
  const to = at + t.bb.readUint32(at);
  need(t.bb, to, size, what);
  return to;
}

function str(t: Table, index: number): string | null {
  const to = target(t, index, 4, "string length");
  if (to === undefined) return null;
  need(t.bb, to + 4, t.bb.readUint32(to), "string");
  // Safe now: the offset and length are in bounds, so the runtime's signed reads agree.
  return t.bb.__string(slot(t, index, 4)!) as string;
}

/**
 * The codec of one whole frame, under the 1 MiB limit (`decodeWith` refuses a
 * bigger one before it gets here): the ErrorResponse table or the failed turn
 * it carries, for the readers; anything else, with why.
 */
function readFrame(bytes: Uint8Array): DecodedInput {
  try {
    const bb = new ByteBuffer(bytes.subarray(PREFIX_BYTES));
    need(bb, 0, 4, "root offset");
    const message = table(bb, bb.readUint32(0));
    const tag = u8(message, MESSAGE.bodyType);
    if (tag !== MessageType.ErrorResponse && tag !== MessageType.TurnComplete) return other(bytes, tag);
    const at = target(message, MESSAGE.body, 4, "message body");
    if (at === undefined) throw new Corrupt(`union tag ${tag} has no body`);
    const body = table(bb, at);
    if (tag === MessageType.ErrorResponse) {
      const value = {
        request_id: u64(body, ERROR_RESPONSE.requestId),
        code: u32(body, ERROR_RESPONSE.code),
        message: str(body, ERROR_RESPONSE.message),
        agent_id: u64(body, ERROR_RESPONSE.agentId),
      };
      return { kind: "value", value };
    }
    // Every field is read first, so a corrupt turn is MALFORMED whatever its status.
    const turn = new FailedTurn(
      u64(body, TURN_COMPLETE.requestId),
      u64(body, TURN_COMPLETE.agentId),
      u8(body, TURN_COMPLETE.status),
      str(body, TURN_COMPLETE.debugInfo),
      u32(body, TURN_COMPLETE.tokensGenerated),
    );
    return turn.status === TurnStatus.Error ? { kind: "value", value: turn } : other(bytes, tag);
  } catch (cause) {
    const problem = `Malformed Tryll frame: ${(cause as Error).message}`;
    return { kind: "malformed", message: problem, raw: new UnreadFrame(bytes, problem), cause };
  }
}

/** True when a whole frame is a well-formed message that carries no error (its tag, or a turn that did not fail). */
function isTraffic(bytes: Uint8Array): boolean {
  try {
    const bb = new ByteBuffer(bytes.subarray(PREFIX_BYTES));
    need(bb, 0, 4, "root offset");
    const message = table(bb, bb.readUint32(0));
    const tag = u8(message, MESSAGE.bodyType);
    if (tag === MessageType.ErrorResponse) return false;
    if (tag !== MessageType.TurnComplete) return true;
    const at = target(message, MESSAGE.body, 4, "message body");
    return at !== undefined && u8(table(bb, at), TURN_COMPLETE.status) !== TurnStatus.Error;
  } catch {
    // Corrupt: parseError says how.
    return false;
  }
}

const other = (bytes: Uint8Array, tag: number): DecodedInput => {
  const problem = `Tryll frame carries no error (message type ${tag})`;
  return { kind: "malformed", message: problem, raw: new UnreadFrame(bytes, problem, tag) };
};

// The main entry's definition, catalog and readers, with binary frames decoded.
const framed = { ...definition, codec: /* @__PURE__ */ decodeWith(readFrame) };
const pipeline = /* @__PURE__ */ definePipeline(framed);
const localError = /* @__PURE__ */ localErrorOf(pipeline);

const tooShort = (length: number): string =>
  `Tryll frame of ${length} bytes is ${length === 0 ? "empty" : "too short to hold a message"}: a protocol violation`;

// What is wrong with bytes as one frame, before they are decoded: decodeFrame says it precisely.
function refuse(bytes: Uint8Array): TryllError | undefined {
  if (bytes.byteLength > PREFIX_BYTES + MAX_FRAME_BYTES)
    return localError(TOO_LARGE, `Tryll frame of ${bytes.byteLength} bytes exceeds the 1 MiB limit`, bytes);
  if (bytes.byteLength < PREFIX_BYTES)
    return localError(MALFORMED, "Truncated Tryll frame: no 4-byte length prefix", bytes);
  const length = readLength(bytes);
  if (length > MAX_FRAME_BYTES)
    return localError(TOO_LARGE, `Tryll frame length prefix ${length} exceeds the 1 MiB limit`, bytes);
  if (length !== bytes.byteLength - PREFIX_BYTES)
    return localError(
      MALFORMED,
      `Tryll frame length prefix says ${length} bytes but ${bytes.byteLength - PREFIX_BYTES} follow`,
      bytes,
    );
  if (length < MIN_FRAME_BYTES) return localError(MALFORMED, tooShort(length), bytes);
  return undefined;
}

/**
 * Decodes one length-prefixed frame: the error of an `ErrorResponse`, or a
 * turn-local error for a `TurnComplete` whose status is Error; undefined for
 * any other message. Oversize, truncated or corrupt frames give a local
 * `TOO_LARGE` or `MALFORMED` error. Never throws, never reads out of bounds.
 */
export function decodeFrame(bytes: Uint8Array | ArrayBuffer): ParsedTryllError | undefined;
export function decodeFrame(bytes: Uint8Array | ArrayBuffer): TryllError | undefined {
  const frame = asBytes(bytes);
  if (!frame) return localError(MALFORMED, "A Tryll frame must be a Uint8Array or ArrayBuffer", bytes);
  const refused = refuse(frame);
  if (refused) return refused;
  // Most frames are traffic: known to be no error from their tag alone, without building one.
  if (isTraffic(frame)) return undefined;
  const err = parseError(frame);
  // A well-formed message of another kind is traffic, not an error.
  return err.raw instanceof UnreadFrame && err.raw.tag !== undefined ? undefined : err;
}

/**
 * `parseError` with frame support: binary frames are decoded, and a frame
 * that carries no error is MALFORMED. Everything else is read as the main
 * entry's `parseError` reads it. Never throws.
 */
export const parseError = /* @__PURE__ */ parseErrorOf(pipeline);

/** parseError with frame support, for every form of data, a browser's Blob included. Never rejects. */
export const parseErrorAsync = /* @__PURE__ */ parseErrorAsyncOf(pipeline, parseError);

/**
 * Tryll with the frame codec: the main entry's definition, catalog and
 * readers, with binary frames decoded. The CLI reads Tryll's wire with it.
 */
export const protocol = /* @__PURE__ */ (() =>
  // The whole catalog, the page's advice included, as the main entry's protocol has it.
  // In a closure: a bundler keeps a pure call whose arguments spread an object.
  assembleProtocol({ ...framed, catalog }, { pipeline, socket, fromSocketError, parseError, parseErrorAsync }))();

/** What an ErrorResponse frame is built from; a TryllError fits. */
export interface ErrorFrameInput {
  readonly code: number | string;
  readonly message?: string;
  /** What the peer said, sent instead of `message` when given (a TryllError's own). */
  readonly wireMessage?: string;
  readonly requestId?: bigint | number | undefined;
  readonly agentId?: bigint | number | undefined;
  /** When true, a `TurnComplete` with status Error is built instead, as `decodeFrame` reads it back. */
  readonly turnLocal?: boolean;
}

/** What a TurnComplete frame is built from. */
export interface TurnCompleteFrameInput {
  readonly requestId?: bigint | number | undefined;
  readonly agentId?: bigint | number | undefined;
  readonly status: number;
  readonly debugInfo?: string | undefined;
  readonly tokensGenerated?: number | undefined;
}

function id(value: bigint | number | undefined, what: string): bigint {
  const n = value === undefined ? 0n : toUint64(value);
  if (n === undefined) throw new RangeError(`${what} must be a uint64`);
  return n;
}

function uint(value: unknown, max: number, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max)
    throw new RangeError(`${what} must be an integer from 0 to ${max}`);
  return value as number;
}

// Fields are added largest first, last slot first, as flatc's C++ CreateX
// helpers do, so the bytes match what a Tryll server builds.
function frame(tag: number, build: (b: Builder) => number): Uint8Array {
  const b = new Builder(256);
  const body = build(b);
  b.startObject(2);
  b.addFieldOffset(MESSAGE.body, body, 0);
  b.addFieldInt8(MESSAGE.bodyType, tag, 0);
  b.finish(b.endObject(), undefined, true);
  const bytes = b.asUint8Array().slice();
  if (bytes.byteLength > PREFIX_BYTES + MAX_FRAME_BYTES)
    throw new RangeError(`Tryll frame of ${bytes.byteLength} bytes exceeds the 1 MiB limit`);
  return bytes;
}

/**
 * Builds the length-prefixed frame of an error, for test servers: an
 * `ErrorResponse`, or for a turn-local error a `TurnComplete` with status
 * Error. `decodeFrame` gives back its code, message and ids. Throws a
 * RangeError for a code that is not a uint32 (local codes included) or an
 * id that is not a uint64.
 */
export function encodeErrorFrame(err: ErrorFrameInput): Uint8Array {
  if (err.turnLocal === true)
    return encodeTurnCompleteFrame({
      requestId: err.requestId,
      agentId: err.agentId,
      status: TurnStatus.Error,
      debugInfo: err.wireMessage ?? err.message,
    });
  const code = uint(err.code, 0xffff_ffff, "code");
  const requestId = id(err.requestId, "requestId");
  const agentId = id(err.agentId, "agentId");
  return frame(MessageType.ErrorResponse, (b) => {
    const message = b.createString(err.wireMessage ?? err.message ?? "");
    b.startObject(4);
    b.addFieldInt64(ERROR_RESPONSE.agentId, agentId, 0n);
    b.addFieldInt64(ERROR_RESPONSE.requestId, requestId, 0n);
    b.addFieldOffset(ERROR_RESPONSE.message, message, 0);
    b.addFieldInt32(ERROR_RESPONSE.code, code, 0);
    return b.endObject();
  });
}

/** Builds a length-prefixed `TurnComplete` frame, for test servers. */
export function encodeTurnCompleteFrame(turn: TurnCompleteFrameInput): Uint8Array {
  const status = uint(turn.status, 0xff, "status");
  const tokens = uint(turn.tokensGenerated ?? 0, 0xffff_ffff, "tokensGenerated");
  const requestId = id(turn.requestId, "requestId");
  const agentId = id(turn.agentId, "agentId");
  return frame(MessageType.TurnComplete, (b) => {
    const debugInfo = b.createString(turn.debugInfo ?? "");
    b.startObject(5);
    b.addFieldInt64(TURN_COMPLETE.agentId, agentId, 0n);
    b.addFieldInt64(TURN_COMPLETE.requestId, requestId, 0n);
    b.addFieldInt32(TURN_COMPLETE.tokensGenerated, tokens, 0);
    b.addFieldOffset(TURN_COMPLETE.debugInfo, debugInfo, 0);
    b.addFieldInt8(TURN_COMPLETE.status, status, 0);
    return b.endObject();
  });
}

// Small enough to be noise, large enough that byte-at-a-time input does not reallocate often.
const MIN_CAPACITY = 256;

/**
 * Splits a TCP byte stream into whole frames, whatever the chunk boundaries.
 * A length prefix over the 1 MiB limit cannot be skipped (the next frame's
 * start is unknown), and one under the 12 bytes a message takes (an empty
 * frame above all) is a protocol violation: either way the reader stops.
 * `error` is set (`WIREFAULT_TOO_LARGE` or `WIREFAULT_MALFORMED`), buffered
 * bytes are dropped, and later chunks are ignored until `reset()`, which
 * belongs after a reconnect. Between pushes it holds at most one unfinished
 * frame, so no stream makes it hold more than about twice the 1 MiB limit,
 * nor hand out more than one frame per 16 bytes pushed.
 */
export class FrameReader {
  // One growable buffer: bytes [#start, #end) are held. Chunks are copied in,
  // so a caller reusing its buffer cannot change a frame being assembled, and
  // a peer writing one byte at a time costs one copy per byte, not a list walk.
  #buf = new Uint8Array(MIN_CAPACITY);
  #start = 0;
  #end = 0;
  #error: TryllError | undefined;

  /** The error that stopped the stream, if any: a length over the limit (TOO_LARGE) or under a message's (MALFORMED). */
  get error(): TryllError | undefined {
    return this.#error;
  }

  /** Bytes held, waiting for the rest of their frame. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Bytes allocated to hold them: about twice `buffered` at most, and 256 when nothing is held. */
  get capacity(): number {
    return this.#buf.byteLength;
  }

  /**
   * Adds a chunk; returns the frames it completed, each with its length prefix, ready for `decodeFrame`.
   * The frames of one push are views into one copy of their bytes, never into the reader's buffer.
   */
  push(chunk: Uint8Array | ArrayBuffer): Uint8Array[] {
    const bytes = asBytes(chunk);
    if (this.#error || !bytes || bytes.byteLength === 0) return [];
    this.#append(bytes);
    const first = this.#start;
    const ends: number[] = [];
    while (this.buffered >= PREFIX_BYTES && this.#error === undefined) {
      const length = readLength(this.#buf, this.#start);
      this.#error = this.#refuse(length);
      if (this.#error || this.buffered < PREFIX_BYTES + length) break;
      this.#start += PREFIX_BYTES + length;
      ends.push(this.#start - first);
    }
    const frames = this.#cut(first, ends);
    if (this.#error) this.#clear();
    // Frames handed out leave their room behind; what is held moves to a
    // buffer of its own size so that memory follows the bytes held, not the
    // largest frame seen. Amortised: the copy is smaller than what was consumed.
    else if (this.#buf.byteLength > MIN_CAPACITY && this.#buf.byteLength > 4 * this.buffered)
      this.#move(2 * this.buffered);
    return frames;
  }

  // A length no frame may have stops the stream: the next frame's start is unknown or untrustworthy.
  #refuse(length: number): TryllError | undefined {
    const prefix = () => this.#buf.slice(this.#start, this.#start + PREFIX_BYTES);
    if (length > MAX_FRAME_BYTES)
      return localError(
        TOO_LARGE,
        `Tryll frame length prefix ${length} exceeds the 1 MiB limit; the stream cannot be resynchronised`,
        prefix(),
      );
    if (length < MIN_FRAME_BYTES)
      return localError(MALFORMED, `${tooShort(length)}; the stream cannot be trusted`, prefix());
    return undefined;
  }

  // The frames a push completed are copied out once, together, and handed out as views:
  // a copy per frame costs an ArrayBuffer each, 14x the bytes for a stream of 16-byte frames.
  #cut(first: number, ends: readonly number[]): Uint8Array[] {
    if (ends.length === 0) return [];
    const out = this.#buf.slice(first, first + (ends[ends.length - 1] as number));
    const frames: Uint8Array[] = [];
    let from = 0;
    for (const end of ends) {
      frames.push(out.subarray(from, end));
      from = end;
    }
    return frames;
  }

  /** Forgets buffered bytes and any error, for a fresh connection. */
  reset(): void {
    this.#clear();
    this.#error = undefined;
  }

  #clear(): void {
    this.#buf = new Uint8Array(MIN_CAPACITY);
    this.#start = 0;
    this.#end = 0;
  }

  // Copies bytes in at the end. When they do not fit, the held bytes move to
  // the front (if that frees at least half the buffer) or to a buffer twice
  // what is needed: each byte is moved O(1) times on average, and capacity
  // stays within about 2x the bytes held.
  #append(bytes: Uint8Array): void {
    if (this.#end + bytes.byteLength > this.#buf.byteLength) {
      const needed = this.buffered + bytes.byteLength;
      if (2 * needed <= this.#buf.byteLength) {
        this.#buf.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
      } else this.#move(2 * needed);
    }
    this.#buf.set(bytes, this.#end);
    this.#end += bytes.byteLength;
  }

  #move(capacity: number): void {
    const next = new Uint8Array(Math.max(MIN_CAPACITY, capacity));
    next.set(this.#buf.subarray(this.#start, this.#end));
    this.#end -= this.#start;
    this.#start = 0;
    this.#buf = next;
  }
}
export { MIN_FRAME_BYTES } from "./wire.js";

/**
 * The `TurnComplete` a frame carries, whatever its status, or undefined for
 * any other message and for bytes that are not one well-formed frame. What a
 * client waits for: the answer to its request (`request_id`), or the end of
 * an agent's running turn after 3004 AgentBusy (`agent_id`). Never throws.
 */
export function readTurnComplete(bytes: Uint8Array | ArrayBuffer): TurnCompleteBody | undefined {
  const frame = asBytes(bytes);
  if (!frame || refuse(frame)) return undefined;
  try {
    const bb = new ByteBuffer(frame.subarray(PREFIX_BYTES));
    need(bb, 0, 4, "root offset");
    const message = table(bb, bb.readUint32(0));
    if (u8(message, MESSAGE.bodyType) !== MessageType.TurnComplete) return undefined;
    const at = target(message, MESSAGE.body, 4, "message body");
    if (at === undefined) return undefined;
    const body = table(bb, at);
    return {
      request_id: u64(body, TURN_COMPLETE.requestId),
      agent_id: u64(body, TURN_COMPLETE.agentId),
      status: u8(body, TURN_COMPLETE.status),
      debug_info: str(body, TURN_COMPLETE.debugInfo),
      tokens_generated: u32(body, TURN_COMPLETE.tokensGenerated),
    };
  } catch {
    return undefined;
  }
}
