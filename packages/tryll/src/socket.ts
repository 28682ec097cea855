// fromSocketError is built in protocol.ts, beside the definition and the socket binding it reads.
export { fromSocketError, type SocketErrorContext } from "./protocol.js";
