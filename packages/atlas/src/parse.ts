import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { asBytes, decodeInput, field, localError, type ParseContext, readContext } from "@wirefault/core/wire";
import * as z from "zod/mini";
import { index } from "./catalog.js";
import type { ParsedAtlasError } from "./error.js";
import { AtlasError } from "./error.js";
import { isU32, MAX_PAYLOAD_SIZE } from "./wire.js";

// The u32 range of a wire code is checked by isU32 after the shape, and an
// optional id by its own schema: zod's checks (refine, int, uint32) and
// z.optional would add ~0.8 KB gzip to a bundle budgeted at 10 KB.
const WireMessage = z.object({ code: z.number(), message: z.string() });
const ZoneMessage = z.object({ code: z.string(), message: z.string() });
const Id = z.string();

/** An AtlasError for input that is not a recognisable Atlas error. */
export function malformed(message: string, raw: unknown, cause?: unknown): AtlasError {
  return new AtlasError(localError("atlas", MALFORMED, message, raw, cause));
}

/** An AtlasError for input refused by MAX_PAYLOAD_SIZE before decoding. */
export function tooLarge(size: number, limit = MAX_PAYLOAD_SIZE, name = "MAX_PAYLOAD_SIZE"): AtlasError {
  return new AtlasError(
    localError("atlas", TOO_LARGE, `payload of ${size} bytes exceeds ${name} (${limit} bytes)`, undefined),
  );
}

/**
 * Cap on JSON text. Atlas's wire format is MessagePack, capped at
 * MAX_PAYLOAD_SIZE (4 MB); JSON is a convenience, and 4 MB of it takes V8
 * about 100 ms to parse, so it gets the 1 MiB the other packages use.
 */
export const MAX_JSON_BYTES = 1_048_576;

/**
 * Classifies a decoded message: a `zone.error` object is a zone error, any
 * other object must be a wire `ErrorMessage`. Extra keys are ignored.
 */
export function fromMessage(value: unknown, context: ParseContext): AtlasError {
  const type = field(value, "type");
  const zone = type === "zone.error";
  if (type !== undefined && !zone) {
    const shown = typeof type === "string" ? JSON.stringify(type.slice(0, 64)) : typeof type;
    return malformed(`not an Atlas error message: type ${shown}`, value);
  }
  const kind = zone ? "zone.error" : "ErrorMessage";
  const id = zone ? "request_id" : "ref_msg_id";
  // Only the documented keys are read, as own properties, into a fresh object.
  const result = (zone ? ZoneMessage : WireMessage).safeParse({
    code: field(value, "code"),
    message: field(value, "message"),
  });
  if (!result.success) {
    const key = String(result.error.issues[0]?.path[0]);
    return malformed(`${kind}: "${key}" must be ${!zone && key === "code" ? "a u32" : "a string"}`, value);
  }
  const { code, message } = result.data;
  if (!zone && !isU32(code)) return malformed('ErrorMessage: "code" must be a u32', value);
  // `string?` on the page; a Rust-style encoder writes a missing id as nil, so null means absent too.
  const wireId = field(value, id) ?? undefined;
  if (wireId !== undefined && !Id.safeParse(wireId).success)
    return malformed(`${kind}: "${id}" must be a string when present`, value);
  const classification = index.classify(code, zone ? "zone" : "wire");
  return new AtlasError({
    ...classification,
    code,
    message,
    raw: value,
    status: context.status ?? classification.status,
    retryAfterMs: context.retryAfterMs,
    [zone ? "requestId" : "refMsgId"]: wireId as string | undefined,
  });
}

/**
 * Reads an Atlas error from a decoded object (a wire `ErrorMessage` or a
 * `zone.error` message), JSON text, or UTF-8 JSON bytes. MessagePack bytes
 * need the codec: use `parseError` from `@wirefault/atlas/msgpack`. Never throws.
 */
export function parseError(input: unknown, context?: ParseContext): ParsedAtlasError;
export function parseError(input: unknown, context: ParseContext = {}): AtlasError {
  // Read once, safely: a null or hostile context must not break a valid error.
  context = readContext(context);
  try {
    const decoded = decodeInput(input, MAX_JSON_BYTES);
    if (decoded.kind === "too-large") return tooLarge(decoded.size, MAX_JSON_BYTES, "MAX_JSON_BYTES");
    if (decoded.kind === "not-json")
      return asBytes(input)
        ? malformed(
            'bytes are not JSON; decode MessagePack with parseError from "@wirefault/atlas/msgpack"',
            input,
            decoded.cause,
          )
        : malformed("text is not JSON", decoded.text, decoded.cause);
    return fromMessage(decoded.kind === "value" ? decoded.value : undefined, context);
  } catch (cause) {
    return malformed("input could not be read as an Atlas error", input, cause);
  }
}

/** What a parser takes besides its input: the transport's status and retry hint. */
export type { ParseContext };
