// A Teale relay over WebSocket: register, discover and forwarding, with the
// open-source relay's error frames and messages, and faults on demand.
import { createServer } from "node:http";
import { MAX_BYTES, parseError, REPLACED_BY_NEWER_SESSION, type RelayCode } from "@wirefault/teale-relay";
import type { WebSocket } from "ws";
import {
  type Fault,
  LOOPBACK,
  listen,
  type Peer,
  PeerCore,
  type PeerOptions,
  peerHandle,
  prop,
  tryJson,
} from "./shared.js";
import { answerWs, attachWebSocketServer, type Outgoing, type WsAnswers } from "./ws.js";

/** A fault of the Teale relay peer. */
export type TealeRelayFault = Fault<RelayCode>;

/** Options of {@link startTealeRelayPeer}. */
export interface TealeRelayPeerOptions extends PeerOptions {
  /** Minimum time between two discovers of one node, as the relay documents. Default 10 000 ms. */
  discoverIntervalMs?: number;
  /**
   * Ordinary traffic around every answer, as a live relay has it: after each
   * `registerAck`, a `peerJoined` per provider and a `relayData` of
   * `relayDataBytes` from one, sent as WebSocket fragments. Default false.
   */
  mixed?: boolean;
  /** Size of the `relayData` the mixed traffic carries, up to 8 MiB. Default 1 MiB. */
  relayDataBytes?: number;
  /**
   * Provider nodes living inside the relay: each is registered from the start,
   * answers an `offer` with an `answer` and echoes `relayData` back. Default none.
   */
  providers?: readonly string[];
}

/** A running Teale relay peer. */
export interface TealeRelayPeer extends Peer<TealeRelayFault> {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  /** Node ids registered right now, providers included. */
  readonly nodes: readonly string[];
  /** Every message the relay received, decoded, in order (`null` for one that was not JSON). */
  readonly received: readonly unknown[];
  /** A provider leaves and comes back under a new id, as a restarted node does; clients are told with `peerJoined` when `mixed`. */
  restartProvider(nodeID: string, newNodeID: string): void;
}

const FORWARDED = new Set(["offer", "answer", "iceCandidate", "relayOpen", "relayReady", "relayData", "relayClose"]);
const REGISTER_FIELDS = ["nodeID", "publicKey", "capabilities", "signature"] as const;
// registerAck's registeredAt: float seconds since 2001-01-01 (Apple's reference date).
const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);

/** A relay error frame for `code`, built by the package: `parseError(frame).toWire()`. */
function errorFrame(code: RelayCode, message: string, retryAfterSeconds?: number): string {
  const error = retryAfterSeconds === undefined ? { code, message } : { code, message, retryAfterSeconds };
  return JSON.stringify(parseError({ error }).toWire());
}

/** The relay's own message for each code, from the field notes. */
function defaultMessage(code: RelayCode): string {
  switch (code) {
    case "peer_not_found":
      return "Peer undefined is not connected";
    case "invalid_json":
      return "Could not decode relay message";
    case "invalid_message":
      return "Empty relay message";
    case "invalid_register":
      return "Missing nodeID in register payload";
    case "rate_limited":
      return "Discover rate limited, retry after 8s";
    case "unsupported_message":
      return "Unsupported relay message: unknown";
  }
}

/**
 * Starts a Teale relay on 127.0.0.1 (OS-chosen port). It answers as the
 * open-source relay does: `registerAck`, `discoverResponse`, forwarding to a
 * registered `toNodeID`, and the documented error frames (`invalid_json`,
 * `invalid_message`, `unsupported_message`, `invalid_register`,
 * `peer_not_found`, `rate_limited` with `retryAfterSeconds`). A re-register
 * closes the older socket with 1012 `Replaced by newer session`.
 */
export async function startTealeRelayPeer(options: TealeRelayPeerOptions = {}): Promise<TealeRelayPeer> {
  const core = new PeerCore<TealeRelayFault>(options);
  const interval = options.discoverIntervalMs ?? 10_000;
  const nodes = new Map<string, WebSocket>();
  const providers = new Set(options.providers ?? []);
  const received: unknown[] = [];
  const relayDataBytes = Math.min(options.relayDataBytes ?? 1024 * 1024, 8 * 1024 * 1024);

  /** What a provider living inside the relay sends back to `from`, for a forwarded message. */
  function provide(provider: string, kind: string, body: unknown, from: WebSocket | undefined): void {
    if (from === undefined || from.readyState !== from.OPEN) return;
    const fromNodeID = provider;
    if (kind === "offer") from.send(JSON.stringify({ answer: { fromNodeID, sdp: "v=0 answer" } }));
    else if (kind === "relayData") from.send(JSON.stringify({ relayData: { ...(body as object), fromNodeID } }));
    else if (kind === "relayOpen") from.send(JSON.stringify({ relayReady: { fromNodeID } }));
  }

  /** The ordinary traffic a client sees around its answers. */
  function chatter(ws: WebSocket): void {
    if (!options.mixed) return;
    for (const nodeID of providers) ws.send(JSON.stringify({ peerJoined: { nodeID } }));
    const [from] = providers;
    if (from === undefined) return;
    // A large message arrives in fragments: ws then hands it over as Buffer[] with binaryType "fragments".
    const text = JSON.stringify({ relayData: { fromNodeID: from, data: "x".repeat(relayDataBytes) } });
    const payload = Buffer.from(text);
    const step = 64 * 1024;
    for (let at = 0; at < payload.byteLength; at += step)
      ws.send(payload.subarray(at, at + step), { binary: false, fin: at + step >= payload.byteLength });
  }
  const lastDiscover = new Map<string | WebSocket, number>();
  const server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket only");
  });
  server.on("connection", (socket) => core.track(socket));

  const { socketOf } = attachWebSocketServer(server, (ws) => {
    let self: string | undefined;
    ws.on("close", () => {
      if (self !== undefined && nodes.get(self) === ws) nodes.delete(self);
    });
    ws.on("message", (data, isBinary) => {
      core.requests++;
      const text = isBinary ? Buffer.from(data as Buffer).toString("utf8") : String(data);
      received.push(tryJson(text) ?? null);
      const answers: WsAnswers<RelayCode> = {
        process: () => {
          const result = handle(text);
          if (result.register !== undefined) {
            self = result.register;
            if (result.reply !== undefined) ws.send(result.reply);
            chatter(ws);
            return undefined;
          }
          return result.reply;
        },
        error: (code, message) => errorFrame(code, message ?? defaultMessage(code)),
        retryAfter: (seconds) => errorFrame("rate_limited", `Discover rate limited, retry after ${seconds}s`, seconds),
        garbage: (bytes) => bytes,
        oversized: (bytes) =>
          // Over the relay's own limit (Bun's 16 MiB), which the package's cap matches.
          JSON.stringify({ error: { code: "invalid_message", message: "x".repeat(bytes ?? MAX_BYTES + 1) } }),
        sample: () => errorFrame("peer_not_found", "Peer 0123456789abcdef is not connected"),
      };
      answerWs(core, ws, socketOf(ws), core.next(), answers);
    });

    function handle(text: string): { reply?: Outgoing; register?: string } {
      if (text.trim() === "null") {
        // The real relay crashes on `null`; its clients see 1006 and no error frame.
        ws.terminate();
        return {};
      }
      const msg = tryJson(text);
      if (msg === undefined) return { reply: errorFrame("invalid_json", defaultMessage("invalid_json")) };
      if (typeof msg === "string") return { reply: errorFrame("unsupported_message", "Unsupported relay message: 0") };
      if (typeof msg !== "object" || msg === null || Array.isArray(msg) || Object.keys(msg).length === 0)
        return { reply: errorFrame("invalid_message", defaultMessage("invalid_message")) };
      const kind = Object.keys(msg)[0] as string;
      const body = prop(msg, kind);
      if (kind === "register") {
        const missing = REGISTER_FIELDS.find((field) => prop(body, field) === undefined);
        if (missing) return { reply: errorFrame("invalid_register", `Missing ${missing} in register payload`) };
        const nodeID = String(prop(body, "nodeID"));
        const previous = nodes.get(nodeID);
        if (previous !== undefined && previous !== ws) previous.close(1012, REPLACED_BY_NEWER_SESSION);
        nodes.set(nodeID, ws);
        const registeredAt = (Date.now() - APPLE_EPOCH_MS) / 1000;
        return { reply: JSON.stringify({ registerAck: { nodeID, registeredAt, ttlSeconds: 300 } }), register: nodeID };
      }
      if (kind === "discover") {
        const key = self ?? ws; // per node, or per socket before it registers
        const wait = (lastDiscover.get(key) ?? Number.NEGATIVE_INFINITY) + interval - Date.now();
        if (wait > 0) {
          const seconds = Math.ceil(wait / 1000);
          return { reply: errorFrame("rate_limited", `Discover rate limited, retry after ${seconds}s`, seconds) };
        }
        lastDiscover.set(key, Date.now());
        const peers = [...nodes.keys(), ...providers].filter((id) => id !== self).map((nodeID) => ({ nodeID }));
        return { reply: JSON.stringify({ discoverResponse: { peers } }) };
      }
      if (FORWARDED.has(kind)) {
        const to = prop(body, "toNodeID");
        if (typeof to === "string" && providers.has(to)) {
          provide(to, kind, body, ws);
          return {};
        }
        const target = typeof to === "string" ? nodes.get(to) : undefined;
        if (target === undefined || target.readyState !== target.OPEN)
          return { reply: errorFrame("peer_not_found", `Peer ${String(to)} is not connected`) };
        target.send(JSON.stringify({ [kind]: { ...(body as object), fromNodeID: self } }));
        return {};
      }
      return { reply: errorFrame("unsupported_message", `Unsupported relay message: ${kind}`) };
    }
  });

  const port = await listen(server);
  return peerHandle(core, server, port, {
    url: `ws://${LOOPBACK}:${port}`,
    get nodes() {
      return [...nodes.keys(), ...providers];
    },
    received,
    restartProvider: (nodeID: string, newNodeID: string) => {
      providers.delete(nodeID);
      providers.add(newNodeID);
      if (options.mixed)
        for (const ws of nodes.values())
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ peerJoined: { nodeID: newNodeID } }));
    },
  });
}
