import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import {
  asBytes,
  decodeInput,
  field,
  localError,
  NUMBER,
  type ParseContext,
  pick,
  readContext,
  TEXT,
  textOverCap,
} from "@wirefault/core/wire";
import { index } from "./catalog.js";
import type { ParsedAtlasError } from "./error.js";
import { AtlasError } from "./error.js";
import { isU32, MAX_PAYLOAD_SIZE } from "./wire.js";

// Field by field with core's pick(); the u32 range of a wire code is checked
// by isU32 after the type: zod's refine, int and uint32 would add ~0.8 KB gzip
// to a bundle budgeted at 10 KB.
const Text = TEXT;
const Num = NUMBER;

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
    // Quoted, never JSON.stringify'd: its escapes (`\n` for a line break) would hide a
    // `Bearer\n<token>` from the masking; the raw text is masked and escaped as a message.
    const shown = typeof type === "string" ? `"${type.slice(0, 64)}"` : typeof type;
    return malformed(`not an Atlas error message: type ${shown}`, value);
  }
  const kind = zone ? "zone.error" : "ErrorMessage";
  const id = zone ? "request_id" : "ref_msg_id";
  // Only the documented keys are read, as own properties, into a fresh object.
  // Field by field with core's pick(), like every wirefault package.
  const code = zone ? pick(Text, value, "code") : pick(Num, value, "code");
  if (code === undefined) return malformed(`${kind}: "code" must be ${zone ? "a string" : "a u32"}`, value);
  // An absent message (or a Rust-style nil) still leaves a code worth keeping;
  // one of another type is not an Atlas error.
  const wireMessage = field(value, "message") ?? undefined;
  const message = pick(Text, value, "message");
  if (wireMessage !== undefined && message === undefined)
    return malformed(`${kind}: "message" must be a string when present`, value);
  if (!zone && !isU32(code)) return malformed('ErrorMessage: "code" must be a u32', value);
  // `string?` on the page; a Rust-style encoder writes a missing id as nil, so null means absent too.
  const wireId = field(value, id) ?? undefined;
  if (wireId !== undefined && !Text.safeParse(wireId).success)
    return malformed(`${kind}: "${id}" must be a string when present`, value);
  // A decoded object skips the caps on bytes; its text is held to the wire's cap here, and not kept.
  if (textOverCap(MAX_PAYLOAD_SIZE, code, message, wireId))
    return new AtlasError(
      localError("atlas", TOO_LARGE, `${kind} text exceeds MAX_PAYLOAD_SIZE (${MAX_PAYLOAD_SIZE} bytes)`, undefined),
    );
  const classification = index.classify(code, zone ? "zone" : "wire");
  return new AtlasError({
    ...classification,
    code,
    message: message ?? classification.entry?.summary ?? `Atlas ${kind} ${code} sent no message`,
    wireMessage: message ?? "",
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
