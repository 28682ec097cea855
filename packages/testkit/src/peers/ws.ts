// Fault injection for the WebSocket peers (Teale relay, CKG Relay, Atlas).
import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type { Fault, PeerCore } from "./shared.js";

/** A message to send: a string goes as a text frame, bytes as a binary frame. */
export type Outgoing = string | Uint8Array;

/** How one incoming message of a protocol is answered, normally and under each fault. */
export interface WsAnswers<C> {
  /** The normal answer, or undefined for none; may change the peer's state. */
  process(): Outgoing | undefined;
  /** The documented error message for `code`. */
  error(code: C, message?: string): Outgoing;
  /** A rate-limit message asking to wait `seconds`. */
  retryAfter(seconds: number): Outgoing;
  /** Garbage where a message belongs (Atlas keeps its frame type byte in front). */
  garbage(bytes: Uint8Array): Outgoing;
  /** A message over the protocol's size cap, by at least one byte. */
  oversized(bytes: number | undefined): Outgoing;
  /** A typical message, cut in half by a `drop` fault that does not process the request first. */
  sample(): Outgoing;
}

/** A WebSocket server on an HTTP server, remembering each client's raw socket for mid-frame drops. */
export function attachWebSocketServer(
  server: HttpServer,
  accept: (ws: WebSocket, req: IncomingMessage) => void,
  path?: string,
): { readonly wss: WebSocketServer; socketOf(ws: WebSocket): Socket | undefined } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const sockets = new WeakMap<WebSocket, Socket>();
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (path !== undefined && new URL(req.url ?? "/", "http://x").pathname !== path) {
      socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(ws, socket);
      ws.on("error", () => {});
      accept(ws, req);
    });
  });
  return { wss, socketOf: (ws) => sockets.get(ws) };
}

/** The header of an unmasked server-to-client frame. */
function frameHeader(opcode: number, length: number): Buffer {
  if (length < 126) return Buffer.from([0x80 | opcode, length]);
  if (length < 65_536) {
    const header = Buffer.from([0x80 | opcode, 126, 0, 0]);
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/** Sends a frame header that promises `message`, then half of it; then kills the TCP connection unless `stall`. */
export function cutMidFrame(socket: Socket, message: Outgoing, stall = false): void {
  const payload = typeof message === "string" ? Buffer.from(message) : Buffer.from(message);
  const head = frameHeader(typeof message === "string" ? 0x1 : 0x2, payload.byteLength);
  socket.write(Buffer.concat([head, payload.subarray(0, Math.max(1, payload.byteLength >> 1))]), () => {
    if (!stall) socket.destroy();
  });
}

/** Closes a WebSocket with `code`: 1006 is a bare TCP teardown, 1005 a close frame without a code. */
export function closeWith(ws: WebSocket, code?: number, reason?: string): void {
  if (code === 1006) ws.terminate();
  else if (code === undefined || code === 1005) ws.close();
  else ws.close(code, reason);
}

/** Answers one incoming message, normally when `fault` is undefined, else with the fault. */
export function answerWs<C>(
  core: PeerCore<Fault<C>>,
  ws: WebSocket,
  socket: Socket | undefined,
  fault: Fault<C> | undefined,
  answers: WsAnswers<C>,
) {
  const send = (message: Outgoing | undefined) => {
    if (message !== undefined && ws.readyState === ws.OPEN) ws.send(message, { binary: typeof message !== "string" });
  };
  if (fault === undefined || fault.kind === "none") return send(answers.process());
  switch (fault.kind) {
    case "error":
      return send(answers.error(fault.code, fault.message));
    case "retry-after":
      return send(answers.retryAfter(fault.seconds));
    case "slow":
      core.later(fault.delayMs, () => answerWs(core, ws, socket, fault.then, answers));
      return;
    case "hang":
      if (fault.partial && socket) cutMidFrame(socket, answers.sample(), true);
      return;
    case "drop": {
      const message = (fault.after ? answers.process() : undefined) ?? answers.sample();
      if (socket) cutMidFrame(socket, message);
      else ws.terminate();
      return;
    }
    case "garbage":
      return send(answers.garbage(core.garbage(fault.bytes)));
    case "oversized":
      return send(answers.oversized(fault.bytes));
    case "close":
      return closeWith(ws, fault.code, fault.reason);
  }
}
