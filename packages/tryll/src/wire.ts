/** Bytes in a frame's little-endian length prefix. */
export const PREFIX_BYTES = 4;

/**
 * The smallest frame that can hold a message: a FlatBuffers root offset, a
 * vtable and a table, 4 bytes each. Anything shorter (an empty frame above
 * all) is a protocol violation, not a message.
 */
export const MIN_FRAME_BYTES = 12;

/** The decoded `ErrorResponse` table: what `toWire()` returns and `parseError` accepts. */
export interface TryllErrorResponse {
  readonly code: number | string;
  readonly message: string;
  readonly request_id?: bigint;
  readonly agent_id?: bigint;
}

/** What `toWire()` reads of an error. */
export interface WireFields {
  readonly code: number | string;
  readonly wireMessage: string;
  readonly requestId?: bigint | undefined;
  readonly agentId?: bigint | undefined;
}

/** The decoded ErrorResponse an error stands for; ids only when known. */
export function toWire(error: WireFields): TryllErrorResponse {
  const wire: { -readonly [K in keyof TryllErrorResponse]: TryllErrorResponse[K] } = {
    code: error.code,
    message: error.wireMessage,
  };
  if (error.requestId !== undefined) wire.request_id = error.requestId;
  if (error.agentId !== undefined) wire.agent_id = error.agentId;
  return wire;
}

/** The frame length a 4-byte little-endian prefix at `at` announces. */
export function readLength(bytes: Uint8Array, at = 0): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/**
 * True when `bytes` is shaped like one length-prefixed frame: the prefix
 * announces exactly the bytes that follow. JSON text cannot pass, since
 * `{` or whitespace in the low byte announces hundreds of megabytes.
 */
export function isFrame(bytes: Uint8Array): boolean {
  return bytes.byteLength >= PREFIX_BYTES && readLength(bytes) === bytes.byteLength - PREFIX_BYTES;
}

const U64_MAX = 0xffff_ffff_ffff_ffffn;

/**
 * A uint64 id from a decoded object: a bigint, a safe integer or a decimal
 * string. Anything else (negative, fractional, past 2^64-1, or a number too
 * big to be exact) is not trusted and gives undefined.
 */
export function toUint64(value: unknown): bigint | undefined {
  const n =
    typeof value === "bigint"
      ? value
      : Number.isSafeInteger(value)
        ? BigInt(value as number)
        : typeof value === "string" && /^\d{1,20}$/.test(value)
          ? BigInt(value)
          : undefined;
  return n !== undefined && n >= 0n && n <= U64_MAX ? n : undefined;
}
