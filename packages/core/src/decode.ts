// A parser's input, normalised under the size cap before anything is decoded:
// text and UTF-8 bytes are JSON-parsed, binary is handed to a codec, and JSON
// nested past MAX_DEPTH is refused by a linear scan first.
import { blobSize, fragmentsOf, joinFragments } from "./data.js";

/** What `decodeInput` (or a protocol's codec) made of a parser's input. */
export type DecodedInput =
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array; readonly text: string | undefined }
  | { readonly kind: "too-large"; readonly size: number }
  | { readonly kind: "not-json"; readonly text: string; readonly cause: unknown }
  // What a binary codec could not read: why, in its words, what to keep as `raw`, and its error.
  | { readonly kind: "malformed"; readonly message: string; readonly raw: unknown; readonly cause?: unknown };

/** Bytes of `input` if it is binary (Uint8Array, ArrayBuffer or another view). */
export function asBytes(input: unknown): Uint8Array | undefined {
  try {
    if (input instanceof Uint8Array) return input;
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    // Cross-realm buffers fail instanceof; their tag still says what they are.
    const tag = Object.prototype.toString.call(input);
    if (tag === "[object ArrayBuffer]") return new Uint8Array(input as ArrayBuffer);
  } catch {
    // a detached buffer or a hostile proxy is not bytes
  }
  return undefined;
}

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder();

/** UTF-8 length of a string. */
export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}

/** UTF-8 bytes as text, malformed sequences replaced. */
export const utf8Text = (bytes: Uint8Array): string => decoder.decode(bytes);

/**
 * Normalises a parser's input under a size cap, before any decoding:
 * strings and UTF-8 bytes (one buffer or ws's Buffer[] fragments) are
 * JSON-parsed, other values pass through; a Blob over the cap is too large.
 * With `binary`, bytes are handed back for a protocol codec instead of being read as JSON.
 * Never throws.
 */
export function decodeInput(input: unknown, maxBytes: number, options: { binary?: boolean } = {}): DecodedInput {
  let text: string;
  if (typeof input === "string") {
    // A char is 1 to 3 UTF-8 bytes, so most strings are decided by length alone.
    const size = input.length > maxBytes || input.length * 3 <= maxBytes ? input.length : utf8Length(input);
    if (size > maxBytes) return { kind: "too-large", size };
    text = input;
  } else {
    // A buffer, an ArrayBuffer or a view (the usual binary input) is neither fragments nor a Blob: nothing to size or join first.
    let bytes = asBytes(input);
    if (!bytes) {
      // ws's binaryType "fragments": sized before they are joined. A Blob is sized here and read by the async parsers.
      const parts = fragmentsOf(input);
      const size = parts ? parts.reduce((sum, part) => sum + part.byteLength, 0) : blobSize(input);
      if (size !== undefined && size > maxBytes) return { kind: "too-large", size };
      if (!parts) return { kind: "value", value: input };
      bytes = joinFragments(parts, size as number);
    }
    if (bytes.byteLength > maxBytes) return { kind: "too-large", size: bytes.byteLength };
    if (options.binary) return { kind: "bytes", bytes, text: undefined };
    text = decoder.decode(bytes);
  }
  // JSON.parse of a megabyte of nesting takes 50-200 ms; a linear scan refuses it first.
  if (text.length > DEEP_SCAN_FROM && tooDeep(text)) {
    return { kind: "not-json", text, cause: new SyntaxError(`JSON nested deeper than ${MAX_DEPTH} levels`) };
  }
  try {
    return { kind: "value", value: JSON.parse(text) };
  } catch (cause) {
    return { kind: "not-json", text, cause: bodyless(cause) };
  }
}

/**
 * V8's JSON.parse errors quote the text they failed on (`Unexpected token 'x',
 * "{"token":…" is not valid JSON`), secrets included; the error kept as a
 * cause says where, never what.
 */
function bodyless(cause: unknown): unknown {
  if (!(cause instanceof SyntaxError)) return cause;
  const quoted = cause.message.indexOf('"');
  return quoted === -1
    ? cause
    : new SyntaxError(`${cause.message.slice(0, quoted).replace(/[\s,]+$/, "")} (the text is not shown)`);
}

/** Deepest JSON nesting any parser accepts; real error payloads nest a handful of levels. */
export const MAX_DEPTH = 64;
// Below this length JSON.parse is fast whatever the nesting.
const DEEP_SCAN_FROM = 4096;

/** True when JSON text nests arrays or objects deeper than MAX_DEPTH, outside strings. Linear. */
function tooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
