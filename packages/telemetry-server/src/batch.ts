// The answer to `POST /v1/telemetry`: a count and per-block errors, which no
// other protocol has. Each entry is read by the protocol's own parseError.

import { type LocalCode, MALFORMED, TOO_LARGE } from "@wirefault/core";
import { field, httpStatus, NUMBER, pick, type ReadOptions, readResponse, TEXT } from "@wirefault/core/protocol";
import { MAX_BYTES, PROTOCOL, SURFACE } from "./catalog.js";
import { type BlockError, createError, type TelemetryServerError } from "./error.js";
import { decode, fromResponse, localError, parseEntry, parseError, unreadBody } from "./protocol.js";
import { isKey } from "./readers.js";

type ResponseLike = Parameters<typeof readResponse>[0];

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
  /** `false`: no error of the answer takes a stack trace (see `parseError`'s `stack`). Default `true`. */
  stack?: boolean;
}

const isBatchStatus = (status: unknown): boolean => status === 200 || status === 207;

/** The most blocks one batch may hold (the server's own limit), so the most entries a 207 can list. */
export const MAX_BATCH_BLOCKS = 100;

const failed = (status: number, error: TelemetryServerError): BatchResult => ({
  status,
  accepted: 0,
  errors: [],
  error,
});

// A 200 or 207 whose answer cannot be trusted: the status says it went well, so only the body is wrong.
const untrusted = (code: LocalCode, message: string, status: number, raw: unknown, cause?: unknown) =>
  createError({
    protocol: PROTOCOL,
    surface: SURFACE,
    code,
    message,
    status,
    raw,
    cause,
    known: false,
    retryable: "no",
    action: "abort",
    local: true,
  });

const tooLarge = (status: number) => untrusted(TOO_LARGE, `Body exceeds the ${MAX_BYTES}-byte cap`, status, undefined);

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

/**
 * Reads the answer to `POST /v1/telemetry`. 200 and 207 give `accepted`
 * and typed per-block `errors`; any other status is a top-level `error`,
 * never a per-block one. Never throws.
 */
export function parseBatchResponse(status: number, body: unknown, options: ParseBatchOptions = {}): BatchResult {
  const code = httpStatus(status) ?? 0;
  try {
    const sent = field(options, "sent");
    if (!isBatchStatus(code))
      return failed(
        code,
        parseError(body, {
          status: httpStatus(status),
          retryAfterMs: field(options, "retryAfterMs") as number,
          stack: field(options, "stack") !== false,
        }),
      );
    const decoded = decode(body);
    if (decoded.kind === "too-large") return failed(code, tooLarge(code));
    const value = decoded.kind === "value" ? decoded.value : field(decoded, "text");
    const bad = (problem: string, cause?: unknown): BatchResult =>
      failed(code, untrusted(MALFORMED, `Batch answer ${problem}`, code, value, cause));
    if (decoded.kind !== "value") return bad("is not JSON", field(decoded, "cause"));
    const accepted = pick(NUMBER, value, "accepted");
    const entries = field(value, "errors");
    if (accepted === undefined) return bad("has a bad shape at accepted");
    if (!Array.isArray(entries)) return bad("has a bad shape at errors");
    // Counted before anything is read: a 1 MiB answer can list 40,000 entries, and no server sends more than it took.
    if (entries.length > MAX_BATCH_BLOCKS)
      return failed(
        code,
        untrusted(
          MALFORMED,
          `Batch answer lists ${entries.length} errors, more than the ${MAX_BATCH_BLOCKS} blocks a batch may hold`,
          code,
          undefined,
        ),
      );
    // One pass, no copies: the first entry without a text `error` is named; else any seq that is no key.
    let badSeq = false;
    for (let at = 0; at < entries.length; at++) {
      const entry: unknown = entries[at];
      if (pick(TEXT, entry, "error") === undefined) return bad(`has a bad shape at errors.${at}.error`);
      badSeq ||= !isKey(field(entry, "seq"));
    }
    if (badSeq) return bad("has a seq that is neither a string nor a number");
    if (!Number.isSafeInteger(accepted) || accepted < 0) return bad(`has a bad accepted count: ${accepted}`);
    if (accepted + entries.length > MAX_BATCH_BLOCKS)
      return bad(`accounts for ${accepted + entries.length} blocks, more than a batch may hold`);
    if (typeof sent === "number" && accepted > sent) return bad(`accepts ${accepted} of ${sent} blocks sent`);
    // Each entry read alone, as parseError reads a 207 entry: its template gives its code and class. The
    // answer was decoded and held to the cap whole, so each entry skips those steps (parseEntry).
    // No entry takes a stack of its own: they share one, or none with `stack: false`.
    const context = { status: code, stack: false };
    const build = () => entries.map((entry) => parseEntry(entry, context) as BlockError);
    return {
      status: code,
      accepted,
      errors: field(options, "stack") === false ? build() : sharedStack(parseBatchResponse, build),
      error: undefined,
    };
  } catch (cause) {
    return failed(code, localError(MALFORMED, "Unreadable batch answer", body, cause));
  }
}

/** Reads the response to `POST /v1/telemetry` (at most 1 MiB) with {@link parseBatchResponse}. Never rejects. */
export async function readBatchResponse(
  res: Response | ResponseLike,
  options: Omit<ParseBatchOptions, "retryAfterMs"> & ReadOptions = {},
): Promise<BatchResult> {
  let status: unknown;
  try {
    status = res.status;
  } catch {
    // A hostile response: read as an unreadable one below.
  }
  // Any other status is a top-level error, read exactly as fromResponse reads it.
  if (!isBatchStatus(status))
    return failed(typeof status === "number" ? status : 0, await fromResponse(res as Response, options));
  const body = await readResponse(res, MAX_BYTES, Date.now(), options);
  const code = status as number;
  if (body.tooLarge) return failed(code, tooLarge(code));
  // Cut off by a network failure: the blocks may not be stored, and resending is safe (duplicates are accepted).
  const lost = unreadBody(body);
  if (lost) return failed(code, lost);
  if (body.text === undefined)
    return failed(code, untrusted(MALFORMED, "Body could not be read", code, undefined, body.cause));
  return parseBatchResponse(code, body.text, {
    sent: options.sent,
    retryAfterMs: body.retryAfterMs,
    stack: field(options, "stack") as boolean | undefined,
  });
}
