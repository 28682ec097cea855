// An Atlas-style endpoint over WebSocket binary messages: each message is a
// frame-type byte, then a MessagePack body. Errors are 0xE0 ErrorMessage frames.
import { createServer } from "node:http";
import { decode, encode } from "@msgpack/msgpack";
import { type AtlasCode, catalog, ERROR_MESSAGE_FRAME_TYPE, MAX_PAYLOAD_SIZE, parseError } from "@wirefault/atlas";
import { encodeErrorMessage } from "@wirefault/atlas/msgpack";
import { type Fault, LOOPBACK, listen, type Peer, PeerCore, type PeerOptions, peerHandle, prop } from "./shared.js";
import { answerWs, attachWebSocketServer, type WsAnswers } from "./ws.js";

/**
 * Frame type of an ordinary AtlasMessage (acks, `zone.error` replies). The
 * page gives no number for it; this is the testkit's own convention.
 */
export const ATLAS_MESSAGE_FRAME_TYPE = 0x01;

/** A fault of the Atlas peer; Atlas has no retry-after hint on the wire. */
export type AtlasFault = Exclude<Fault<AtlasCode>, { kind: "retry-after" }>;

/** Options of {@link startAtlasPeer}. */
export interface AtlasPeerOptions extends PeerOptions {
  /** Ordinary traffic before every answer: a `zone.update` broadcast that answers no message. Default false. */
  mixed?: boolean;
}

/** A running Atlas peer. */
export interface AtlasPeer extends Peer<AtlasFault> {
  /** `ws://127.0.0.1:<port>`: send binary messages `[frameType, ...msgpack({ msg_id, ... })]`. */
  readonly url: string;
  /** Messages acknowledged (answered without a fault). */
  readonly acked: number;
  /** The `msg_id` of every message received, in order (undefined when it had none). */
  readonly msgIds: readonly (string | undefined)[];
}

/** Prefixes a MessagePack body with its frame type. */
export function atlasFrame(frameType: number, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(body.byteLength + 1);
  frame[0] = frameType;
  frame.set(body, 1);
  return frame;
}

/**
 * Starts an Atlas endpoint on 127.0.0.1 (OS-chosen port). Every binary message
 * `[frameType][msgpack { msg_id }]` is acknowledged with
 * `[0x01][msgpack { type: "ack", ref_msg_id }]`. Faults: every catalog code;
 * wire codes come as `[0xE0][ErrorMessage]` with `ref_msg_id`, zone codes as
 * `[0x01][zone.error]` with `request_id`, both encoded by the package's
 * `encodeErrorMessage`; `garbage` is 0xE0 followed by random bytes;
 * `oversized` a 0xE0 payload one byte over MAX_PAYLOAD_SIZE (4 MB).
 */
export async function startAtlasPeer(options: AtlasPeerOptions = {}): Promise<AtlasPeer> {
  const core = new PeerCore<AtlasFault>(options);
  let acked = 0;
  const msgIds: (string | undefined)[] = [];
  const server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket only");
  });
  server.on("connection", (socket) => core.track(socket));
  const { socketOf } = attachWebSocketServer(server, (ws) => {
    ws.on("message", (data) => {
      core.requests++;
      const bytes = new Uint8Array(data as Buffer);
      let msgId: string | undefined;
      try {
        const id = prop(decode(bytes.subarray(1)), "msg_id");
        msgId = typeof id === "string" ? id : undefined;
      } catch {
        msgId = undefined;
      }
      msgIds.push(msgId);
      // Live traffic: other members' updates arrive between a message and its answer.
      if (options.mixed && ws.readyState === ws.OPEN)
        ws.send(atlasFrame(ATLAS_MESSAGE_FRAME_TYPE, encode({ type: "zone.update", zone: "z1", members: 3 })), {
          binary: true,
        });
      const error = (code: AtlasCode, message?: string): Uint8Array => {
        const entry = catalog.find((e) => e.code === code);
        const text = message ?? entry?.summary ?? String(code);
        if (typeof code === "number")
          return atlasFrame(
            ERROR_MESSAGE_FRAME_TYPE,
            encodeErrorMessage(
              msgId === undefined ? { code, message: text } : { code, message: text, ref_msg_id: msgId },
            ),
          );
        const zone = parseError(
          msgId === undefined
            ? { type: "zone.error", code, message: text }
            : { type: "zone.error", request_id: msgId, code, message: text },
        );
        return atlasFrame(ATLAS_MESSAGE_FRAME_TYPE, encodeErrorMessage(zone));
      };
      const answers: WsAnswers<AtlasCode> = {
        process: () => {
          acked++;
          return atlasFrame(ATLAS_MESSAGE_FRAME_TYPE, encode({ type: "ack", ref_msg_id: msgId ?? null }));
        },
        error,
        retryAfter: () => error(4001),
        garbage: (random) => atlasFrame(ERROR_MESSAGE_FRAME_TYPE, random),
        oversized: (size) => atlasFrame(ERROR_MESSAGE_FRAME_TYPE, new Uint8Array(size ?? MAX_PAYLOAD_SIZE + 1)),
        sample: () => error(5001, "internal error"),
      };
      answerWs(core, ws, socketOf(ws), core.next(), answers);
    });
  });
  const port = await listen(server);
  return peerHandle(core, server, port, {
    url: `ws://${LOOPBACK}:${port}`,
    get acked() {
      return acked;
    },
    msgIds,
  });
}
