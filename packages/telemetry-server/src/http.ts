import { MALFORMED } from "@wirefault/core";
import { type ReadOptions, readResponse, unreadableBody } from "@wirefault/core/wire";
import { MAX_BYTES } from "./catalog.js";
import { type ParsedTelemetryServerError, TelemetryServerError } from "./error.js";
import {
  type BatchResult,
  type ParseBatchOptions,
  parseBatchResponse,
  parseError,
  statusError,
  tooLargeError,
} from "./parse.js";

type ResponseLike = Parameters<typeof readResponse>[0];

/**
 * Reads a failed response (at most 1 MiB, only `Retry-After` among headers)
 * into a typed error; falls back to the status when the body is empty or not JSON.
 * `options.signal` (e.g. `AbortSignal.timeout(ms)`) stops a stalled body.
 */
export async function fromResponse(
  res: Response | ResponseLike,
  options?: ReadOptions,
): Promise<ParsedTelemetryServerError>;
export async function fromResponse(res: Response | ResponseLike, options?: ReadOptions): Promise<TelemetryServerError> {
  const body = await readResponse(res, MAX_BYTES, Date.now(), options);
  const context = { status: body.status, retryAfterMs: body.retryAfterMs };
  if (body.tooLarge) return tooLargeError(context);
  // Cut off by a network failure: the answer was lost, so retry whatever the status said.
  const lost = unreadableBody("telemetry-server", body);
  if (lost) return new TelemetryServerError(lost);
  if (body.text === undefined) return statusError(MALFORMED, "Body could not be read", undefined, context, body.cause);
  return parseError(body.text, context);
}

/** Reads the response to `POST /v1/telemetry` (at most 1 MiB) with {@link parseBatchResponse}. Never rejects. */
export async function readBatchResponse(
  res: Response | ResponseLike,
  options: Omit<ParseBatchOptions, "retryAfterMs"> & ReadOptions = {},
): Promise<BatchResult> {
  const body = await readResponse(res, MAX_BYTES, Date.now(), options);
  const context = { status: body.status, retryAfterMs: body.retryAfterMs };
  const fail = (error: TelemetryServerError): BatchResult => ({ status: body.status, accepted: 0, errors: [], error });
  if (body.tooLarge) return fail(tooLargeError(context));
  // Cut off by a network failure: the blocks may not be stored, and resending is safe (duplicates are accepted).
  const lost = unreadableBody("telemetry-server", body);
  if (lost) return fail(new TelemetryServerError(lost));
  if (body.text === undefined)
    return fail(statusError(MALFORMED, "Body could not be read", undefined, context, body.cause));
  return parseBatchResponse(body.status, body.text, { sent: options.sent, retryAfterMs: body.retryAfterMs });
}
