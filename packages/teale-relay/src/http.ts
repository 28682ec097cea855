import { type ReadOptions, readResponse, unreadableBody } from "@wirefault/core/wire";
import { type ParsedTealeRelayError, TealeRelayError } from "./error.js";
import { byStatus, parseError, tooLarge } from "./parse.js";
import { MAX_BYTES } from "./wire.js";

/**
 * Reads a failed response of the local API (:11435) into a typed error, under the size cap.
 * Falls back to the status when the body is empty or not JSON. Only `Retry-After` is read
 * from the headers, so a request's `Authorization` can never end up in the error. Never rejects.
 * `options.signal` (e.g. `AbortSignal.timeout(ms)`) stops a stalled body.
 */
export async function fromResponse(res: Response, options?: ReadOptions): Promise<ParsedTealeRelayError>;
export async function fromResponse(res: Response, options?: ReadOptions): Promise<TealeRelayError> {
  const body = await readResponse(res, MAX_BYTES, Date.now(), options);
  const status = body.status || undefined;
  if (body.tooLarge) return tooLarge("Response body", undefined, status);
  // Cut off by a network failure: the answer was lost, so retry whatever the status said.
  const lost = unreadableBody("teale-relay", body);
  if (lost) return new TealeRelayError(lost);
  if (body.text === undefined) return byStatus(status, body.retryAfterMs, undefined, body.cause);
  return parseError(body.text, { status, retryAfterMs: body.retryAfterMs });
}
