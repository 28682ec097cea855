// CKG Relay over HTTP and WebSocket on one port, sharing one delivery log,
// so that a test can count which events reached the agent, and how often.
import { createServer } from "node:http";
import { CkgRelayCloseCode, type CkgRelayCode, CkgRelayError, catalog, MAX_EVENT_BYTES } from "@wirefault/ckg-relay";
import { type Answer, answer, json } from "./http.js";
import {
  type Fault,
  LOOPBACK,
  listen,
  type Peer,
  PeerCore,
  type PeerOptions,
  peerHandle,
  prop,
  readBody,
  tryJson,
} from "./shared.js";
import { answerWs, attachWebSocketServer, type WsAnswers } from "./ws.js";

/** A fault of the CKG Relay peer, for either transport. */
export type CkgRelayFault = Fault<CkgRelayCode>;

/** Options of {@link startCkgRelayPeer}. */
export interface CkgRelayPeerOptions extends PeerOptions {
  /** When set, a WebSocket without `?token=<token>` is closed with 4001 (bad agent token). */
  token?: string;
  /** Agents that exist; others get AGENT_NOT_FOUND. Default: every agent exists. */
  agents?: readonly string[];
  /** The time offline windows are read against. Default `Date.now`; pass a virtual clock in tests. */
  now?: () => number;
  /**
   * Ordinary traffic around every WebSocket answer, as a live relay has it: a
   * `ping` (answer it with `pong`), then the agent's reply streamed as `token`
   * messages before the `reply` itself. Default false.
   */
  mixed?: boolean;
}

/** One delivery to an agent. */
export interface CkgDelivery {
  readonly eventId: string;
  readonly agentId: string;
  readonly transport: "http" | "ws";
}

/** A running CKG Relay peer. */
export interface CkgRelayPeer extends Peer<CkgRelayFault> {
  /** `http://127.0.0.1:<port>`; POST events to `/v1/events`. */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/v1/ws`; add `?token=` when the peer has a token. */
  readonly wsUrl: string;
  /** Every delivery, in order. */
  readonly deliveries: readonly CkgDelivery[];
  /** Deliveries per `event_id`: a value above 1 is a duplicate. */
  readonly delivered: ReadonlyMap<string, number>;
  /** Events answered AGENT_OFFLINE. */
  readonly offlineAnswers: number;
  /** The `event_id` of every event received, over either transport, whatever the answer (undefined when it had none). */
  readonly eventIds: readonly (string | undefined)[];
  /** `pong` messages received over WebSocket. */
  readonly pongs: number;
  /** True while every agent is offline (besides any window). */
  offline: boolean;
  /** Takes every agent offline from `fromMs` until `toMs`, read against `now()`. */
  offlineDuring(fromMs: number, toMs: number): void;
}

const entryOf = (code: CkgRelayCode) => catalog.find((e) => e.code === code);

/** The documented error message for a code, built by the package's `toWire()`. */
function errorMessage(code: CkgRelayCode, message?: string, eventId?: string, retryAfterSeconds?: number) {
  const entry = entryOf(code);
  const error = new CkgRelayError({
    code,
    message: message ?? entry?.summary ?? code,
    status: entry?.status,
    retryable: entry?.retryable ?? "no",
    action: entry?.action ?? "abort",
    known: entry !== undefined,
    eventId,
  });
  // The peer sends its message as given: an error's own message is display text, cut to core's DISPLAY_CAP.
  const wire = message === undefined ? error.toWire() : { ...error.toWire(), message };
  return retryAfterSeconds === undefined ? wire : { ...wire, retry_after: retryAfterSeconds };
}

/**
 * Starts CKG Relay on 127.0.0.1 (OS-chosen port), over HTTP (`POST /v1/events`)
 * and WebSocket (`/v1/ws`). An event needs `agent_id`, `thread_id` and an
 * object `payload` (else INVALID_MESSAGE) and at most 65,536 bytes of JSON
 * (else PAYLOAD_TOO_LARGE); while the agent is offline it gets AGENT_OFFLINE;
 * otherwise it is delivered, logged by its `event_id`, and answered with
 * `{"type":"reply","event_id":...}`. WebSocket `ping` gets `pong`. Faults: every
 * catalog code (status from the catalog over HTTP), `retry-after` (429
 * RATE_LIMITED with `Retry-After` over HTTP, `retry_after` seconds in the
 * message over WebSocket), and the shared network faults.
 */
export async function startCkgRelayPeer(options: CkgRelayPeerOptions = {}): Promise<CkgRelayPeer> {
  const core = new PeerCore<CkgRelayFault>(options);
  const now = options.now ?? Date.now;
  const deliveries: CkgDelivery[] = [];
  const delivered = new Map<string, number>();
  const windows: [number, number][] = [];
  let offline = false;
  let offlineAnswers = 0;
  let generated = 0;
  let pongs = 0;
  const eventIds: (string | undefined)[] = [];
  const record = (text: string) => {
    const id = prop(tryJson(text), "event_id");
    eventIds.push(typeof id === "string" ? id : undefined);
  };

  type Outcome = { readonly reply: object } | { readonly code: CkgRelayCode; readonly message: string };

  function handleEvent(text: string, transport: CkgDelivery["transport"]): Outcome {
    if (Buffer.byteLength(text) > MAX_EVENT_BYTES)
      return { code: "PAYLOAD_TOO_LARGE", message: `Event payload exceeds 64KB` };
    const event = tryJson(text);
    const agentId = prop(event, "agent_id");
    const threadId = prop(event, "thread_id");
    const payload = prop(event, "payload");
    if (
      typeof agentId !== "string" ||
      agentId.trim() === "" ||
      typeof threadId !== "string" ||
      threadId.trim() === "" ||
      typeof payload !== "object" ||
      payload === null ||
      Array.isArray(payload)
    )
      return { code: "INVALID_MESSAGE", message: "Message malformed or missing fields" };
    if (options.agents !== undefined && !options.agents.includes(agentId))
      return { code: "AGENT_NOT_FOUND", message: `Agent ${agentId} does not exist` };
    const t = now();
    if (offline || windows.some(([from, to]) => t >= from && t < to)) {
      offlineAnswers++;
      return { code: "AGENT_OFFLINE", message: "Agent is offline" };
    }
    const given = prop(event, "event_id");
    const eventId = typeof given === "string" ? given : `evt_${++generated}`;
    deliveries.push({ eventId, agentId, transport });
    delivered.set(eventId, (delivered.get(eventId) ?? 0) + 1);
    return { reply: { type: "reply", event_id: eventId, thread_id: threadId, payload: { received: true } } };
  }

  const server = createServer(async (req, res) => {
    core.requests++;
    const raw = await readBody(req).catch(() => undefined);
    const text = raw === undefined ? "" : raw.toString("utf8");
    record(text);
    const eventId = () => {
      const id = prop(tryJson(text), "event_id");
      return typeof id === "string" ? id : undefined;
    };
    const error = (code: CkgRelayCode, message?: string, headers: Record<string, string> = {}): Answer =>
      json(entryOf(code)?.status ?? 500, errorMessage(code, message, eventId()), headers);
    await answer(core, res, core.next(), {
      cap: 1024 * 1024,
      error,
      retryAfter: (seconds) => error("RATE_LIMITED", "Event rate limit exceeded", { "retry-after": String(seconds) }),
      process: () => {
        const path = new URL(req.url ?? "/", "http://x").pathname;
        if (req.method !== "POST" || path !== "/v1/events")
          return json(404, { type: "error", code: "NOT_FOUND", message: `No route ${req.method} ${path}` });
        const outcome = handleEvent(text, "http");
        return "reply" in outcome ? json(200, outcome.reply) : error(outcome.code, outcome.message);
      },
    }).catch(() => res.destroy());
  });
  server.on("connection", (socket) => core.track(socket));

  const { socketOf } = attachWebSocketServer(
    server,
    (ws, req) => {
      const token = new URL(req.url ?? "/", "http://x").searchParams.get("token");
      if (options.token !== undefined && token !== options.token) {
        ws.close(CkgRelayCloseCode.BAD_AGENT_TOKEN, "Bad agent token");
        return;
      }
      ws.on("message", (data) => {
        const text = String(data);
        const msg = tryJson(text);
        // A pong answers the relay's own ping: traffic, not a request.
        if (prop(msg, "type") === "pong") {
          pongs++;
          return;
        }
        core.requests++;
        if (prop(msg, "type") !== "ping") record(text);
        const id = prop(msg, "event_id");
        const eventId = typeof id === "string" ? id : undefined;
        const error = (code: CkgRelayCode, message?: string) => JSON.stringify(errorMessage(code, message, eventId));
        // Live traffic: the relay's ping, and the reply streamed as tokens before it arrives whole.
        const chatter = (reply?: object) => {
          if (!options.mixed || ws.readyState !== ws.OPEN) return;
          ws.send(JSON.stringify({ type: "ping" }));
          if (reply === undefined) return;
          for (const token of ["Hel", "lo", "!"]) ws.send(JSON.stringify({ type: "token", event_id: eventId, token }));
        };
        const answers: WsAnswers<CkgRelayCode> = {
          process: () => {
            if (prop(msg, "type") === "ping") return JSON.stringify({ type: "pong" });
            const outcome = handleEvent(text, "ws");
            chatter("reply" in outcome ? outcome.reply : undefined);
            return "reply" in outcome ? JSON.stringify(outcome.reply) : error(outcome.code, outcome.message);
          },
          error,
          retryAfter: (seconds) =>
            JSON.stringify(errorMessage("RATE_LIMITED", "Event rate limit exceeded", eventId, seconds)),
          garbage: (bytes) => bytes,
          oversized: (bytes) => error("RELAY_INTERNAL_ERROR", "x".repeat(bytes ?? 2 * 1024 * 1024)),
          sample: () => error("AGENT_OFFLINE", "Agent is offline"),
        };
        answerWs(core, ws, socketOf(ws), core.next(), answers);
      });
    },
    "/v1/ws",
  );

  const port = await listen(server);
  return peerHandle(core, server, port, {
    url: `http://${LOOPBACK}:${port}`,
    wsUrl: `ws://${LOOPBACK}:${port}/v1/ws`,
    deliveries,
    delivered,
    get offlineAnswers() {
      return offlineAnswers;
    },
    eventIds,
    get pongs() {
      return pongs;
    },
    get offline() {
      return offline;
    },
    set offline(value: boolean) {
      offline = value;
    },
    offlineDuring: (fromMs: number, toMs: number) => {
      windows.push([fromMs, toMs]);
    },
  });
}
