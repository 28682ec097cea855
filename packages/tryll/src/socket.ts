import { fromSocketErrorOf } from "@wirefault/core/protocol";
import type { TryllError } from "./error.js";
import { pipeline, socket } from "./protocol.js";

/** What the caller knows about the socket when it failed. */
export interface SocketErrorContext {
  /** False while still connecting: any recognised failure is then 1001 ConnectionFailed. */
  connected?: boolean;
  requestId?: bigint;
  agentId?: bigint;
}

/**
 * Maps a socket failure to 1001 ConnectionFailed, 1002 ConnectionDropped or
 * 1003 Timeout, by core's network table (the one `isRetryable` reads). Anything
 * else (an abort, a TLS or programming error) becomes code 0, the
 * client-failure code: unknown, `abort`. Never throws.
 */
export const fromSocketError: (err?: unknown, context?: SocketErrorContext) => TryllError =
  /* @__PURE__ */ fromSocketErrorOf(pipeline, socket);
