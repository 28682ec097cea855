/** What the caller knows about the socket when it failed. */
export interface SocketErrorContext {
  /** False while still connecting: any recognised failure is then 1001 ConnectionFailed. */
  connected?: boolean;
  requestId?: bigint;
  agentId?: bigint;
}

// Built in protocol.ts, beside the definition whose socket binding it reads.
export { fromSocketError } from "./protocol.js";
