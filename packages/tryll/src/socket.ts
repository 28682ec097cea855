import { CLIENT_FAILURE, TryllErrorCode } from "./catalog.js";
import { TryllError } from "./error.js";
import { protocol } from "./protocol.js";

/** What the caller knows about the socket when it failed. */
export interface SocketErrorContext {
  /** False while still connecting: any recognised failure is then 1001 ConnectionFailed. */
  connected?: boolean;
  requestId?: bigint;
  agentId?: bigint;
}

// Node system errors and undici codes, by what they mean for a Tryll session.
const FAILED =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ENETDOWN|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT)$/;
const DROPPED =
  /^(ECONNRESET|EPIPE|ECONNABORTED|ERR_STREAM_PREMATURE_CLOSE|ERR_SOCKET_CLOSED|UND_ERR_SOCKET|UND_ERR_CLOSED)$/;
const TIMEOUT = /^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/;
const MAX_DEPTH = 8;
const { ConnectionFailed, ConnectionDropped, Timeout } = TryllErrorCode;

const read = (value: unknown, key: string): unknown => {
  try {
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
};

// 1001, 1002 or 1003 for the first recognisable failure along the cause chain.
function socketCode(err: unknown): number | undefined {
  // A plain close (Node's `close` event passes a boolean, a WebSocket a CloseEvent) is a drop.
  if (err === undefined || err === null || typeof err === "boolean" || read(err, "type") === "close")
    return ConnectionDropped;
  for (
    let e: unknown = err, depth = 0;
    depth < MAX_DEPTH && typeof e === "object" && e !== null;
    e = read(e, "cause"), depth++
  ) {
    const code = read(e, "code");
    const name = read(e, "name");
    if (name === "AbortError") return undefined;
    if (name === "TimeoutError" || (typeof code === "string" && TIMEOUT.test(code))) return Timeout;
    if (typeof code === "string" && FAILED.test(code)) return ConnectionFailed;
    if (typeof code === "string" && DROPPED.test(code)) return ConnectionDropped;
  }
  return undefined;
}

/**
 * Maps a socket failure to 1001 ConnectionFailed, 1002 ConnectionDropped or
 * 1003 Timeout. Anything else (an abort, a TLS or programming error) becomes
 * code 0, the client-failure code: unknown, `abort`. Never throws.
 */
export function fromSocketError(err?: unknown, context: SocketErrorContext = {}): TryllError {
  let message: unknown;
  let code: number | undefined;
  try {
    if (err instanceof TryllError) return err;
    message = read(err, "message");
    code = socketCode(err);
  } catch {
    // A revoked proxy fails even instanceof; it is simply not a recognisable socket error.
  }
  const text = typeof message === "string" && message !== "" ? message : undefined;
  // Read once each, without trusting it: null, a Proxy or a throwing getter give nothing.
  const id = (key: string): bigint | undefined => {
    const value = read(context, key);
    return typeof value === "bigint" ? value : undefined;
  };
  if (code === undefined) code = CLIENT_FAILURE;
  else if (read(context, "connected") === false) code = ConnectionFailed;
  // Code 0 has no summary to fall back on: what the client raised is the message, on the wire too.
  const said = code === CLIENT_FAILURE ? (text ?? "Client-side failure") : text;
  const c = protocol.index.classify(code, "response");
  return new TryllError({
    ...c,
    code,
    message: said ?? c.entry?.summary ?? "",
    wireMessage: said ?? "",
    requestId: id("requestId"),
    agentId: id("agentId"),
    raw: err,
    cause: typeof err === "object" && err !== null ? err : undefined,
  });
}
