import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import {
  asBytes,
  check,
  decodeInput,
  field,
  localError,
  NULLABLE_TEXT,
  type ParseContext,
  readContext,
  textOverCap,
} from "@wirefault/core/wire";
import { index, layerOf } from "./catalog.js";
import type { ParsedTryllError } from "./error.js";
import { TryllError, type TryllErrorInit } from "./error.js";
import { isFrame, MAX_FRAME_BYTES, toUint64 } from "./wire.js";

type Extra = Omit<TryllErrorInit, "code" | "message" | "retryable" | "action" | "known">;

/** A TryllError for a numeric code, classified by the catalog; unknown codes are kept verbatim and `abort`. */
export function tryllError(code: number, message: string | null | undefined, extra: Extra = {}): TryllError {
  const c = index.classify(code, "response");
  return new TryllError({
    ...c,
    ...extra,
    code,
    // Only an absent message is explained; an empty one is kept, verbatim like any other.
    message: message ?? c.entry?.summary ?? `Tryll error code ${code} is not in the catalog`,
    // What the peer said stays apart: the official decoder reads an absent message as "".
    wireMessage: message ?? "",
    layer: layerOf(code),
  });
}

/** A TryllError for input wirefault could not read (`MALFORMED`) or refused by size (`TOO_LARGE`). */
export function localTryllError(
  code: typeof MALFORMED | typeof TOO_LARGE,
  message: string,
  raw: unknown,
  cause?: unknown,
): TryllError {
  // Local failures are framing failures: they sit in the protocol layer.
  return new TryllError({ ...localError("tryll", code, message, raw, cause), protocol: "tryll", layer: "protocol" });
}

// Field by field rather than z.object: the fields are read with `field()`
// anyway, and z.object alone would cost 1 KB of the 10 KB budget.
const Code = check<number>(
  (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff_ffff,
);
const Message = check<string | null | undefined>(
  (value) => value === undefined || NULLABLE_TEXT.safeParse(value).success,
);

/** Shared by the main entry and the frame subpath; they differ only in what a binary frame becomes. */
export function parseWith(input: unknown, context: ParseContext, frame: (bytes: Uint8Array) => TryllError): TryllError {
  try {
    const bytes = asBytes(input);
    if (bytes && isFrame(bytes)) return frame(bytes);
    const decoded = decodeInput(input, MAX_FRAME_BYTES);
    if (decoded.kind === "too-large")
      return localTryllError(TOO_LARGE, `Tryll error of ${decoded.size} bytes exceeds the 1 MiB frame limit`, input);
    if (decoded.kind === "not-json")
      return localTryllError(MALFORMED, "Tryll error text is not JSON", decoded.text, decoded.cause);
    const value = decoded.kind === "value" ? decoded.value : input;
    // Own properties only, read once each: inherited or getter-backed keys of
    // a hostile object never reach the schema.
    const code = Code.safeParse(field(value, "code"));
    const message = Message.safeParse(field(value, "message"));
    if (!code.success || !message.success)
      return localTryllError(MALFORMED, "Not a Tryll ErrorResponse: code must be a uint32 and message a string", value);
    // A decoded object skips decodeInput's cap; its text is held to it here, and not kept.
    if (textOverCap(MAX_FRAME_BYTES, message.data))
      return localTryllError(TOO_LARGE, "Tryll error message exceeds the 1 MiB frame limit", undefined);
    return tryllError(code.data, message.data, {
      requestId: toUint64(field(value, "request_id") ?? field(value, "requestId")),
      agentId: toUint64(field(value, "agent_id") ?? field(value, "agentId")),
      status: context.status,
      retryAfterMs: context.retryAfterMs,
      raw: value,
    });
  } catch (cause) {
    return localTryllError(MALFORMED, "Unreadable Tryll error", input, cause);
  }
}

/**
 * Parses a Tryll error: a decoded `{code, message, request_id?, agent_id?}`,
 * its JSON text or UTF-8 bytes. Never throws. Binary frames need the frame
 * codec: use `parseError` from `@wirefault/tryll/frame`; here they give MALFORMED.
 */
export function parseError(input: unknown, context?: ParseContext): ParsedTryllError;
export function parseError(input: unknown, context: ParseContext = {}): TryllError {
  // Read once, safely: a null or hostile context must not break a valid error.
  context = readContext(context);
  return parseWith(input, context, (bytes) =>
    localTryllError(
      MALFORMED,
      "Binary Tryll frame: import parseError or decodeFrame from @wirefault/tryll/frame to decode it",
      bytes,
    ),
  );
}

/** What a parser takes besides its input: the transport's status and retry hint. */
export type { ParseContext };
