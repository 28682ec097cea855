import { TOO_LARGE } from "@wirefault/core";
import { localError, type ReadOptions, readResponse, unreadableBody } from "@wirefault/core/wire";
import type { ParsedCkgRelayError } from "./error.js";
import { CkgRelayError } from "./error.js";
import { fromStatus, MAX_ERROR_BYTES, parseError } from "./parse.js";

/**
 * The error of a CKG Relay HTTP response. Reads at most 1 MiB of the body and
 * only the `Retry-After` header. A body that names no code (empty, not JSON,
 * too large) falls back to the status: a bare 503 is AGENT_OFFLINE, a bare
 * 500 RELAY_INTERNAL_ERROR. Never rejects.
 * `options.signal` (e.g. `AbortSignal.timeout(ms)`) stops a stalled body.
 */
export async function fromResponse(res: Response, options?: ReadOptions): Promise<ParsedCkgRelayError>;
export async function fromResponse(res: Response, options?: ReadOptions): Promise<CkgRelayError> {
  try {
    const body = await readResponse(res, MAX_ERROR_BYTES, Date.now(), options);
    const { status, retryAfterMs } = body;
    if (body.tooLarge) {
      const cause = new CkgRelayError(
        localError("ckg-relay", TOO_LARGE, `response body over ${MAX_ERROR_BYTES} bytes`, undefined),
      );
      return fromStatus(status, retryAfterMs, undefined, cause);
    }
    // Cut off by a network failure: the answer was lost, so retry whatever the status said.
    const lost = unreadableBody("ckg-relay", body);
    if (lost) return new CkgRelayError(lost);
    if (body.text === undefined || body.text.trim() === "")
      return fromStatus(status, retryAfterMs, body.text, body.cause);
    return parseError(body.text, { status, retryAfterMs });
  } catch (cause) {
    return fromStatus(undefined, undefined, res, cause);
  }
}
