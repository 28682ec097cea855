import { type CatalogEntry, type LocalCode, MALFORMED, redactSecrets, TOO_LARGE } from "@wirefault/core";
import {
  classifyStatus,
  decodeInput,
  field,
  localError,
  type ParseContext,
  pick,
  readContext,
} from "@wirefault/core/wire";
import * as z from "zod/mini";
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
const Text = z.string();
const Count = z.number();
const isIssue = (value: unknown): value is ValidationIssue => {
  const path = field(value, "path");
  return (
    pick(Text, value, "code") !== undefined &&
    pick(Text, value, "message") !== undefined &&
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
  if (isKey(seq) && typeof text === "string") return blockError(seq, text, context.status, value);

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
  const details = Array.isArray(rawDetails) ? rawDetails.flatMap(copyIssue).filter(isIssue) : undefined;
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
    if (!Number.isSafeInteger(accepted) || accepted < 0) return bad(`has a bad accepted count: ${accepted}`);
    if (typeof sent === "number" && accepted > sent) return bad(`accepts ${accepted} of ${sent} blocks sent`);
    return {
      status: code,
      accepted,
      errors: errors.map((entry, i) =>
        blockError(entry.seq as string | number, entry.error as string, code, entries[i]),
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

// Issues are copied, never kept by reference: a cycle or a throwing getter in
// the caller's object must not break JSON.stringify(err) later. The copy keeps
// zod's keys in their order, with secrets masked; an issue that cannot be
// copied is dropped from `details` (it stays in `raw`).
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

function copyIssue(issue: unknown): unknown[] {
  try {
    return [JSON.parse(redactSecrets(JSON.stringify(issue)))];
  } catch {
    return [];
  }
}
