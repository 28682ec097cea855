// The text of a WebSocket message, whatever form the library handed it over
// in, so that ordinary frames can be routed without guessing the form.
import { fragmentsOf, isBlob, joinFragments } from "./data.js";

// fatal: bytes that are not UTF-8 are binary data, not text with replacement characters.
const utf8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The bytes of one buffer form (Buffer, typed array, DataView, ArrayBuffer); undefined for anything else. */
function bytesOf(data: unknown): Uint8Array | undefined {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // Another realm's ArrayBuffer, or a SharedArrayBuffer.
  const tag = Object.prototype.toString.call(data);
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]")
    return new Uint8Array(data as ArrayBufferLike);
  const parts = fragmentsOf(data);
  if (parts === undefined) return undefined;
  let size = 0;
  for (const part of parts) size += part.byteLength;
  return joinFragments(parts, size);
}

/**
 * The text of a WebSocket message: a string as it is; a `Buffer`, an
 * `ArrayBuffer`, any typed array or `DataView`, or `ws`'s `Buffer[]`
 * (`binaryType: "fragments"`) decoded as UTF-8. `undefined` for bytes that are
 * not UTF-8 (a binary frame: MessagePack, FlatBuffers), for a `Blob` (which
 * only an async read can open) and for anything else. Never throws.
 *
 * `ws` hands a text frame over as one `Buffer` even when `binaryType` is
 * `"fragments"`, so read every frame through this rather than casting. Bytes
 * of a binary frame can happen to be valid UTF-8: pass `ws`'s `isBinary`
 * (the message listener's second argument) and a binary frame is always
 * `undefined`.
 */
export function messageText(data: unknown, isBinary?: boolean): string | undefined {
  try {
    if (isBinary === true) return undefined;
    if (typeof data === "string") return data;
    if (isBlob(data)) return undefined;
    const bytes = bytesOf(data);
    if (bytes === undefined) return undefined;
    // A view on shared memory cannot be decoded in place: copy it first.
    const own = bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
    return utf8.decode(own);
  } catch {
    // Not UTF-8, a detached buffer, or a hostile object: not text.
    return undefined;
  }
}
