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

/** A documented key's value in the root map: where it sits, for the decoder. */
type Span = [from: number, to: number];

/**
 * Walks the MessagePack structure without building it, and says what is
 * wrong, if anything. Decoders allocate per declared length and nest without
 * limit (4 MB of 0x91 builds four million nested arrays), so this runs first:
 * every declared length must fit in the bytes left, nesting stops at
 * MAX_DEPTH, ext types are refused, and strings must be valid UTF-8.
 */
function checkStructure(bytes: Uint8Array, found?: Map<string, Span>, read?: Map<string, unknown>): string | undefined {
  const end = bytes.length;
  // Root entries: which documented key was last read, and where its value starts.
  let rootItems = 0;
  let pendingKey: string | undefined;
  let valueKey: string | undefined;
  let valueStart = 0;
  const first = bytes[0];
  if (first === undefined) return "empty payload";
  if (!((first >= 0x80 && first <= 0x8f) || first === 0xde || first === 0xdf)) return "root is not a map";
  const open: number[] = [];
  let due = 1;
  let pos = 0;
  // A big-endian unsigned length of n bytes, or -1 when the bytes run out.
  const length = (n: number): number => {
    if (pos + n > end) return -1;
    let value = 0;
    for (let i = 0; i < n; i++) value = value * 256 + (bytes[pos++] as number);
    return value;
  };
  for (;;) {
    while (due === 0) {
      if (open.length === 1 && valueKey !== undefined) {
        found?.set(valueKey, [valueStart, pos]);
        valueKey = undefined;
      }
      const outer = open.pop();
      if (outer === undefined) return pos === end ? undefined : "trailing bytes";
      due = outer;
    }
    if (open.length === 1) {
      // A direct child of the root map: the previous one ended here.
      if (valueKey !== undefined) found?.set(valueKey, [valueStart, pos]);
      valueKey = rootItems % 2 === 1 ? pendingKey : undefined;
      valueStart = pos;
      // A repeated key: its last value counts, as in the decoder.
      if (valueKey !== undefined) read?.delete(valueKey);
      pendingKey = undefined;
      if (rootItems % 2 === 0 && pos < end) {
        const keyHead = bytes[pos] as number;
        if (!((keyHead >= 0xa0 && keyHead <= 0xbf) || (keyHead >= 0xd9 && keyHead <= 0xdb)))
          return "a key is not a string";
        if (isProto(bytes, pos)) return "a __proto__ key";
        pendingKey = documentedKey(bytes, pos);
      }
      rootItems++;
    }
    // A documented value of the root map: a scalar is read here, in the same pass (single pass, issue 31).
    const documented = open.length === 1 ? valueKey : undefined;
    const head = bytes[pos++];
    if (head === undefined) return "truncated";
    due--;
    let items = 0;
    let skip = 0;
    let text = false;
    if (head <= 0x7f || head >= 0xe0 || head === 0xc0 || head === 0xc2 || head === 0xc3) {
      // a fixint, nil or boolean: the head byte is the whole value
    } else if (head <= 0x8f) items = (head & 0x0f) * 2;
    else if (head <= 0x9f) items = head & 0x0f;
    else if (head <= 0xbf) {
      skip = head & 0x1f;
      text = true;
    } else if (head === 0xc1) return "reserved byte 0xc1";
    else if (head <= 0xc6) skip = length(1 << (head - 0xc4));
    else if (head <= 0xc9 || (head >= 0xd4 && head <= 0xd8)) return "ext types are not allowed";
    else if (head <= 0xcb) skip = head === 0xca ? 4 : 8;
    else if (head <= 0xd3) skip = 1 << (head & 3);
    else if (head <= 0xdb) {
      skip = length(1 << (head - 0xd9));
      text = true;
    } else if (head <= 0xdd) items = length(head === 0xdc ? 2 : 4);
    else items = 2 * length(head === 0xde ? 2 : 4);
    // Each item takes at least a byte, so a count beyond the bytes left is truncation, not a reason to allocate.
    if (skip < 0 || items < 0 || pos + skip > end || items > end - pos) return "truncated";
    if (text) {
      let decoded: string;
      try {
        decoded = strictUtf8.decode(bytes.subarray(pos, pos + skip));
      } catch {
        return "invalid UTF-8";
      }
      // A leading BOM is left to the decoder, whose handling of it depends on the length.
      if (documented !== undefined && decoded.charCodeAt(0) !== 0xfeff) read?.set(documented, decoded);
    } else if (documented !== undefined && items === 0) {
      const scalar = scalarAt(bytes, head, pos);
      if (scalar !== NOT_READ) read?.set(documented, scalar);
    }
    pos += skip;
    if (items > 0) {
      if (open.length >= MAX_DEPTH) return "nested too deep";
      open.push(due);
      due = items;
    }
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

// The keys the readers read; nothing else of a map is decoded or kept.
const DOCUMENTED = ["type", "code", "message", "ref_msg_id", "request_id"];

// The longest key compared: every documented key, and `__proto__`, is shorter.
const MAX_KEY = 16;

/**
 * The key at `pos` when it is a short ASCII string, in any of MessagePack's
 * string encodings (fixstr, str8, str16, str32: a valid encoder may pick any);
 * undefined for anything else, which no reader reads. The codec reads values,
 * not byte patterns.
 */
function keyAt(bytes: Uint8Array, pos: number): string | undefined {
  const head = bytes[pos] as number;
  const width = head >= 0xa0 && head <= 0xbf ? 0 : head >= 0xd9 && head <= 0xdb ? 1 << (head - 0xd9) : -1;
  if (width < 0 || pos + 1 + width > bytes.length) return undefined;
  let length = width === 0 ? head & 0x1f : 0;
  for (let i = 1; i <= width; i++) length = length * 256 + (bytes[pos + i] as number);
  const start = pos + 1 + width;
  if (length > MAX_KEY || start + length > bytes.length) return undefined;
  let key = "";
  for (let i = start; i < start + length; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return undefined;
    key += String.fromCharCode(byte);
  }
  return key;
}

// The key at `pos` if it is one of DOCUMENTED.
const documentedKey = (bytes: Uint8Array, pos: number): string | undefined => {
  const key = keyAt(bytes, pos);
  return key !== undefined && DOCUMENTED.includes(key) ? key : undefined;
};

// A `__proto__` key would set the prototype of a decoded map: refused, as the decoder refuses it.
const isProto = (bytes: Uint8Array, pos: number): boolean => keyAt(bytes, pos) === "__proto__";

// The documented entries of a checked map: a scalar as the walk read it, anything else decoded on its own.
// Extra keys (a trace, 4 MB of empty maps) are walked once and never built.
function documentedEntries(
  bytes: Uint8Array,
  found: Map<string, Span>,
  read: Map<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, [from, to]] of found)
    out[key] = read.has(key) ? read.get(key) : decode(bytes.subarray(from, to), DECODE_OPTIONS);
  return out;
}

// JSON text starts with `{` after an optional BOM and whitespace; none of
// those bytes can start a MessagePack map, so the two never collide.
function isJsonText(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d) i++;
  return bytes[i] === 0x7b;
}

/**
 * The MessagePack codec: bytes are a MessagePack map under MAX_PAYLOAD_SIZE,
 * unless `json` and they are JSON text; text is JSON under MAX_JSON_BYTES.
 * Only the documented keys of a map are decoded. Bytes that fail the
 * structural pass are MALFORMED, with what is wrong with them.
 */
function decodeMessagePack(input: unknown, json: boolean): DecodedInput {
  if (typeof input === "string") return decodeInput(input, MAX_JSON_BYTES);
  // Every binary form ws hands over (a Buffer, an ArrayBuffer, fragments), sized before it is joined.
  const decoded = decodeInput(input, MAX_PAYLOAD_SIZE, { binary: true });
  if (decoded.kind !== "bytes") return decoded;
  const { bytes } = decoded;
  if (json && isJsonText(bytes)) return decodeInput(bytes, MAX_JSON_BYTES);
  const found = new Map<string, Span>();
  const read = new Map<string, unknown>();
  let problem: string | undefined;
  let cause: unknown;
  try {
    problem = checkStructure(bytes, found, read);
    if (problem === undefined) return { kind: "value", value: documentedEntries(bytes, found, read) };
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
