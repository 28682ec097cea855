import { clientRetryable, read } from "./client.js";
import { isProtocolError } from "./error.js";

const MAX_DEPTH = 8;

// Node system errors and undici failures that mean "the network hiccuped":
// the same request can succeed a moment later.
const NETWORK_CODE =
  /^(E(CONN(RESET|REFUSED|ABORTED)|TIMEDOUT|PIPE|AI_AGAIN|NET(DOWN|UNREACH)|HOSTUNREACH)|UND_ERR_(SOCKET|CLOSED|(CONNECT|HEADERS|BODY)_TIMEOUT))$/;

// fetch() rejects with a TypeError whose message differs per engine:
// undici "fetch failed", Chrome "Failed to fetch", Firefox "NetworkError…", Safari "Load failed".
const FETCH_FAILURE = /fetch failed|failed to fetch|networkerror|load failed/i;

function verdict(value: unknown, depth: number): boolean | undefined {
  if (depth > MAX_DEPTH || typeof value !== "object" || value === null) return undefined;
  if (isProtocolError(value)) return value.retryable !== "no";
  const name = read(value, "name");
  if (name === "AbortError") return false;
  // openai-node and the AI SDK: before the cause, which for a lost connection is the fetch failure it wraps.
  const client = clientRetryable(value);
  if (client !== undefined) return client;
  if (name === "TimeoutError") return true;
  const code = read(value, "code");
  if (typeof code === "string" && NETWORK_CODE.test(code)) return true;
  const inner = verdict(read(value, "cause"), depth + 1);
  if (inner !== undefined) return inner;
  const message = read(value, "message");
  if (name === "TypeError" && typeof message === "string" && FETCH_FAILURE.test(message)) return true;
  return undefined;
}

/**
 * True when sending the same request again may succeed: a ProtocolError
 * whose `retryable` is not "no", a platform network failure or timeout, or an
 * openai-node / AI SDK error with status 408, 409, 429 or 5xx (the AI SDK's
 * own `isRetryable` wins). Aborts and everything else are false. Never throws.
 */
export function isRetryable(error: unknown): boolean {
  try {
    return verdict(error, 0) === true;
  } catch {
    return false;
  }
}
