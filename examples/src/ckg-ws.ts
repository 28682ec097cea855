import { randomUUID } from "node:crypto";
import {
  type CkgRelayEvent,
  fromClose,
  isErrorMessage,
  parseError,
  userMessage,
  validateEvent,
} from "@wirefault/ckg-relay";
import { type GiveUpEvent, messageText, type RateLimiter, retry } from "@wirefault/core";
import WebSocket from "ws";

type Message = Record<string, unknown>;

// The close that ended each socket, for an attempt that finds it already closed (4001 right after the upgrade).
const closes = new WeakMap<WebSocket, Error>();

/** How one event is sent: whom to name, how long to try, and what it shares with the app's other sends. */
export interface SendOptions {
  /** The agent's name in the texts a person sees. */
  agentName?: string;
  /** The caller's deadline; 60 s by default, so that a relay that never answers cannot hold the caller. */
  signal?: AbortSignal;
  /** One `rateLimiter()` for the whole app: a RATE_LIMITED slows every send, not only this one. */
  limiter?: RateLimiter;
  /** Each text to show the person, while retrying and at the end. */
  onStatus?: (text: string) => void;
  /** A cap on each wait between attempts, for an app that would rather fail fast than follow the page's delays. */
  maxDelayMs?: number;
}

// A JSON object, or undefined: a frame that is not for us never throws in a listener.
function parse(text: string | undefined): Message | undefined {
  try {
    const value: unknown = text === undefined ? undefined : JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Message) : undefined;
  } catch {
    return undefined;
  }
}

// One attempt: send the event, then settle on its reply, its error, a close or an abort.
// A streamed `token` is not the reply, and the relay's `ping` is answered, not taken for one.
function exchange(ws: WebSocket, frame: string, eventId: string, signal: AbortSignal): Promise<Message> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === ws.CLOSED) return reject(closes.get(ws) ?? fromClose(1006, "socket is closed"));
    const onMessage = (data: WebSocket.RawData) => {
      const msg = parse(messageText(data));
      if (msg === undefined || (msg.event_id !== undefined && msg.event_id !== eventId)) return;
      if (isErrorMessage(msg)) settle(() => reject(parseError(msg)));
      else if (msg.type === "reply") settle(() => resolve(msg));
      else if (msg.type === "ping") ws.send(JSON.stringify({ type: "pong" }));
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
    if (ws.readyState === ws.OPEN) ws.send(frame); // a closing socket: its close settles this
  });
}

// Opens a socket; a relay that is down or refuses the token closes it, and the close is the error.
async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.on("error", () => {}); // the close that follows carries the code retry() acts on
  ws.on("close", (code, reason) => closes.set(ws, fromClose(code, reason)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve()).once("close", (code, reason) => reject(fromClose(code, reason)));
  });
  return ws;
}

// Sends one event and settles with the reply, or with the error and the text that says what happened.
// Every resend is the same event: one event_id, so that the relay can drop a duplicate.
export async function sendEvent(
  url: string,
  event: CkgRelayEvent,
  {
    agentName = "Athena",
    signal = AbortSignal.timeout(60_000),
    limiter,
    onStatus = () => {},
    maxDelayMs,
  }: SendOptions = {},
): Promise<{ reply?: Message; error?: unknown; text?: string }> {
  const eventId = typeof event.event_id === "string" ? event.event_id : randomUUID();
  const frame = validateEvent({ ...event, event_id: eventId }); // adds "type":"event"; throws before anything is sent
  let ws: WebSocket | undefined;
  let gaveUp: GiveUpEvent | undefined;
  try {
    const reply = await retry(
      async (_attempt, attemptSignal) => {
        ws ??= await open(url);
        return exchange(ws, frame, eventId, attemptSignal);
      },
      {
        signal,
        limiter,
        ...(maxDelayMs !== undefined && { maxDelayMs }),
        recover: {
          reconnect: () => {
            ws?.terminate(); // the next attempt opens a new socket
            ws = undefined;
          },
        },
        onRetry: ({ error }) => onStatus(userMessage(error, { agentName, retrying: true })), // "Athena is offline. Retrying..."
        onGiveUp: (event) => {
          gaveUp = event;
        },
      },
    );
    return { reply };
  } catch (rejection) {
    // After the caller's deadline the rejection is the deadline's; the last relay error comes through onGiveUp.
    const error = gaveUp?.error ?? rejection;
    const text = userMessage(error, { agentName }); // "Athena is currently offline. Please try again in a moment."
    onStatus(text);
    return { error, text };
  } finally {
    ws?.close();
  }
}
