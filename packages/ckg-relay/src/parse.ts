import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import {
  blobMessage,
  check,
  classifyStatus,
  decodeInput,
  field,
  isBlob,
  localError,
  NUMBER,
  type ParseContext,
  pick,
  readBlob,
  readContext,
  TEXT,
  textOverCap,
} from "@wirefault/core/wire";
import { byStatus, index } from "./catalog.js";
import type { ParsedCkgRelayError } from "./error.js";
import { CkgRelayError } from "./error.js";

/** Cap on an incoming error message; the page documents none for errors, so the shared 1 MiB. */
export const MAX_ERROR_BYTES = 1_048_576;

const SURFACE = "relay";
// Plain schemas, no z.object: an object schema costs about 1 KB of bundle,
// and fields are read one by one anyway.
const Code = check<string | number>((value) => typeof value === "string" || NUMBER.safeParse(value).success);
const Text = TEXT;
const Seconds = NUMBER;

/**
 * Reads a CKG Relay error message, from the WebSocket (`{"type":"error",...}`,
 * with its text in `message` or `error`) or an HTTP body. Never throws: input
 * that is not such an error gives `known: false` and the raw input kept.
 */
export function parseError(input: unknown, context?: ParseContext): ParsedCkgRelayError;
export function parseError(input: unknown, context: ParseContext = {}): CkgRelayError {
  // Read once, safely: a null or hostile context must not break a valid error.
  context = readContext(context);
  try {
    return read(input, context);
  } catch (cause) {
    return local(MALFORMED, "unreadable CKG Relay error", input, cause, context);
  }
}

/**
 * parseError for every form of WebSocket data, a browser's Blob included (read
 * first when it is within the size cap). Never rejects.
 */
export async function parseErrorAsync(input: unknown, context?: ParseContext): Promise<ParsedCkgRelayError> {
  return parseError(await readBlob(input, MAX_ERROR_BYTES), context);
}

function read(input: unknown, context: ParseContext): CkgRelayError {
  const decoded = decodeInput(input, MAX_ERROR_BYTES);
  if (decoded.kind === "too-large")
    return local(
      TOO_LARGE,
      `error message of ${decoded.size} bytes is over the ${MAX_ERROR_BYTES}-byte cap`,
      input,
      undefined,
      context,
    );
  if (decoded.kind === "not-json") return local(MALFORMED, "error message is not JSON", input, decoded.cause, context);
  const raw = decoded.kind === "value" ? decoded.value : input;
  if (isBlob(raw)) return local(MALFORMED, blobMessage("parseErrorAsync"), raw, undefined, context);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return local(MALFORMED, "not a CKG Relay error message", raw, undefined, context);
  const type = field(raw, "type");
  if (type !== undefined && type !== "error")
    return local(
      MALFORMED,
      `not an error message (type ${typeof type === "string" ? type.slice(0, 32) : typeof type})`,
      raw,
      undefined,
      context,
    );
  // The public client code puts the text in `error`; some servers nest an object there.
  const error = field(raw, "error");
  const received = pick(Code, raw, "code") ?? pick(Code, error, "code");
  if (received === undefined) return local(MALFORMED, "error message has no code", raw, undefined, context);
  const message = pick(Text, raw, "message") ?? (typeof error === "string" ? error : pick(Text, error, "message"));
  const id = pick(Code, raw, "event_id");
  const eventId = id === undefined ? undefined : String(id);
  const seconds = pick(Seconds, raw, "retry_after");
  // Decoded objects skip decodeInput's cap; their strings are held to it here.
  if (textOverCap(MAX_ERROR_BYTES, received, message, eventId))
    return local(TOO_LARGE, `error message of over ${MAX_ERROR_BYTES} bytes of text`, raw, undefined, context);
  const verdict = index.classify(received, SURFACE);
  const status = httpStatus(context.status);
  return new CkgRelayError({
    ...verdict,
    // A code this catalog does not know still has an HTTP status worth heeding.
    ...(!verdict.known && status !== undefined ? classifyStatus(status) : {}),
    // An alias is read as the code it stands for, so a known code is always a
    // catalog literal; `raw` keeps the spelling received.
    code: verdict.entry?.code ?? received,
    message: message ?? (verdict.entry?.summary || `CKG Relay error ${received}`),
    status: status ?? verdict.status,
    retryAfterMs: context.retryAfterMs ?? (seconds === undefined ? undefined : seconds * 1000),
    eventId,
    raw,
  });
}

const httpStatus = (status: unknown): number | undefined =>
  typeof status === "number" && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;

function local(
  code: typeof MALFORMED | typeof TOO_LARGE,
  message: string,
  raw: unknown,
  cause: unknown,
  context: ParseContext,
): CkgRelayError {
  const error = new CkgRelayError({
    ...localError("ckg-relay", code, message, raw, cause),
    retryAfterMs: context.retryAfterMs,
  });
  return context.status === undefined ? error : fromStatus(context.status, context.retryAfterMs, raw, error);
}

/**
 * The error an HTTP status implies when the body names no code: the catalog's
 * code for that status (503 is AGENT_OFFLINE), else the generic verdict.
 */
export function fromStatus(
  status: unknown,
  retryAfterMs: number | undefined,
  raw: unknown,
  cause?: unknown,
): CkgRelayError {
  const s = httpStatus(status);
  const entry = s === undefined ? undefined : byStatus.get(s);
  if (entry)
    return new CkgRelayError({
      ...index.classify(entry.code, SURFACE),
      code: entry.code,
      message: entry.summary,
      status: s,
      retryAfterMs,
      raw,
      cause,
    });
  return new CkgRelayError({
    ...localError("ckg-relay", MALFORMED, `HTTP ${s ?? "response"} without a CKG Relay error body`, raw, cause),
    ...classifyStatus(s),
    status: s,
    retryAfterMs,
  });
}

/** What a parser takes besides its input: the transport's status and retry hint. */
export type { ParseContext };
