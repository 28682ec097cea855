// Network failures, read off the errors Node, undici and browsers throw: one
// table of codes, read by one walk along the cause chain. isRetryable, the
// parsers and every transport binding (overHttp, overSocket) read it, so the
// same error gets the same verdict everywhere.
import { read } from "./field.js";

/**
 * What went wrong on the way: the connection could not be made, it dropped,
 * no answer came in time, or the caller aborted.
 */
export type NetworkFailure = "unreachable" | "dropped" | "timeout" | "aborted";

/** Node system error codes and undici's, by what they mean for a request; every one of them may pass. */
export const NETWORK_CODES: Readonly<Record<string, Exclude<NetworkFailure, "aborted">>> =
  /* @__PURE__ */ Object.freeze({
    ECONNREFUSED: "unreachable",
    ENOTFOUND: "unreachable",
    EAI_AGAIN: "unreachable",
    EHOSTUNREACH: "unreachable",
    ENETUNREACH: "unreachable",
    ENETDOWN: "unreachable",
    EADDRNOTAVAIL: "unreachable",
    UND_ERR_CONNECT_TIMEOUT: "unreachable",
    ECONNRESET: "dropped",
    ECONNABORTED: "dropped",
    EPIPE: "dropped",
    ERR_STREAM_PREMATURE_CLOSE: "dropped",
    ERR_SOCKET_CLOSED: "dropped",
    UND_ERR_SOCKET: "dropped",
    UND_ERR_CLOSED: "dropped",
    ETIMEDOUT: "timeout",
    ESOCKETTIMEDOUT: "timeout",
    UND_ERR_HEADERS_TIMEOUT: "timeout",
    UND_ERR_BODY_TIMEOUT: "timeout",
  });

// fetch() rejects with a TypeError whose message differs per engine:
// undici "fetch failed", Chrome "Failed to fetch", Firefox "NetworkError…", Safari "Load failed".
const FETCH_FAILURE = /fetch failed|failed to fetch|networkerror|load failed/i;
const MAX_DEPTH = 8;

/** The failure one error names by itself, by its `name` or its `code`; its cause is not read. */
export function failureOf(value: object): NetworkFailure | undefined {
  const name = read(value, "name");
  if (name === "AbortError") return "aborted";
  if (name === "TimeoutError") return "timeout";
  const code = read(value, "code");
  return typeof code === "string" && Object.hasOwn(NETWORK_CODES, code) ? NETWORK_CODES[code] : undefined;
}

/** True for the TypeError fetch() rejects with when no answer came, in any engine's words. */
export function isFetchFailure(value: object): boolean {
  const message = read(value, "message");
  return read(value, "name") === "TypeError" && typeof message === "string" && FETCH_FAILURE.test(message);
}

/**
 * The first network failure along an error's cause chain (at most 8 deep),
 * a bare fetch() failure counting as `unreachable`; undefined for anything
 * else. Never throws.
 */
export function networkFailure(error: unknown, depth = 0): NetworkFailure | undefined {
  if (depth > MAX_DEPTH || typeof error !== "object" || error === null) return undefined;
  const own = failureOf(error);
  if (own !== undefined) return own;
  const inner = networkFailure(read(error, "cause"), depth + 1);
  if (inner !== undefined) return inner;
  return isFetchFailure(error) ? "unreachable" : undefined;
}
