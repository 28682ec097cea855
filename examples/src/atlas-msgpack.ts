import { decode, encode } from "@msgpack/msgpack";
import { parseError, protocol } from "@wirefault/atlas";
import { type RateLimiter, retry } from "@wirefault/core";
import WebSocket from "ws";

const ERROR_FRAME = 0xe0;
const MESSAGE_FRAME = 0x01;

// The close that ended each socket, for an attempt that finds it already closed.
const closes = new WeakMap<WebSocket, Error>();

// Decodes one frame's body with @msgpack/msgpack; undefined when it is not MessagePack.
function body(bytes: Uint8Array): unknown {
  try {
    return decode(bytes.subarray(1));
  } catch {
    return undefined;
  }
}

// Sends one message ([frame type][MessagePack body]) and settles with its answer: the decoded body whose
// ref_msg_id is ours, or a typed error for an ErrorMessage frame (0xE0) or a zone.error. Other traffic passes by.
function exchange(ws: WebSocket, message: { msg_id: string }, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === ws.CLOSED) return reject(closes.get(ws) ?? protocol.fromClose(1006, "socket is closed"));
    const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) return; // Atlas frames are binary
      const bytes = new Uint8Array(data as Buffer);
      const decoded = body(bytes) as { type?: unknown; ref_msg_id?: unknown; request_id?: unknown } | undefined;
      if (decoded === undefined && bytes[0] === ERROR_FRAME) return settle(() => reject(parseError(bytes.subarray(1)))); // not MessagePack: WIREFAULT_MALFORMED
      const about = decoded?.ref_msg_id ?? decoded?.request_id;
      if (about !== undefined && about !== message.msg_id) return; // another message's answer
      if (bytes[0] === ERROR_FRAME || decoded?.type === "zone.error") settle(() => reject(parseError(decoded)));
      else if (about === message.msg_id) settle(() => resolve(decoded));
    };
    const onClose = (code: number, reason: Buffer) => settle(() => reject(protocol.fromClose(code, reason)));
    const onAbort = () => settle(() => reject(signal.reason));
    const settle = (done: () => void) => {
      ws.off("message", onMessage).off("close", onClose);
      signal.removeEventListener("abort", onAbort);
      done();
    };
    ws.on("message", onMessage).on("close", onClose);
    signal.addEventListener("abort", onAbort, { once: true });
    if (ws.readyState === ws.OPEN) ws.send(Uint8Array.of(MESSAGE_FRAME, ...encode(message)));
  });
}

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.on("error", () => {}); // the close that follows carries the code retry() acts on
  ws.on("close", (code, reason) => closes.set(ws, protocol.fromClose(code, reason)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve()).once("close", (code, reason) => reject(protocol.fromClose(code, reason)));
  });
  return ws;
}

// Sends one message and settles with its answer. retry() acts on what goes wrong: 4001 ERR_RATE_LIMITED slows
// every caller sharing the limiter; handshake errors (1002, 1003) and a lost socket reconnect; the same msg_id every time.
export async function send(
  url: string,
  message: { msg_id: string } & Record<string, unknown>,
  { limiter, signal = AbortSignal.timeout(30_000) }: { limiter?: RateLimiter; signal?: AbortSignal } = {},
): Promise<unknown> {
  let ws: WebSocket | undefined;
  try {
    return await retry(
      async (_attempt, attemptSignal) => {
        ws ??= await open(url);
        return exchange(ws, message, attemptSignal);
      },
      {
        signal,
        limiter,
        recover: {
          reconnect: () => {
            ws?.terminate(); // the next attempt opens a new socket, with a new handshake
            ws = undefined;
          },
        },
      },
    );
  } finally {
    ws?.close();
  }
}
