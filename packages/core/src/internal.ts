/**
 * Internal: the plumbing wirefault's protocol packages share. Not covered by
 * semver and left out of the API reference; build a protocol with
 * `defineProtocol` from `@wirefault/core/protocol` instead.
 * @internal
 * @module @wirefault/core/internal
 */
import { parseRetryAfter } from "./backoff.js";
import type { CatalogEntry } from "./catalog.js";
import { isRetryable } from "./classify.js";
import { httpStatus } from "./client.js";
import { blobSize, fragmentsOf, joinFragments } from "./data.js";
import type { LocalCode, Protocol, ProtocolErrorInit, RecoveryAction, Retryable } from "./error.js";

/** What `decodeInput` made of a parser's input. */
export type DecodedInput =
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array; readonly text: string | undefined }
  | { readonly kind: "too-large"; readonly size: number }
  | { readonly kind: "not-json"; readonly text: string; readonly cause: unknown }
  // What a binary codec could not read: why, in its words, what to keep as `raw`, and its error.
  | { readonly kind: "malformed"; readonly message: string; readonly raw: unknown; readonly cause?: unknown };

/** Bytes of `input` if it is binary (Uint8Array, ArrayBuffer or another view). @internal */
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

/** UTF-8 length of a string. @internal */
export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}

/**
 * True when the strings among `values` (anything else counts 0) take more
 * than `max` UTF-8 bytes together: a decoded object skips decodeInput's cap,
 * so its text is held to the same cap here. Most strings are decided by
 * length alone, a char being 1 to 3 bytes.
 * @internal
 */
export function textOverCap(max: number, ...values: unknown[]): boolean {
  let chars = 0;
  for (const value of values) if (typeof value === "string") chars += value.length;
  if (chars > max) return true;
  if (chars * 3 <= max) return false;
  let size = 0;
  for (const value of values) if (typeof value === "string") size += utf8Length(value);
  return size > max;
}

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder();

/**
 * Normalises a parser's input under a size cap, before any decoding:
 * strings and UTF-8 bytes (one buffer or ws's Buffer[] fragments) are
 * JSON-parsed, other values pass through; a Blob over the cap is too large.
 * With `binary`, bytes are handed back for a protocol codec instead of being read as JSON.
 * Never throws.
 * @internal
 */
export function decodeInput(input: unknown, maxBytes: number, options: { binary?: boolean } = {}): DecodedInput {
  let text: string;
  if (typeof input === "string") {
    // A char is 1 to 3 UTF-8 bytes, so most strings are decided by length alone.
    const size = input.length > maxBytes || input.length * 3 <= maxBytes ? input.length : utf8Length(input);
    if (size > maxBytes) return { kind: "too-large", size };
    text = input;
  } else {
    // ws's binaryType "fragments": sized before they are joined. A Blob is sized here and read by the async parsers.
    const parts = fragmentsOf(input);
    const size = parts ? parts.reduce((sum, part) => sum + part.byteLength, 0) : blobSize(input);
    if (size !== undefined && size > maxBytes) return { kind: "too-large", size };
    const bytes = parts ? joinFragments(parts, size as number) : asBytes(input);
    if (!bytes) return { kind: "value", value: input };
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

/** Deepest JSON nesting any parser accepts; real error payloads nest a handful of levels. @internal */
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

/** What a parser takes besides its input: the transport's status and retry hint. */
export interface ParseContext {
  readonly status?: number;
  readonly retryAfterMs?: number;
}

/**
 * A parser's `context`, read without trusting it: `null`, a hostile Proxy or
 * a throwing getter give `{}`; a status must be an integer from 100 to 599,
 * a hint a finite non-negative number.
 * @internal
 */
export function readContext(context: unknown): ParseContext {
  const status = field(context, "status");
  const retryAfterMs = field(context, "retryAfterMs");
  return {
    status: httpStatus(status),
    retryAfterMs:
      typeof retryAfterMs === "number" && retryAfterMs >= 0 && retryAfterMs < Infinity ? retryAfterMs : undefined,
  };
}

/** The body of an HTTP response, read under a size cap. */
export interface ResponseBody {
  readonly status: number;
  /** The body text, or undefined when it was too large or could not be read. */
  readonly text: string | undefined;
  readonly tooLarge: boolean;
  /** The `Retry-After` header in ms, if present and valid. */
  readonly retryAfterMs: number | undefined;
  /** Why the body could not be read (a dropped connection, an abort). */
  readonly cause: unknown;
}

interface ResponseLike {
  readonly status: number;
  readonly headers?: { get(name: string): string | null };
  readonly body?: ReadableStream<Uint8Array> | null;
  text?(): Promise<string>;
}

/** Options of {@link readResponse} and the packages' `fromResponse`. */
export interface ReadOptions {
  /** Stops reading a stalled or endless body: the read settles with the signal's reason as `cause`. */
  readonly signal?: AbortSignal | undefined;
}

// Reads of an in-memory stream resolve as microtasks, which run before any
// timer: a body of endless chunks would hold the event loop. Every this many
// reads the loop is yielded to.
const READS_PER_YIELD = 256;
/** Empty chunks in a row after which a body is given up: an empty chunk carries nothing, and no server sends thousands. @internal */
export const MAX_EMPTY_READS = 4096;

// A hostile stream's cancel may throw or reject; neither may escape.
function cancel(reader: ReadableStreamDefaultReader<Uint8Array> | undefined, reason?: unknown): void {
  try {
    reader?.cancel(reason).catch(() => {});
  } catch {
    // nothing more to stop
  }
}

const NO_BYTES = /* @__PURE__ */ new Uint8Array(0);

const yieldToLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Reads at most `maxBytes` of a fetch `Response` body and stops there;
 * headers other than `Retry-After` are never kept. Linear in the body
 * whatever its chunking, and yields to the event loop as it goes. Never rejects.
 * @internal
 */
export async function readResponse(
  res: ResponseLike,
  maxBytes: number,
  now: number = Date.now(),
  options: ReadOptions = {},
): Promise<ResponseBody> {
  const out = {
    status: 0,
    text: undefined as string | undefined,
    tooLarge: false,
    retryAfterMs: undefined as number | undefined,
    cause: undefined as unknown,
  };
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let stop: (() => void) | undefined;
  let signal: AbortSignal | undefined;
  try {
    const given = field(options, "signal");
    signal = given instanceof AbortSignal ? given : undefined;
    out.status = res.status;
    out.retryAfterMs = parseRetryAfter(res.headers?.get("retry-after"), now);
    signal?.throwIfAborted();
    reader = res.body?.getReader();
    if (!reader) out.text = (await res.text?.()) ?? "";
    else if (Number(res.headers?.get("content-length")) > maxBytes) out.tooLarge = true;
    else {
      const stream = reader;
      // Cancelling settles a pending read as done, so a stalled body ends without a race per read.
      stop = () => cancel(stream, signal?.reason);
      signal?.addEventListener("abort", stop, { once: true });
      // Bytes are copied into one buffer that doubles as it fills, counted
      // from the chunks and decoded once: linear in the body, at most 2x its
      // size in memory, whatever the chunking (a chunk list costs ~100 B per chunk).
      // The first chunk is kept as it is: most error bodies come in one, and
      // then nothing is copied. A second one copies it into a buffer of its own.
      let buffer: Uint8Array = NO_BYTES;
      let size = 0;
      let empty = 0;
      for (let reads = 1; ; reads++) {
        const r = await reader.read();
        signal?.throwIfAborted();
        if (r.done) break;
        const bytes = asBytes(r.value);
        if (!bytes) throw new TypeError("response body chunk is not bytes");
        if (size + bytes.byteLength > maxBytes) {
          out.tooLarge = true;
          break;
        }
        if (bytes.byteLength === 0) {
          if (++empty >= MAX_EMPTY_READS) throw new Error(`response body sent ${empty} empty chunks in a row`);
        } else {
          empty = 0;
          if (size === 0) buffer = bytes;
          else {
            if (size + bytes.byteLength > buffer.byteLength) {
              const grown = new Uint8Array(
                Math.min(maxBytes, Math.max(2 * buffer.byteLength, size + bytes.byteLength, 1024)),
              );
              grown.set(buffer.subarray(0, size));
              buffer = grown;
            }
            buffer.set(bytes, size);
          }
          size += bytes.byteLength;
        }
        if (reads % READS_PER_YIELD === 0) await yieldToLoop();
      }
      if (!out.tooLarge) out.text = decoder.decode(buffer.subarray(0, size));
    }
    if (out.tooLarge) cancel(reader);
    // Only a text() body is measured after the fact; a stream's bytes were counted as they came.
    else if (!reader && out.text !== undefined && utf8Length(out.text) > maxBytes) {
      out.tooLarge = true;
      out.text = undefined;
    }
  } catch (cause) {
    out.cause = cause;
    out.text = undefined;
    cancel(reader);
  } finally {
    if (stop) signal?.removeEventListener("abort", stop);
  }
  return out;
}

/** Any function, as a stack-trace boundary: only its identity is used. */
type Entry = (...args: never) => unknown;
type StackApi = { stackTraceLimit?: number; captureStackTrace?: (target: object, entry?: Entry) => void };

/**
 * Builds an error with `make()` and gives it a stack that starts at the
 * caller of `entry` (which must be on the call stack, e.g. the package's
 * `parseError`), so the first frame a user reads is their own call. V8 takes
 * no stack inside `make()` (`Error.stackTraceLimit` is 0 meanwhile and
 * restored after): a parse's own frames, inlined and optimized, were the
 * costliest part of building the error. Where the engine has no
 * `Error.captureStackTrace`, or the limit cannot be written (frozen
 * intrinsics), the error keeps the stack `make()` gave it.
 * @internal
 */
export function atCaller<E extends object>(make: () => E, entry: Entry): E {
  const api = Error as StackApi;
  const limit = api.stackTraceLimit;
  if (typeof api.captureStackTrace !== "function" || !silence(api)) return make();
  let err: E;
  try {
    err = make();
  } finally {
    // Restored before the capture, which reads it.
    api.stackTraceLimit = limit;
  }
  api.captureStackTrace(err, entry);
  return err;
}

/** Sets `Error.stackTraceLimit` to 0; false when it cannot be written. */
function silence(api: StackApi): boolean {
  try {
    api.stackTraceLimit = 0;
  } catch {
    // frozen intrinsics
  }
  return api.stackTraceLimit === 0;
}

/** Anything with a `safeParse` in zod's shape: core's own checks, or a zod schema a caller passes. */
export interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * A field check from a type guard, for `pick()`. Plain `typeof` checks are all
 * the parsers need: a schema library would be bundled into every package for
 * this alone.
 * @internal
 */
export function check<T>(test: (value: unknown) => boolean): Schema<T> {
  return { safeParse: (value) => (test(value) ? { success: true, data: value as T } : { success: false }) };
}

/** A string field. @internal */
export const TEXT: Schema<string> = check((value) => typeof value === "string");
/** A finite number field: NaN and the infinities are not numbers on a JSON wire. @internal */
export const NUMBER: Schema<number> = check((value) => typeof value === "number" && Number.isFinite(value));
/** A string or null field. @internal */
export const NULLABLE_TEXT: Schema<string | null> = check((value) => value === null || typeof value === "string");

/**
 * One field of a decoded payload, validated by a schema; undefined when it is
 * absent or of the wrong type. Field by field rather than one object schema:
 * a wrong type in one field never hides the code in another.
 * @internal
 */
export function pick<T>(schema: Schema<T>, value: unknown, key: string): T | undefined {
  const result = schema.safeParse(field(value, key));
  return result.success ? result.data : undefined;
}

/** An own property of a plain-ish object, or undefined; never triggers a throw. @internal */
export function field(value: unknown, key: string): unknown {
  try {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Classification of a bare HTTP status, for bodies that name no code. @internal */
export function classifyStatus(status: number | undefined): { retryable: Retryable; action: RecoveryAction } {
  const s = status ?? 0;
  const [retryable, action]: [Retryable, RecoveryAction] =
    s === 429
      ? ["yes", "throttle"]
      : s === 408 || (s > 501 && s < 505)
        ? ["yes", "retry"]
        : s > 499 && s < 600
          ? ["maybe", "retry"]
          : s === 401 || s === 403
            ? ["no", "user-action"]
            : s > 399 && s < 500
              ? ["no", "fix-request"]
              : ["no", "abort"];
  return { retryable, action };
}

/**
 * The init of an error wirefault raises itself: input it refused by size
 * (`TOO_LARGE`) or could not read as an error of the protocol (`MALFORMED`).
 * @internal
 */
export function localError(
  protocol: Protocol,
  code: LocalCode,
  message: string,
  raw: unknown,
  cause?: unknown,
): ProtocolErrorInit<LocalCode> {
  return { protocol, code, message, raw, cause, known: false, retryable: "no", action: "abort" };
}

/**
 * The init for a response whose body was cut off by a transient network
 * failure (a reset mid-body): the answer was lost, so it is retried whatever
 * the status said, and the status is kept. Undefined when the body was read,
 * or failed for another reason; the status then decides, as for any body.
 * @internal
 */
export function unreadableBody(protocol: Protocol, body: ResponseBody): ProtocolErrorInit<LocalCode> | undefined {
  if (!isRetryable(body.cause)) return undefined;
  return {
    ...localError(protocol, MALFORMED_CODE, `HTTP ${body.status} response body was cut off`, undefined, body.cause),
    retryable: "yes",
    action: "retry",
    status: body.status || undefined,
    retryAfterMs: body.retryAfterMs,
  };
}

// Local to avoid importing error.ts (and the ProtocolError class) into this entry.
const MALFORMED_CODE = "WIREFAULT_MALFORMED" satisfies LocalCode;

/** Name-to-code constants derived from a catalog, e.g. `{ AgentBusy: 3004 }`. */
export type CodeMap<E extends readonly CatalogEntry[]> = {
  readonly [K in E[number] as K["name"]]: K["code"];
};

/** Builds the frozen name-to-code constants of a catalog. */
export function codeMap<const E extends readonly CatalogEntry[]>(catalog: E): CodeMap<E> {
  return Object.freeze(Object.fromEntries(catalog.map((entry) => [entry.name, entry.code]))) as CodeMap<E>;
}

/** How a standard WebSocket close code (RFC 6455 and IANA registry) should be handled. */
export interface CloseClassification {
  readonly name: string;
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
}

/** The standard WebSocket close codes `classifyClose` knows: a `fromClose` error's documented codes. */
export type StandardCloseCode =
  | 1000
  | 1001
  | 1002
  | 1003
  | 1005
  | 1006
  | 1007
  | 1008
  | 1009
  | 1010
  | 1011
  | 1012
  | 1013
  | 1014
  | 1015;

const CLOSE: Record<StandardCloseCode, readonly [string, Retryable, RecoveryAction]> = {
  1000: ["NORMAL_CLOSURE", "maybe", "reconnect"],
  1001: ["GOING_AWAY", "yes", "reconnect"],
  1002: ["PROTOCOL_ERROR", "no", "abort"],
  1003: ["UNSUPPORTED_DATA", "no", "abort"],
  1005: ["NO_STATUS_RECEIVED", "yes", "reconnect"],
  1006: ["ABNORMAL_CLOSURE", "yes", "reconnect"],
  1007: ["INVALID_PAYLOAD", "no", "abort"],
  1008: ["POLICY_VIOLATION", "no", "user-action"],
  1009: ["MESSAGE_TOO_BIG", "no", "fix-request"],
  1010: ["MANDATORY_EXTENSION", "no", "abort"],
  1011: ["INTERNAL_ERROR", "yes", "reconnect"],
  1012: ["SERVICE_RESTART", "yes", "reconnect"],
  1013: ["TRY_AGAIN_LATER", "yes", "throttle"],
  1014: ["BAD_GATEWAY", "yes", "reconnect"],
  1015: ["TLS_HANDSHAKE", "no", "abort"],
};

/**
 * A WebSocket close reason as text, at most the protocol's 123 bytes: `ws`
 * hands over a Buffer, browsers a string; anything else is "".
 * @internal
 */
export function closeReason(reason: unknown): string {
  if (typeof reason === "string") return reason.slice(0, 123);
  const bytes = asBytes(reason);
  return bytes ? decoder.decode(bytes.subarray(0, 123)) : "";
}

/** The standard meaning of a WebSocket close code, or undefined for application codes. @internal */
export function classifyClose(code: number): CloseClassification | undefined {
  const known = CLOSE[code as StandardCloseCode] as (typeof CLOSE)[StandardCloseCode] | undefined;
  return known && { name: known[0], retryable: known[1], action: known[2] };
}

let standardRows: readonly (CloseClassification & { readonly code: StandardCloseCode })[] | undefined;
/** Every standard close code with its reading, from the same table `classifyClose` reads. @internal */
export function standardCloses(): readonly (CloseClassification & { readonly code: StandardCloseCode })[] {
  standardRows ??= Object.entries(CLOSE).map(([code, [name, retryable, action]]) => ({
    code: Number(code) as StandardCloseCode,
    name,
    retryable,
    action,
  }));
  return standardRows;
}

export { type ClientFailure, clientRetryable, httpStatus, readClientError } from "./client.js";
export { blobMessage, isBlob, readBlob } from "./data.js";
export { echoWire } from "./echo.js";
