// A Tryll-style TCP server (node:net): length-prefixed FlatBuffers frames in
// both directions, answers optionally cut into seeded random chunks.
import { createServer } from "node:net";
import { catalog, MAX_FRAME_BYTES, parseError, type TryllCode } from "@wirefault/tryll";
import { encodeErrorFrame, encodeTurnCompleteFrame, FrameReader, TurnStatus } from "@wirefault/tryll/frame";
import { type Fault, LOOPBACK, listen, type Peer, PeerCore, type PeerOptions, peerHandle, seeded } from "./shared.js";

/**
 * A fault of the Tryll peer. Besides the shared ones: `turn-failed` answers a
 * `TurnComplete` with status Error (how inference errors also arrive), and
 * `garbage` is framed by default (a correct length prefix around bytes whose
 * FlatBuffers root points outside the frame) or, with `framed: false`, raw
 * bytes that desynchronise the stream. Tryll has no retry-after hint.
 */
export type TryllFault =
  | Exclude<Fault<TryllCode>, { kind: "retry-after" } | { kind: "garbage" }>
  | { readonly kind: "garbage"; readonly bytes?: number; readonly framed?: boolean }
  | { readonly kind: "turn-failed"; readonly message?: string };

/** How answers are cut before writing: chunks of 1..`maxChunk` bytes, each its own write on its own event-loop turn. */
export interface SplitOptions {
  readonly maxChunk: number;
  /** Seed of the chunk sizes. Default 7. */
  readonly seed?: number;
}

/** Options of {@link startTryllPeer}. */
export interface TryllPeerOptions extends PeerOptions {
  /** Cut every answer into random chunks. Default: each answer is one write. */
  split?: SplitOptions;
  /**
   * Answer as a live server does within a session: every answer echoes the
   * request's own request_id, read from its body, and a 3004 AgentBusy is
   * followed by the TurnComplete of the turn the agent was busy with. Default false.
   */
  live?: boolean;
}

/** A running Tryll peer. */
export interface TryllPeer extends Peer<TryllFault> {
  /** `tcp://127.0.0.1:<port>`, for display; connect with `{ host, port }`. */
  readonly url: string;
  /** Frames written, whole or cut, by kind. */
  readonly sent: { readonly frames: number; readonly errors: number; readonly garbage: number; readonly bytes: number };
  /** Chunk splitting of answers; set to undefined to write whole answers. */
  split: SplitOptions | undefined;
  /** The request_id of every request received, in order: read from the body with `live`, else its number on the connection. */
  readonly requestIds: readonly bigint[];
}

/** A length prefix (4 bytes, little-endian) followed by `body`. */
export function lengthPrefixed(body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + body.byteLength);
  new DataView(frame.buffer).setUint32(0, body.byteLength, true);
  frame.set(body, 4);
  return frame;
}

const entryOf = (code: TryllCode) => catalog.find((e) => e.code === code);

/**
 * Starts a Tryll server on 127.0.0.1 (OS-chosen port). Each length-prefixed
 * frame the client sends is one request (bodies are not decoded); request n of
 * a connection is answered with a successful `TurnComplete` whose request_id
 * is n, or with the planned fault: every catalog code as an `ErrorResponse`
 * built by `encodeErrorFrame`, a failed turn, framed or raw garbage, a length
 * prefix over 1 MiB, a frame cut in the middle then a dropped connection, or
 * a FIN. A client frame whose prefix is over 1 MiB gets 5003 FrameTooLarge and
 * the connection is closed.
 *
 * With `live`, request bodies are still not FlatBuffers-decoded: by the
 * testkit's convention, a body of at least 8 bytes starts with its request_id
 * (uint64, little-endian), which every answer echoes; a shorter body's
 * request_id is its number on the connection. A 3004 AgentBusy is followed,
 * on the next turn of the event loop, by the `TurnComplete` of the turn the
 * agent was busy with (request_id 0, agent 1), as the server sends it when
 * that turn ends.
 */
export async function startTryllPeer(options: TryllPeerOptions = {}): Promise<TryllPeer> {
  const core = new PeerCore<TryllFault>(options);
  let split = options.split;
  const sent = { frames: 0, errors: 0, garbage: 0, bytes: 0 };
  const requestIds: bigint[] = [];

  const server = createServer((socket) => {
    core.track(socket);
    socket.setNoDelay(true);
    const reader = new FrameReader();
    let chunkSize: (() => number) | undefined;
    const queue: Uint8Array[] = [];
    let writing = false;
    let n = 0;

    // Writes in order; with splitting, one chunk per tick so that the client receives the pieces apart.
    const pump = () => {
      const next = queue.shift();
      if (next === undefined || socket.destroyed) {
        queue.length = 0;
        writing = false;
        return;
      }
      socket.write(next);
      core.soon(pump);
    };
    const write = (bytes: Uint8Array) => {
      sent.bytes += bytes.byteLength;
      if (split === undefined) {
        queue.push(bytes);
      } else {
        chunkSize ??= seeded(split.seed ?? 7);
        for (let at = 0; at < bytes.byteLength; ) {
          const size = 1 + Math.floor(chunkSize() * split.maxChunk);
          queue.push(bytes.subarray(at, at + size));
          at += size;
        }
      }
      if (!writing) {
        writing = true;
        pump();
      }
    };
    const whenWritten = (then: () => void) => {
      // Polls until the queue is written; stops if the socket is gone (and the peer's close cancels it anyway).
      const check = () => {
        if (socket.destroyed) return;
        if (queue.length === 0 && !writing) then();
        else core.later(1, check);
      };
      check();
    };

    const half = (requestId: number | bigint) => {
      const frame = encodeErrorFrame({ code: 2001, message: "Server is shutting down", requestId });
      return frame.subarray(0, frame.byteLength >> 1);
    };

    const respond = (fault: TryllFault | undefined, requestId: number | bigint) => {
      if (fault === undefined || fault.kind === "none") {
        sent.frames++;
        return write(
          encodeTurnCompleteFrame({ requestId, agentId: 1, status: TurnStatus.Success, tokensGenerated: 3 }),
        );
      }
      switch (fault.kind) {
        case "error": {
          sent.frames++;
          sent.errors++;
          const message = fault.message ?? entryOf(fault.code)?.summary ?? String(fault.code);
          write(encodeErrorFrame(parseError({ code: fault.code, message, request_id: requestId, agent_id: 1 })));
          // The agent was busy with another turn: its TurnComplete follows when that turn ends.
          if (fault.code === 3004 && options.live)
            core.soon(() =>
              write(
                encodeTurnCompleteFrame({ requestId: 0, agentId: 1, status: TurnStatus.Success, tokensGenerated: 5 }),
              ),
            );
          return;
        }
        case "turn-failed":
          sent.frames++;
          sent.errors++;
          return write(
            encodeErrorFrame({ code: 4001, message: fault.message ?? "", requestId, agentId: 1, turnLocal: true }),
          );
        case "slow":
          core.later(fault.delayMs, () => respond(fault.then as TryllFault | undefined, requestId));
          return;
        case "hang":
          if (fault.partial) write(half(requestId));
          return;
        case "drop":
          write(half(requestId));
          return whenWritten(() => socket.destroy());
        case "garbage": {
          sent.garbage++;
          // A frame carries at least a message's 12 bytes; shorter would stop the reader, not test the decoder.
          const body = core.garbage(Math.max(12, fault.bytes ?? 64));
          if (fault.framed === false) return write(body);
          // A root offset past the end: no decoder may read this as a message.
          new DataView(body.buffer, body.byteOffset).setUint32(0, 0xffff_ff00, true);
          return write(lengthPrefixed(body));
        }
        case "oversized": {
          const prefix = new Uint8Array(4);
          new DataView(prefix.buffer).setUint32(0, fault.bytes ?? MAX_FRAME_BYTES + 1, true);
          return write(prefix);
        }
        case "close":
          return whenWritten(() => socket.end());
      }
    };

    socket.on("data", (chunk) => {
      for (const frame of reader.push(chunk)) {
        core.requests++;
        n++;
        const id =
          options.live && frame.byteLength >= 12
            ? new DataView(frame.buffer, frame.byteOffset).getBigUint64(4, true)
            : BigInt(n);
        requestIds.push(id);
        respond(core.next(), id);
      }
      if (reader.error) {
        write(encodeErrorFrame({ code: 5003, message: "Frame exceeds the negotiated 1 MiB maximum", requestId: 0 }));
        whenWritten(() => socket.end());
      }
    });
  });

  const port = await listen(server);
  return peerHandle(core, server, port, {
    url: `tcp://${LOOPBACK}:${port}`,
    sent,
    requestIds,
    get split() {
      return split;
    },
    set split(value: SplitOptions | undefined) {
      split = value;
    },
  });
}
