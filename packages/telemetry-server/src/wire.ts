import { isProtocolError } from "@wirefault/core";
import { echoWire } from "@wirefault/core/protocol";
import { index, PROTOCOL } from "./catalog.js";

/** One Zod issue of a 400 `validation_error`, kept verbatim (zod 3 or zod 4 keys, in their order). */
export type ValidationIssue = { code: string; path: (string | number)[]; message: string } & Record<string, unknown>;

/** The page's top-level body: `{ error }`, plus `details` for `validation_error`. */
export interface TopLevelWire {
  error: string;
  details?: readonly ValidationIssue[];
}
/** One entry of a 207 answer's `errors`; `seq` is absent only on an error that never had one. */
export interface BlockWire {
  seq?: string;
  error: string;
}
/** The HTTP framework's own body (Fastify): `code` is absent when it equals the reason phrase. */
export interface FrameworkWire {
  statusCode: number;
  code?: string;
  error: string;
  message: string;
}
/** Any body `toWire()` can rebuild; `""` is an empty body read off the wire (a HEAD answer), given back as it was. */
export type TelemetryWire = TopLevelWire | BlockWire | FrameworkWire | "";

/** What `toWire()` reads of an error. */
export interface WireFields {
  readonly code: string | number;
  readonly message: string;
  readonly status: number | undefined;
  readonly raw: unknown;
  readonly local?: boolean;
  readonly details?: readonly ValidationIssue[] | undefined;
  readonly seq?: string | undefined;
  readonly reason?: string | undefined;
}

/**
 * The body the server sent for an error, key for key, when it was read off the wire;
 * else the body to send: page shape, per-block entry or framework shape.
 */
export function toWire(error: WireFields): TelemetryWire {
  const code = String(error.code);
  const { message, reason } = error;
  // An empty body read off the wire (a HEAD answer has none) is what the server sent.
  if (error.raw === "") return "";
  // Read off the wire: what was received, key for key (a numeric seq stays a number). Built in code: the page's shape.
  const received = error.local ? undefined : echoWire<Exclude<TelemetryWire, "">>(error.raw);
  if (received) return received;
  if (error.seq !== undefined) return { seq: error.seq, error: message };
  if (index.get(code)?.template !== undefined) return { error: message };
  if (reason !== undefined) {
    const statusCode = error.status ?? 0;
    return code === reason ? { statusCode, error: reason, message } : { statusCode, code, error: reason, message };
  }
  // Issues travel only on the body that has them (the page's `validation_error`).
  return error.details === undefined ? { error: code } : { error: code, details: error.details };
}

/** How one block of a batch went, for {@link batchResponse}: no `error` (or null) means accepted. */
export interface BlockResult {
  /** The block's sequence number; sent back as a string. */
  readonly seq: string | number | bigint;
  /** What ingesting the block threw: a domain error becomes a per-block entry, anything else a 500. */
  readonly error?: unknown;
}

/** The body of a 200 or 207 answer, key for key as the page. */
export interface BatchBody {
  accepted: number;
  errors: { seq: string; error: string }[];
}

/** The body of a 500: a fixed code, never the thrown message. */
export interface InternalErrorBody {
  error: "internal_error";
}

/** The framework's (Fastify's) 500 body, as the reference server sends it; its message is never a thrown one. */
export interface FrameworkErrorBody {
  statusCode: 500;
  error: "Internal Server Error";
  message: "Internal Server Error";
}

/** What a server sends back for `POST /v1/telemetry`. */
export type BatchReply = { status: 200 | 207; body: BatchBody } | { status: 500; body: FrameworkErrorBody };

/**
 * `{"statusCode":500,"error":"Internal Server Error","message":"Internal Server Error"}`: the
 * framework's shape of the reference server's 500, with the reason phrase in place of the
 * thrown message, which may hold a secret.
 */
export const frameworkErrorBody = (): FrameworkErrorBody => ({
  statusCode: 500,
  error: "Internal Server Error",
  message: "Internal Server Error",
});

/** Builds the 500 body, `{ "error": "internal_error" }`; it never carries a thrown message. */
export const internalErrorBody = (): InternalErrorBody => ({ error: "internal_error" });
/** Builds the 409 body of `POST /v1/devices`: `{ "error": "device_already_exists" }`. */
export const deviceExistsBody = (): { error: "device_already_exists" } => ({ error: "device_already_exists" });
/** Builds the 404 body of `GET /v1/devices/:id`: `{ "error": "Device not found" }`. */
export const deviceNotFoundBody = (): { error: "Device not found" } => ({ error: "Device not found" });

/**
 * The 400 body `{ error: "validation_error", details }` from a ZodError (zod 3
 * or 4) or its issues. Issues pass through unchanged: same objects, same keys.
 */
export function validationErrorBody<I>(error: { readonly issues: readonly I[] } | readonly I[]): {
  error: "validation_error";
  details: I[];
} {
  const issues = Array.isArray(error) ? error : (error as { readonly issues: readonly I[] }).issues;
  return { error: "validation_error", details: [...issues] };
}

/**
 * The wire message of a domain error, or undefined for anything else. By
 * shape, not class: the reference server's own `DeviceNotFoundError` and
 * `InvalidSignatureError` carry the same `code` and message as this package's.
 */
function blockMessage(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // Another protocol's error may share a code string; only a telemetry one (or a plain lookalike) counts.
  if (isProtocolError(error) && error.protocol !== PROTOCOL) return undefined;
  if (typeof code !== "string" || index.get(code)?.template === undefined) return undefined;
  return typeof message === "string" ? message : undefined;
}

/**
 * Builds the answer to a telemetry batch: 200 when every block was accepted,
 * 207 with one `{ seq, error }` per domain error (any error whose `code` is a
 * documented block code) otherwise. Any other thrown value makes it a 500 in
 * the framework's shape, without the thrown message.
 */
export function batchResponse(results: Iterable<BlockResult>): BatchReply {
  try {
    const errors: BatchBody["errors"] = [];
    let accepted = 0;
    for (const { seq, error } of results) {
      if (error === undefined || error === null) {
        accepted++;
        continue;
      }
      const message = blockMessage(error);
      if (message === undefined) return { status: 500, body: frameworkErrorBody() };
      errors.push({ seq: String(seq), error: message });
    }
    return { status: errors.length > 0 ? 207 : 200, body: { accepted, errors } };
  } catch {
    return { status: 500, body: frameworkErrorBody() };
  }
}
