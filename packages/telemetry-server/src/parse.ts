import { type CatalogEntry, type LocalCode, MALFORMED, redactSecrets, TOO_LARGE } from "@wirefault/core";
import {
  classifyStatus,
  decodeInput,
  field,
  localError,
  MAX_DEPTH,
  NUMBER,
  type ParseContext,
  pick,
  readContext,
  TEXT,
} from "@wirefault/core/wire";
import { index, MAX_BYTES, PROTOCOL, SURFACE, type TelemetryServerCode } from "./catalog.js";
import type { ParsedTelemetryServerError } from "./error.js";
import {
  BLOCK_CLASSES,
  type BlockError,
  blockInit,
  TelemetryServerError,
  type TelemetryServerErrorInit,
  type ValidationIssue,
} from "./error.js";
import { matchTemplate } from "./template.js";

// `string | number` is checked by hand: z.union alone would cost ~400 bytes
// of the 10 KB budget for two scalar checks.
const isKey = (value: unknown): value is string | number => typeof value === "string" || typeof value === "number";
// Field by field with core's pick(), never z.object: an object schema alone
// costs about 1 KB of the 10 KB budget.
const Text = TEXT;
const Count = NUMBER;
// Plain typeof checks: a zod call per issue is most of the cost of 300k of them.
const isIssue = (value: unknown): value is ValidationIssue => {
  const path = field(value, "path");
  return (
    typeof field(value, "code") === "string" &&
    typeof field(value, "message") === "string" &&
    Array.isArray(path) &&
    path.every(isKey)
  );
};

// What each status of the page means when the body names no code we know.
const BY_STATUS: Record<number, TelemetryServerCode> = {
  400: "validation_error",
  404: "Device not found",
  409: "device_already_exists",
  500: "internal_error",
};

const optionalString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

const httpStatus = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;

function statusClassification(
  status: number | undefined,
): Pick<TelemetryServerErrorInit, "retryable" | "action" | "policy"> {
  const entry: CatalogEntry | undefined = status === undefined ? undefined : index.get(BY_STATUS[status]);
  return entry ? { retryable: entry.retryable, action: entry.action, policy: entry.policy } : classifyStatus(status);
}

/**
 * An error for a body that names no code (empty, not JSON, too large, no
 * `error` field): the status, when known, still says what to do.
 */
export function statusError(
  code: LocalCode,
  message: string,
  raw: unknown,
  context: ParseContext,
  cause?: unknown,
): TelemetryServerError {
  const init = localError(PROTOCOL, code, message, raw, cause);
  if (context.status === undefined) return new TelemetryServerError({ ...init, retryAfterMs: context.retryAfterMs });
  return new TelemetryServerError({
    ...init,
    ...statusClassification(context.status),
    surface: SURFACE,
    status: context.status,
    retryAfterMs: context.retryAfterMs,
  });
}

/** The error for a body refused by the 1 MiB cap, unread. */
export const tooLargeError = (context: ParseContext): TelemetryServerError =>
  statusError(TOO_LARGE, `Body exceeds the ${MAX_BYTES}-byte cap`, undefined, context);

/** A per-block error from its wire `seq` and message, typed by template. */
function blockError(seq: string | number, message: string, status: number | undefined, raw: unknown): BlockError {
  const match = matchTemplate(message);
  const init = blockInit(match?.code ?? message, message, {
    seq: String(seq),
    deviceId: match?.deviceId,
    detail: match?.detail,
    status,
    raw,
  });
  // Reflect.construct runs the base constructor with the domain class as
  // new.target: the instance is a real DeviceNotFoundError (instanceof, name)
  // carrying the wire's message verbatim instead of a rebuilt one.
  return Reflect.construct(
    TelemetryServerError,
    [init],
    match ? BLOCK_CLASSES[match.code] : TelemetryServerError,
  ) as BlockError;
}

function fromValue(value: unknown, context: ParseContext): TelemetryServerError {
  const seq = field(value, "seq");
  const text = field(value, "error");
  // A 207 entry on its own (what a block error's toWire() gives).
  if (isKey(seq) && typeof text === "string")
    return `${seq}`.length + text.length > MAX_BYTES
      ? tooLargeError(context)
      : blockError(seq, text, context.status, value);

  // Flat, independent fields: each is read on its own, so that a wrong type
  // in one (a numeric message) does not hide the code in another.
  const error = optionalString(field(value, "error"));
  const message = optionalString(field(value, "message"));
  const statusCode = httpStatus(field(value, "statusCode"));
  const rawDetails = field(value, "details");
  // A framework body puts its machine code in `code`; the page's bodies and
  // the Rust port put theirs (or a sentence) in `error`.
  const code = optionalString(field(value, "code")) || error;
  if (!code) return statusError(MALFORMED, "Body names no error code", value, context);

  const c = index.classify(code, SURFACE);
  const status = context.status ?? statusCode ?? c.status;
  const framework = statusCode !== undefined && error !== undefined && message !== undefined;
  // Text is already held to the cap by its length; a decoded object's strings are held to it here.
  const budget = { left: MAX_BYTES - code.length - (message?.length ?? 0) };
  if (budget.left < 0) return tooLargeError(context);
  let details: ValidationIssue[] | undefined;
  try {
    // Checked before the copy (most entries of a hostile array are not issues) and after (a getter may change its answer).
    details = Array.isArray(rawDetails)
      ? rawDetails
          .filter(isIssue)
          .flatMap((issue) => copyIssue(issue, budget))
          .filter(isIssue)
      : undefined;
  } catch (cause) {
    if (cause === OVER_CAP) return tooLargeError(context);
    throw cause;
  }
  return new TelemetryServerError({
    ...c,
    ...(c.known ? {} : statusClassification(status)),
    protocol: PROTOCOL,
    surface: SURFACE,
    code,
    message: message ?? describeIssues(code, details) ?? error ?? code,
    status,
    retryAfterMs: context.retryAfterMs,
    raw: value,
    details,
    reason: framework ? error : undefined,
  });
}

/**
 * Reads a top-level error body (a JSON string, UTF-8 bytes or a decoded
 * value) into a typed error. Never throws: unreadable input is a
 * `WIREFAULT_MALFORMED` or `WIREFAULT_TOO_LARGE` error classified by status.
 */
export function parseError(input: unknown, context?: ParseContext): ParsedTelemetryServerError;
export function parseError(input: unknown, context: ParseContext = {}): TelemetryServerError {
  // Read once, safely: a null or hostile context must not break a valid error.
  context = readContext(context);
  try {
    const ctx = readContext(context);
    const decoded = decodeInput(input, MAX_BYTES);
    if (decoded.kind === "too-large") return tooLargeError(ctx);
    if (decoded.kind !== "value")
      return statusError(
        MALFORMED,
        "Body is not JSON",
        decoded.kind === "not-json" ? decoded.text : input,
        ctx,
        field(decoded, "cause"),
      );
    return fromValue(decoded.value, ctx);
  } catch (cause) {
    return new TelemetryServerError(localError(PROTOCOL, MALFORMED, "Unreadable error body", input, cause));
  }
}

/**
 * Builds many errors with one stack capture: the capture is most of the cost
 * of an error, and every error of one answer has the same caller. Each keeps
 * its own first line and the caller's frames, as if built where `fn` was called.
 */
function sharedStack<E extends Error>(fn: (...args: never[]) => unknown, build: () => E[]): E[] {
  // Engines without V8's stack API build each error as usual.
  if (typeof Error.captureStackTrace !== "function") return build();
  const limit = Error.stackTraceLimit;
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, fn);
  const stack = String(site.stack);
  const frames = stack.includes("\n") ? stack.slice(stack.indexOf("\n")) : "";
  let built: E[];
  try {
    Error.stackTraceLimit = 0;
    built = build();
  } finally {
    Error.stackTraceLimit = limit;
  }
  for (const err of built) err.stack = `${err.name}: ${err.message}${frames}`;
  return built;
}

/** The answer to `POST /v1/telemetry`. */
export interface BatchResult {
  /** The HTTP status read. */
  readonly status: number;
  /** Blocks the server accepted, duplicates included; 0 when `error` is set. */
  readonly accepted: number;
  /** Per-block failures of a 207 answer, in the server's order. */
  readonly errors: readonly BlockError[];
  /** Set when the whole request failed (any status but 200 and 207) or the answer could not be read. */
  readonly error: TelemetryServerError | undefined;
}

/** Options of {@link parseBatchResponse}. */
export interface ParseBatchOptions {
  /** Blocks in the request: an `accepted` above it makes the answer malformed. */
  sent?: number;
  retryAfterMs?: number;
}

const failed = (status: number, error: TelemetryServerError): BatchResult => ({
  status,
  accepted: 0,
  errors: [],
  error,
});

/**
 * Reads the answer to `POST /v1/telemetry`. 200 and 207 give `accepted`
 * and typed per-block `errors`; any other status is a top-level `error`,
 * never a per-block one. Never throws.
 */
export function parseBatchResponse(status: number, body: unknown, options: ParseBatchOptions = {}): BatchResult {
  const code = httpStatus(status) ?? 0;
  try {
    const sent = field(options, "sent");
    const context = { status: httpStatus(status), retryAfterMs: field(options, "retryAfterMs") as number };
    if (code !== 200 && code !== 207) return failed(code, parseError(body, context));
    const decoded = decodeInput(body, MAX_BYTES);
    if (decoded.kind === "too-large") return failed(code, tooLargeError(context));
    const value = decoded.kind === "value" ? decoded.value : field(decoded, "text");
    const bad = (problem: string, cause?: unknown): BatchResult =>
      failed(code, statusError(MALFORMED, `Batch answer ${problem}`, value, context, cause));
    if (decoded.kind !== "value") return bad("is not JSON", field(decoded, "cause"));
    const accepted = pick(Count, value, "accepted");
    const entries = field(value, "errors");
    if (accepted === undefined) return bad("has a bad shape at accepted");
    if (!Array.isArray(entries)) return bad("has a bad shape at errors");
    const errors = entries.map((entry) => ({ seq: field(entry, "seq"), error: pick(Text, entry, "error") }));
    const at = errors.findIndex((entry) => entry.error === undefined);
    if (at !== -1) return bad(`has a bad shape at errors.${at}.error`);
    if (!errors.every((entry) => isKey(entry.seq))) return bad("has a seq that is neither a string nor a number");
    // A decoded object skips decodeInput's cap; its text is held to it here.
    let chars = 0;
    for (const entry of errors) chars += `${entry.seq}`.length + (entry.error as string).length;
    if (chars > MAX_BYTES) return failed(code, tooLargeError(context));
    if (!Number.isSafeInteger(accepted) || accepted < 0) return bad(`has a bad accepted count: ${accepted}`);
    if (typeof sent === "number" && accepted > sent) return bad(`accepts ${accepted} of ${sent} blocks sent`);
    return {
      status: code,
      accepted,
      errors: sharedStack(parseBatchResponse, () =>
        errors.map((entry, i) => blockError(entry.seq as string | number, entry.error as string, code, entries[i])),
      ),
      error: undefined,
    };
  } catch (cause) {
    return failed(
      code,
      new TelemetryServerError(localError(PROTOCOL, MALFORMED, "Unreadable batch answer", body, cause)),
    );
  }
}

/** What a parser takes besides its input: the transport's status and retry hint. */
export type { ParseContext };

/**
 * A log line for a body with issues: the first one's path and message, the
 * rest counted, e.g. `validation_error at blocks[0].seq: Required (and 2 more)`.
 */
function describeIssues(code: string, details: readonly ValidationIssue[] | undefined): string | undefined {
  const first = details?.[0];
  if (!first) return undefined;
  const path = first.path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${key}` : key),
    "",
  );
  const more = (details?.length ?? 1) - 1;
  return `${code}${path ? ` at ${path}` : ""}: ${first.message}${more ? ` (and ${more} more)` : ""}`;
}

// Issues are copied, never kept by reference: a cycle or a throwing getter in
// the caller's object must not break JSON.stringify(err) later. The copy is
// what JSON.stringify then JSON.parse would give (keys in their order,
// undefined and functions left out, non-finite numbers as null), built in one
// walk with each string masked: no text is built and read again per issue.
// An issue that cannot be copied is dropped from `details` (it stays in `raw`).
function copyIssue(issue: unknown, budget: Budget): unknown[] {
  try {
    return [copyJson(issue, 0, budget)];
  } catch (cause) {
    if (cause === OVER_CAP) throw cause;
    return [];
  }
}

/** Characters of text left before the decoded object is over the cap. */
interface Budget {
  left: number;
}

const OVER_CAP = new RangeError("details over the size cap");
const UNCOPYABLE = new TypeError("not a JSON value");

function copyJson(value: unknown, depth: number, budget: Budget): unknown {
  if (typeof value === "string") return text(value, budget);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value === null || typeof value === "boolean") return value;
  if (typeof value !== "object" || depth >= MAX_DEPTH) throw UNCOPYABLE;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(omitted(item) ? null : copyJson(item, depth + 1, budget));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (omitted(item)) continue;
    const name = text(key, budget);
    const copy = copyJson(item, depth + 1, budget);
    // Defined, never assigned: a `__proto__` key from JSON.parse stays a plain key.
    if (name === "__proto__")
      Object.defineProperty(out, name, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[name] = copy;
  }
  return out;
}

const omitted = (value: unknown): boolean =>
  value === undefined || typeof value === "function" || typeof value === "symbol";

function text(value: string, budget: Budget): string {
  budget.left -= value.length;
  if (budget.left < 0) throw OVER_CAP;
  return redactSecrets(value);
}
