import { messageText, retry } from "@wirefault/core";
import { fromClose, isErrorFrame, isInferenceError, parseError } from "@wirefault/teale-relay";
import WebSocket from "ws";

type Message = Record<string, unknown>;

// The close that ended each socket, for an attempt that finds it already closed (4001 right after the upgrade).
const closes = new WeakMap<WebSocket, Error>();

// A JSON object, or undefined for anything else: a frame that is not for us never throws in a listener.
function parse(text: string): Message | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Message) : undefined;
  } catch {
    return undefined;
  }
}

// Sends one relay message and settles with the first frame `isAnswer` accepts, an error frame, a close or an abort.
// Ordinary traffic (peerJoined, relayData from others…) passes by; messageText reads every form ws hands over.
function exchange(ws: WebSocket, message: Message, isAnswer: (msg: Message) => boolean, signal: AbortSignal) {
  return new Promise<Message>((resolve, reject) => {
    if (ws.readyState === ws.CLOSED) return reject(closes.get(ws) ?? fromClose(1006, "socket is closed"));
    const onMessage = (data: WebSocket.RawData) => {
      const text = messageText(data); // a text frame is one Buffer even with binaryType "fragments"
      if (text === undefined) return; // binary: not the relay's JSON
      if (isErrorFrame(text) || isInferenceError(text)) return settle(() => reject(parseError(text)));
      const msg = parse(text);
      if (msg !== undefined && isAnswer(msg)) settle(() => resolve(msg));
    };
    const onClose = (code: number, reason: Buffer) => settle(() => reject(fromClose(code, reason)));
    const onAbort = () => settle(() => reject(signal.reason));
    const settle = (done: () => void) => {
      ws.off("message", onMessage).off("close", onClose);
      signal.removeEventListener("abort", onAbort);
      done();
    };
    ws.on("message", onMessage).on("close", onClose);
    signal.addEventListener("abort", onAbort, { once: true });
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message)); // a closing socket: its close settles this
  });
}

// Opens a socket and registers; a relay that is down closes it with 1006, which retry() reconnects.
async function open(url: string, register: Message, signal: AbortSignal): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.binaryType = "fragments";
  ws.on("error", () => {}); // the close that follows carries the code retry() acts on
  ws.on("close", (code, reason) => closes.set(ws, fromClose(code, reason)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve()).once("close", (code, reason) => reject(fromClose(code, reason)));
  });
  await exchange(ws, { register }, (msg) => "registerAck" in msg, signal);
  return ws;
}

// A peer to talk to, from the relay's discoverResponse.
async function discover(ws: WebSocket, signal: AbortSignal): Promise<string> {
  const msg = await exchange(ws, { discover: {} }, (m) => "discoverResponse" in m, signal);
  const peers = (msg.discoverResponse as { peers: { nodeID: string }[] }).peers;
  if (!peers[0]) throw parseError({ error: { code: "peer_not_found", message: "Peer undefined is not connected" } });
  return peers[0].nodeID;
}

// Sends an offer to a discovered peer and settles with its answer. retry() acts on what goes wrong:
// peer_not_found resets (rediscover the peer), 1006 reconnects, 1012 SESSION_REPLACED stops, rate_limited waits.
export async function offer(
  url: string,
  register: { nodeID: string; publicKey: string; capabilities: object; signature: string },
  sdp: string,
  { signal = AbortSignal.timeout(30_000) }: { signal?: AbortSignal } = {},
): Promise<Message> {
  let ws: WebSocket | undefined;
  let peer: string | undefined;
  try {
    return await retry(
      async (_attempt, attemptSignal) => {
        ws ??= await open(url, register, attemptSignal);
        peer ??= await discover(ws, attemptSignal);
        return exchange(ws, { offer: { toNodeID: peer, sdp } }, (msg) => "answer" in msg, attemptSignal);
      },
      {
        signal,
        recover: {
          reset: async (_error, { signal }) => {
            peer = ws && (await discover(ws, signal)); // peer_not_found: the peer left, find it again
          },
          reconnect: () => {
            ws?.terminate(); // the next attempt opens a new socket and registers again
            ws = undefined;
            peer = undefined;
          },
        },
      },
    );
  } finally {
    ws?.close();
  }
}
