import type { DecodedInput } from "@wirefault/core/protocol";
import { asBytes, decodeInput } from "@wirefault/core/protocol";
import { catalog, MAX_JSON_BYTES } from "./catalog.js";

/** Frame type of an `ErrorMessage` frame; its payload is the MessagePack body. */
export const ERROR_MESSAGE_FRAME_TYPE = 0xe0;

/** Largest value of a u32 wire code. */
export const MAX_U32 = 0xffff_ffff;

/** The wire `ErrorMessage` body, as carried in a `0xE0` frame. */
export interface AtlasErrorMessage {
  /** A u32 error code. */
  code: number;
  message: string;
  /** The message ID that triggered the error, when there is one. */
  ref_msg_id?: string;
}

/** A `zone.error` message, as carried inside the AtlasMessage body. */
export interface ZoneErrorMessage {
  type: "zone.error";
  /** The request ID that caused the error, when there is one. */
  request_id?: string;
  code: string;
  message: string;
}

/** True for an integer in 0..2^32-1, the range of a u32 `code`. */
export function isU32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_U32;
}

/** Builds an `ErrorMessage` body with the page's key order, leaving out an absent `ref_msg_id`. */
export function errorMessage(code: number, message: string, refMsgId?: string): AtlasErrorMessage {
  return refMsgId === undefined ? { code, message } : { code, message, ref_msg_id: refMsgId };
}

/** Builds a `zone.error` message with the page's key order, leaving out an absent `request_id`. */
export function zoneErrorMessage(code: string, message: string, requestId?: string): ZoneErrorMessage {
  return requestId === undefined
    ? { type: "zone.error", code, message }
    : { type: "zone.error", request_id: requestId, code, message };
}

/** What `toWire()` reads of an error. */
export interface WireFields {
  readonly code: string | number;
  readonly wireMessage: string;
  /** True on wirefault's own error (a local code it raised), never on a peer's. */
  readonly local?: boolean;
  readonly refMsgId?: string | undefined;
  readonly requestId?: string | undefined;
}

/**
 * The documented payload of an error: a `zone.error` message for a string
 * code, an `ErrorMessage` otherwise. A local code becomes the wire error an
 * Atlas node answers it with (the catalog row that `answers` it).
 */
export function toWire(error: WireFields): AtlasErrorMessage | ZoneErrorMessage {
  // Only wirefault's own error: a peer's code that spells a local code is sent back as it came.
  const code = (error.local ? catalog.index.where("answers", error.code)?.code : undefined) ?? error.code;
  return typeof code === "number"
    ? errorMessage(code, error.wireMessage, error.refMsgId)
    : zoneErrorMessage(code, error.wireMessage, error.requestId);
}

// What the main entry says of bytes that are not JSON: Atlas's wire is MessagePack, read by the subpath.
const NOT_JSON_BYTES = 'bytes are not JSON; decode MessagePack with parseError from "@wirefault/atlas/msgpack"';

/**
 * The main entry's codec: JSON text and UTF-8 JSON bytes under
 * MAX_JSON_BYTES, decoded objects as they are. Bytes that are not JSON are
 * MALFORMED, with where MessagePack is read.
 */
export function decodeJson(input: unknown): DecodedInput {
  const decoded = decodeInput(input, MAX_JSON_BYTES);
  if (decoded.kind !== "not-json" || typeof input === "string") return decoded;
  const bytes = asBytes(input);
  return bytes ? { kind: "malformed", message: NOT_JSON_BYTES, raw: bytes, cause: decoded.cause } : decoded;
}
