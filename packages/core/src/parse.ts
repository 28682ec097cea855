// The parse pipeline every protocol shares, as top-level steps that
// defineProtocol composes: decode (the cap, then JSON or the codec) → read
// (the protocol's readers) → classify (catalog, unlisted rows, status) →
// build (the init of the protocol's class). Each step takes the protocol's
// Pipeline first. The steps return the init, not the error: the public
// function the caller called builds it (`new`), so that its stack starts there.
import type { Classification } from "./catalog.js";
import type { ParseContext } from "./context.js";
import { blobMessage, isBlob } from "./data.js";
import { type DecodedInput, decodeInput } from "./decode.js";
import type { ErrorInit, Pipeline, Reading } from "./definition.js";
import { type LocalCode, MALFORMED, ProtocolError, type RecoveryAction, type Retryable, TOO_LARGE } from "./error.js";
import { jsonSizeOver } from "./json-size.js";
import { keptRaw, shareCode } from "./kept-raw.js";
import { FAILURE_CODES, localRow } from "./local-codes.js";
import { type NetworkFailure, networkFailure } from "./network.js";
import type { RetryPolicy } from "./policy.js";
import { classifyStatus, httpStatus } from "./status.js";

/** How an error is classified: by a catalog row, an unlisted row, or a status. */
interface Verdict {
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
  readonly policy?: RetryPolicy | undefined;
}

/**
 * Step 1, decode: the input under the size cap, as JSON or through the
 * protocol's codec; a decoded object's JSON is held to the same cap. Never throws.
 */
export function decode(p: Pipeline, input: unknown): DecodedInput {
  try {
    const decoded = p.codec ? p.codec(input) : decodeInput(input, p.maxBytes);
    // A decoded object skips the cap on bytes: its JSON is held to the same cap, and nothing of it is kept.
    if (decoded.kind === "value" && decoded.value === input && typeof input === "object" && input !== null) {
      const size = jsonSizeOver(input, p.maxBytes);
      if (size !== undefined) return { kind: "too-large", size };
    }
    return decoded;
  } catch (cause) {
    return { kind: "not-json", text: "", cause };
  }
}

/**
 * Step 2, read: the protocol's readers, in order, on a decoded value; the
 * first that knows its shape answers. Undefined when none does.
 */
export function readPayload(p: Pipeline, value: unknown, context: ParseContext): Reading | string | undefined {
  for (const reader of p.readers) {
    const reading = reader(value, context);
    if (reading !== undefined) return reading;
  }
  return undefined;
}

/** What a status says when the body could not say it: the catalog row that stands for it, else the status alone. */
export function byStatus(p: Pipeline, status: number): Verdict {
  const entry = p.bare.get(status);
  return entry ? entry : classifyStatus(status);
}

/**
 * Step 3, classify: a reading's code through the catalog (aliases and ranges
 * included). An undocumented code says less than its unlisted row, and less
 * than the status.
 */
export function classify(
  p: Pipeline,
  reading: Reading,
  context: ParseContext,
): { readonly c: Classification; readonly status: number | undefined; readonly verdict: Verdict } {
  const c = p.index.classify(reading.code, reading.surface);
  const status = context.status ?? httpStatus(reading.status) ?? c.status;
  const row = c.known ? undefined : p.unlisted.get(`${reading.surface}\0${reading.code}`);
  return { c, status, verdict: row ?? (!c.known && status !== undefined ? classifyStatus(status) : c) };
}

/** Step 4, build: the init of the protocol's error from a reading and its classification; `raw` is what it keeps of the payload. */
export function build(p: Pipeline, reading: Reading, raw: unknown, context: ParseContext, ours = false): ErrorInit {
  const { c, status, verdict } = classify(p, reading, context);
  const code = reading.code as string | number;
  // What core decoded itself keeps the catalog's string for its code, not a copy per error.
  if (ours && typeof c.entry?.code === "string") shareCode(raw, c.entry.code);
  // Named fields, never a spread: V8 copies a spread of a fresh object on its slow path (tens of µs).
  const init: Record<string, unknown> = {
    protocol: p.protocol,
    surface: c.surface,
    // An alias is read as the code it stands for; raw keeps the spelling received.
    code: c.entry?.code ?? code,
    codeName: c.codeName,
    known: c.known,
    retryable: verdict.retryable,
    action: verdict.action,
    policy: c.policy,
    message: reading.message ?? c.entry?.summary ?? `${p.title} error ${code}`,
    status,
    retryAfterMs: reading.retryAfterMs ?? context.retryAfterMs,
    raw,
    midStream: reading.midStream === true || context.midStream === true,
    // A code read off the wire is the peer's, whatever it spells: never one of wirefault's own.
    local: false,
  };
  // The protocol's own fields ride along for its class; they never replace core's.
  const details = reading.details as Readonly<Record<string, unknown>> | undefined;
  if (details) for (const key of Object.keys(details)) if (!(key in init)) init[key] = details[key];
  return p.refine(init as ErrorInit);
}

/** The init of an error wirefault raises itself, classified by its local code's row. */
export function localInit(p: Pipeline, code: LocalCode, message: string, raw?: unknown, cause?: unknown): ErrorInit {
  const row = localRow(code);
  return p.refine({
    protocol: p.protocol,
    code,
    message,
    raw,
    cause,
    known: false,
    retryable: row.retryable,
    action: row.action,
    local: true,
  });
}

/**
 * A network failure, a timeout or the caller's abort, as its local code: no
 * answer was read, so no status classifies it; a status the transport had is kept.
 */
export function failed(
  p: Pipeline,
  failure: NetworkFailure,
  message: string,
  cause: unknown,
  context: ParseContext = {},
): ErrorInit {
  const row = localRow(FAILURE_CODES[failure]);
  return p.refine({
    protocol: p.protocol,
    code: row.code,
    message,
    known: false,
    local: true,
    retryable: row.retryable,
    action: row.action,
    status: context.status,
    retryAfterMs: context.retryAfterMs,
    cause,
  });
}

/**
 * A payload that names no code: its status decides, through the catalog where
 * a row stands for it. `ours` is our message; `said`, what a well-formed body said.
 */
export function nameless(
  p: Pipeline,
  code: LocalCode,
  ours: string,
  context: ParseContext,
  raw: unknown,
  cause?: unknown,
  said?: string,
): ErrorInit {
  const { status, retryAfterMs } = context;
  const entry = code === MALFORMED && status !== undefined ? p.bare.get(status) : undefined;
  if (entry) {
    const c = p.index.classify(entry.code, entry.surface);
    return p.refine({
      protocol: p.protocol,
      surface: c.surface,
      code: entry.code,
      codeName: c.codeName,
      known: true,
      retryable: c.retryable,
      action: c.action,
      policy: c.policy,
      // A message a reader found in a well-formed body, else the row's: never a broken body's text.
      message: said ?? entry.summary,
      status,
      retryAfterMs,
      midStream: context.midStream,
      raw,
      cause,
    });
  }
  const row = status === undefined ? undefined : byStatus(p, status);
  return p.refine({
    protocol: p.protocol,
    surface: row && p.http?.surface,
    code,
    message: said ?? ours,
    known: false,
    local: true,
    midStream: context.midStream,
    retryable: row?.retryable ?? localRow(code).retryable,
    action: row?.action ?? localRow(code).action,
    policy: row?.policy,
    status,
    retryAfterMs,
    raw,
    cause,
  });
}

/** Input refused by the size cap, classified by the status when there is one. */
export const tooLarge = (p: Pipeline, size: number | undefined, context: ParseContext): ErrorInit =>
  nameless(
    p,
    TOO_LARGE,
    `${size === undefined ? "Input" : `Input of ${size} bytes`} exceeds the ${p.maxBytes}-byte cap`,
    context,
    undefined,
  );

/** True for an Error of any realm (a DOMException included): only a thrown error can be a network failure, never a payload. */
function isError(value: unknown): value is Error {
  // Text and bytes, the usual input, are no Error: only an object is asked for its tag.
  if (typeof value !== "object" || ArrayBuffer.isView(value)) return false;
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
  } catch {
    return false;
  }
}

/** {@link parse}, with anything a reader or a hook throws read as MALFORMED: never throws. */
export function parseSafely(p: Pipeline, input: unknown, context: ParseContext): ErrorInit {
  try {
    return parse(p, input, context);
  } catch (cause) {
    return localInit(p, MALFORMED, `Could not read ${p.aTitle} error`, input, cause);
  }
}

/** The whole pipeline on one input: a thrown error first, then decode → read → classify → build. */
export function parse(p: Pipeline, input: unknown, context: ParseContext): ErrorInit {
  const thrown = p.http?.readThrown(p, input, context);
  if (thrown) return thrown;
  if (isError(input)) {
    const failure = networkFailure(input);
    if (failure !== undefined) return failed(p, failure, String(input.message), input, context);
  }
  const decoded = decode(p, input);
  if (decoded.kind === "too-large") return tooLarge(p, decoded.size, context);
  if (decoded.kind === "not-json")
    return nameless(p, MALFORMED, `${p.title} error text is not JSON`, context, input, decoded.cause);
  if (decoded.kind === "bytes") return nameless(p, MALFORMED, `Bytes are not ${p.aTitle} error`, context, input);
  if (decoded.kind === "malformed") return nameless(p, MALFORMED, decoded.message, context, decoded.raw, decoded.cause);
  const value = decoded.value;
  // Only input handed through undecoded can be a Blob: what JSON or a codec decodes never is.
  if (value === input && isBlob(value)) return localInit(p, MALFORMED, blobMessage("parseErrorAsync"), value);
  // The readers read the decoded value; the error keeps a bounded copy of it.
  // Decoded here from text or bytes: nothing of it is the caller's.
  return fromValue(p, value, keptRaw(input, value), context, typeof input === "string" || ArrayBuffer.isView(input));
}

/**
 * {@link fromValue} on a value already decoded and held to the cap (an entry
 * of an answer decoded whole), with anything a reader or a hook throws read as
 * MALFORMED: never throws. The value is kept as `raw` as it is.
 */
export function parseValueSafely(p: Pipeline, value: unknown, context: ParseContext): ErrorInit {
  try {
    return fromValue(p, value, value, context, false);
  } catch (cause) {
    return localInit(p, MALFORMED, `Could not read ${p.aTitle} error`, value, cause);
  }
}

/** Read → classify → build on a decoded value; `raw` is what the error keeps of it, `ours` true when core decoded it. */
function fromValue(p: Pipeline, value: unknown, raw: unknown, context: ParseContext, ours: boolean): ErrorInit {
  const reading = readPayload(p, value, context);
  if (reading === undefined) return nameless(p, MALFORMED, `Not ${p.aTitle} error`, context, raw);
  if (typeof reading === "string") return nameless(p, MALFORMED, reading, context, raw);
  if (reading.code === undefined || reading.code === "")
    return nameless(p, MALFORMED, `${p.title} error names no code`, context, raw, undefined, reading.message);
  return build(p, reading, raw, context, ours);
}

/**
 * The error an init describes, as the protocol's class, core's own where that
 * throws. For the paths whose stack does not matter (`withoutStack`, a misuse
 * such as `fromResponse` of a protocol without HTTP): this frame is in the stack
 * of what it builds. A public function builds its error itself, the same way, so
 * that its own frame starts the stack.
 */
export function construct<Err extends ProtocolError>(p: Pipeline<Err>, init: ErrorInit): Err | ProtocolError {
  try {
    return new (p.errorClass(init))(init);
  } catch {
    return new ProtocolError(init);
  }
}
