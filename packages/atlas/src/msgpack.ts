/**
 * The MessagePack codec, on its own subpath (`@wirefault/atlas/msgpack`) so
 * that users who only parse decoded objects never load @msgpack/msgpack.
 * @module @wirefault/atlas/msgpack
 */
import { decode, encode } from "@msgpack/msgpack";
import {
  asBytes,
  assembleProtocol,
  type DecodedInput,
  decodeInput,
  definePipeline,
  localErrorOf,
  MALFORMED,
  type ParseContext,
  parseErrorAsyncOf,
  parseErrorOf,
} from "@wirefault/core/protocol";
import { MAX_JSON_BYTES, MAX_PAYLOAD_SIZE } from "./catalog.js";
import { definition as json } from "./definition.js";
import type { ParsedAtlasError } from "./error.js";
import { AtlasError } from "./error.js";
import { type AtlasErrorMessage, errorMessage, isU32, type ZoneErrorMessage } from "./wire.js";

// An ErrorMessage is a flat map; nesting is only tolerated in extra keys, and only this deep.
const MAX_DEPTH = 32;

const DECODE_OPTIONS = {
  maxStrLength: MAX_PAYLOAD_SIZE,
  maxBinLength: MAX_PAYLOAD_SIZE,
  maxArrayLength: MAX_PAYLOAD_SIZE,
  maxMapLength: MAX_PAYLOAD_SIZE,
  // ext types are refused by the structural check; this is the second line.
  maxExtLength: 0,
} as const;

// The BOM is kept, as the decoder keeps it: a string read in the walk is the decoder's string.
const strictUtf8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// The keys the readers read; nothing else of a map is decoded or kept. put() stores each by its index here.
const DOCUMENTED = ["type", "code", "message", "ref_msg_id", "request_id"] as const;
// A `__proto__` key would set the prototype of a decoded map: refused, as the decoder refuses it.
const PROTO = DOCUMENTED.length;
// The keys a root key is matched against, on its bytes (no string is built for a key): DOCUMENTED's, then `__proto__`.
const KEYS: readonly string[] = [...DOCUMENTED, "__proto__"];

// Which of KEYS the `length` bytes at `start` spell (each is ASCII, so a non-ASCII key is none), else -1.
function keyIndex(bytes: Uint8Array, start: number, length: number): number {
  next: for (let k = 0; k < KEYS.length; k++) {
    const key = KEYS[k] as string;
    if (key.length !== length) continue;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== key.charCodeAt(i)) continue next;
    return k;
  }
  return -1;
}

// The open containers' remaining items, one per level: the walk is synchronous, so one array serves every call.
const open: number[] = /* @__PURE__ */ new Array(MAX_DEPTH).fill(0);

/** What the walk found of a root map: its documented values, and where those it did not read sit, for the decoder. */
interface Walked {
  /** Each documented key in the order it first came, with the value the walk read (undefined until decoded). */
  readonly out: Record<string, unknown>;
  /** Per DOCUMENTED index, the span of a last value the walk left to the decoder: [from, to), from -1 for none. */
  readonly from: number[];
  readonly to: number[];
}

/**
 * Walks the MessagePack structure without building it, and says what is
 * wrong, if anything. Decoders allocate per declared length and nest without
 * limit (4 MB of 0x91 builds four million nested arrays), so this runs first:
 * every declared length must fit in the bytes left, nesting stops at
 * MAX_DEPTH, ext types are refused, and strings must be valid UTF-8. In the
 * same pass (issue 31), the root map's documented keys are matched on their
 * bytes, and their strings and scalars read into `walked`.
 */
function checkStructure(bytes: Uint8Array, walked: Walked): string | undefined {
  const end = bytes.length;
  const { out, from, to } = walked;
  const first = bytes[0];
  if (first === undefined) return "empty payload";
  if (!((first >= 0x80 && first <= 0x8f) || first === 0xde || first === 0xdf)) return "root is not a map";
  // Root entries so far; the key (a KEYS index) whose value comes next; the one whose value the decoder reads.
  let rootItems = 0;
  let pendingKey = -1;
  let leftKey = -1;
  let depth = 0;
  let due = 1;
  let pos = 0;
  for (;;) {
    while (due === 0) {
      if (depth === 0) return pos === end ? undefined : "trailing bytes";
      if (depth === 1 && leftKey !== -1) {
        to[leftKey] = pos;
        leftKey = -1;
      }
      due = open[--depth] as number;
    }
    // A documented value of the root map (a direct child, after its key), or a key of it.
    let documented = -1;
    let key = false;
    if (depth === 1) {
      // A direct child of the root map: the previous one ended here.
      if (leftKey !== -1) {
        to[leftKey] = pos;
        leftKey = -1;
      }
      if (rootItems % 2 === 1) documented = pendingKey;
      else key = true;
      rootItems++;
    }
    const start = pos;
    const head = bytes[pos++];
    if (head === undefined) return "truncated";
    // Any of MessagePack's string encodings (fixstr, str8, str16, str32): a valid encoder may pick any.
    if (key && !((head >= 0xa0 && head <= 0xbf) || (head >= 0xd9 && head <= 0xdb))) return "a key is not a string";
    due--;
    let items = 0;
    let skip = 0;
    let text = false;
    // Of a head followed by a big-endian length: how many bytes that length takes.
    let width = 0;
    if (head <= 0x7f || head >= 0xe0 || head === 0xc0 || head === 0xc2 || head === 0xc3) {
      // a fixint, nil or boolean: the head byte is the whole value
    } else if (head <= 0x8f) items = (head & 0x0f) * 2;
    else if (head <= 0x9f) items = head & 0x0f;
    else if (head <= 0xbf) {
      skip = head & 0x1f;
      text = true;
    } else if (head === 0xc1) return "reserved byte 0xc1";
    else if (head <= 0xc6) width = 1 << (head - 0xc4);
    else if (head <= 0xc9 || (head >= 0xd4 && head <= 0xd8)) return "ext types are not allowed";
    else if (head <= 0xcb) skip = head === 0xca ? 4 : 8;
    else if (head <= 0xd3) skip = 1 << (head & 3);
    else if (head <= 0xdb) {
      width = 1 << (head - 0xd9);
      text = true;
    } else width = head === 0xdc || head === 0xde ? 2 : 4;
    if (width > 0) {
      // Read here, not by a helper: a closure writing `pos` made every use of it in this loop a context slot's.
      if (pos + width > end) return "truncated";
      let length = 0;
      for (let i = 0; i < width; i++) length = length * 256 + (bytes[pos++] as number);
      if (head >= 0xdc) items = head <= 0xdd ? length : 2 * length;
      else skip = length;
    }
    // Each item takes at least a byte, so a count beyond the bytes left is truncation, not a reason to allocate.
    if (pos + skip > end || items > end - pos) return "truncated";
    if (key) {
      pendingKey = keyIndex(bytes, pos, skip);
      if (pendingKey === PROTO) return "a __proto__ key";
    }
    if (documented !== -1) {
      // The last value of a repeated key counts, as in the decoder; its place in `out` stays the first one's.
      const value = text ? utf8At(bytes, pos, skip, true) : items === 0 ? scalarAt(bytes, head, pos) : NOT_READ;
      if (value === INVALID) return "invalid UTF-8";
      // A string with a leading BOM is left to the decoder, whose handling of it depends on the length.
      const left = value === NOT_READ || (typeof value === "string" && value.charCodeAt(0) === 0xfeff);
      put(out, documented, left ? undefined : value);
      from[documented] = left ? start : -1;
      if (left) leftKey = documented;
    } else if (text && utf8At(bytes, pos, skip, false) === INVALID) return "invalid UTF-8";
    pos += skip;
    if (items > 0) {
      if (depth >= MAX_DEPTH) return "nested too deep";
      open[depth++] = due;
      due = items;
    }
  }
}

// Up to this length a string is read byte by byte when it is ASCII; the decoder is faster on longer text.
const SHORT = 64;
const INVALID = Symbol("invalid UTF-8");

/**
 * The string of the `length` bytes at `pos`, or INVALID when they are not
 * UTF-8. Unless `keep`, a short ASCII run is only checked, and "" stands for it.
 */
function utf8At(bytes: Uint8Array, pos: number, length: number, keep: boolean): string | typeof INVALID {
  if (length <= SHORT) {
    // Each ASCII byte is its own character: no decoder call, which cost more than the rest of the walk.
    const codes: number[] | undefined = keep ? new Array(length) : undefined;
    let i = 0;
    for (; i < length; i++) {
      const byte = bytes[pos + i] as number;
      if (byte >= 0x80) break;
      if (codes) codes[i] = byte;
    }
    if (i === length) return codes ? String.fromCharCode.apply(null, codes) : "";
  }
  try {
    return strictUtf8.decode(bytes.subarray(pos, pos + length));
  } catch {
    return INVALID;
  }
}

const NOT_READ = Symbol("not read in the walk");

/**
 * The value of a nil, boolean or integer of up to 32 bits whose head byte is
 * `head` and whose bytes start at `pos` (checked to be there), as the decoder
 * gives it; NOT_READ for any other type, which the decoder reads.
 */
function scalarAt(bytes: Uint8Array, head: number, pos: number): unknown {
  if (head <= 0x7f) return head;
  if (head >= 0xe0) return head - 0x100;
  if (head === 0xc0) return null;
  if (head === 0xc2 || head === 0xc3) return head === 0xc3;
  // uint 8, 16, 32 (0xcc-0xce) and int 8, 16, 32 (0xd0-0xd2), big-endian.
  const signed = head >= 0xd0 && head <= 0xd2;
  if (!signed && (head < 0xcc || head > 0xce)) return NOT_READ;
  const width = 1 << (head - (signed ? 0xd0 : 0xcc));
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + (bytes[pos + i] as number);
  return signed && value >= 2 ** (8 * width - 1) ? value - 2 ** (8 * width) : value;
}

/**
 * Sets the documented key of index `k`. A store per key, each at its own
 * site, as V8 caches it; one computed key (`out[DOCUMENTED[k]]`) went to the
 * runtime to add each property, a twentieth of a parse.
 */
function put(out: Record<string, unknown>, k: number, value: unknown): void {
  switch (k) {
    case 0:
      out.type = value;
      break;
    case 1:
      out.code = value;
      break;
    case 2:
      out.message = value;
      break;
    case 3:
      out.ref_msg_id = value;
      break;
    default:
      out.request_id = value;
  }
}

// The documented entries of a walked map: a value as the walk read it, any other decoded on its own (the last
// of a repeated key). Extra keys (a trace, 4 MB of empty maps) are walked once and never built.
function documentedEntries(bytes: Uint8Array, walked: Walked): Record<string, unknown> {
  const { out, from, to } = walked;
  for (let k = 0; k < DOCUMENTED.length; k++) {
    const at = from[k] as number;
    if (at >= 0) put(out, k, decode(bytes.subarray(at, to[k]), DECODE_OPTIONS));
  }
  return out;
}

// JSON text starts with `{` after an optional BOM and whitespace; none of
// those bytes can start a MessagePack map, so the two never collide.
function isJsonText(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d) i++;
  return bytes[i] === 0x7b;
}

const BINARY = { binary: true } as const;

/**
 * The MessagePack codec: bytes are a MessagePack map under MAX_PAYLOAD_SIZE,
 * unless `json` and they are JSON text; text is JSON under MAX_JSON_BYTES.
 * Only the documented keys of a map are decoded. Bytes that fail the
 * structural pass are MALFORMED, with what is wrong with them.
 */
function decodeMessagePack(input: unknown, json: boolean): DecodedInput {
  if (typeof input === "string") return decodeInput(input, MAX_JSON_BYTES);
  // Every binary form ws hands over (a Buffer, an ArrayBuffer, fragments), sized before it is joined.
  const decoded = decodeInput(input, MAX_PAYLOAD_SIZE, BINARY);
  if (decoded.kind !== "bytes") return decoded;
  const { bytes } = decoded;
  if (json && isJsonText(bytes)) return decodeInput(bytes, MAX_JSON_BYTES);
  const walked: Walked = { out: {}, from: [-1, -1, -1, -1, -1], to: [0, 0, 0, 0, 0] };
  let problem: string | undefined;
  let cause: unknown;
  try {
    problem = checkStructure(bytes, walked);
    if (problem === undefined) return { kind: "value", value: documentedEntries(bytes, walked) };
  } catch (error) {
    // A value the decoder refuses (a nested `__proto__` key): its error is the cause.
    cause = error;
  }
  const message = problem ? `MessagePack: ${problem}` : "MessagePack could not be decoded";
  return { kind: "malformed", message, raw: bytes, cause };
}

// The main entry's definition, with MessagePack decoded under MAX_PAYLOAD_SIZE (4 MB), the page's limit.
const definition = {
  ...json,
  maxBytes: MAX_PAYLOAD_SIZE,
  codec: (input: unknown) => decodeMessagePack(input, true),
};

const pipeline = /* @__PURE__ */ definePipeline(definition);

// decodeErrorMessage's: bytes are MessagePack, even bytes that look like JSON text. Built on its
// first call, not at import: importing the subpath for parseError builds one pipeline, not two.
function strictParsers() {
  const p = definePipeline({ ...definition, codec: (input: unknown) => decodeMessagePack(input, false) });
  return { parse: parseErrorOf(p), local: localErrorOf(p) };
}
let strict: ReturnType<typeof strictParsers> | undefined;

/**
 * `parseError` that also reads MessagePack: bytes are decoded as an
 * `ErrorMessage` unless they are JSON text; text, JSON bytes and decoded
 * objects are read as by the main entry. Never throws.
 */
export const parseError = /* @__PURE__ */ parseErrorOf(pipeline);

/**
 * parseError for every form of WebSocket data, a browser's Blob included (read
 * first when it is within the size cap). Never rejects.
 */
export const parseErrorAsync = /* @__PURE__ */ parseErrorAsyncOf(pipeline, parseError);

/**
 * Atlas as core builds it for this subpath: the main entry's definition, with
 * MessagePack decoded under MAX_PAYLOAD_SIZE (4 MB), the page's limit. A
 * decoded object is held to that cap too; JSON text keeps MAX_JSON_BYTES.
 */
export const protocol = /* @__PURE__ */ assembleProtocol(definition, { pipeline, parseError, parseErrorAsync });

/**
 * Decodes a MessagePack `ErrorMessage` body (the payload of a 0xE0 frame) into
 * an AtlasError; a `zone.error` map is read as a zone error. Input over
 * MAX_PAYLOAD_SIZE is refused before decoding. Never throws.
 */
export function decodeErrorMessage(bytes: Uint8Array | ArrayBuffer, context?: ParseContext): ParsedAtlasError {
  strict ??= strictParsers();
  const { parse, local } = strict;
  return asBytes(bytes)
    ? parse(bytes, context)
    : (local(MALFORMED, "expected MessagePack bytes", bytes) as ParsedAtlasError);
}

/**
 * Encodes an `ErrorMessage` body as MessagePack (for test servers and peers);
 * an AtlasError is encoded from its `toWire()`, so a zone error gives a
 * `zone.error` map. Throws a RangeError for a code that is not a u32 or a
 * result over MAX_PAYLOAD_SIZE, and a TypeError for a message that is not a string.
 */
export function encodeErrorMessage(error: AtlasError | AtlasErrorMessage): Uint8Array {
  let body: AtlasErrorMessage | ZoneErrorMessage;
  if (error instanceof AtlasError) body = error.toWire();
  else {
    // Rebuilt from the documented keys only: nothing else reaches the wire.
    const { code, message, ref_msg_id } = error;
    if (typeof message !== "string" || (ref_msg_id !== undefined && typeof ref_msg_id !== "string"))
      throw new TypeError("ErrorMessage: message and ref_msg_id must be strings");
    body = errorMessage(code, message, ref_msg_id);
  }
  if (!("type" in body) && !isU32(body.code)) throw new RangeError(`ErrorMessage code must be a u32, got ${body.code}`);
  const bytes = encode(body);
  if (bytes.byteLength > MAX_PAYLOAD_SIZE)
    throw new RangeError(
      `ErrorMessage of ${bytes.byteLength} bytes exceeds MAX_PAYLOAD_SIZE (${MAX_PAYLOAD_SIZE} bytes)`,
    );
  return bytes;
}
