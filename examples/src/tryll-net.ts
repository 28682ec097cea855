import { connect, type Socket } from "node:net";
import { retry } from "@wirefault/core";
import { fromSocketError, parseError, type TryllError, TryllErrorCode } from "@wirefault/tryll";
import { decodeFrame, FrameReader, readTurnComplete, type TurnCompleteBody } from "@wirefault/tryll/frame";

/** What the app sends. Building each request is flatc's generated code; here a stand-in: its request_id, then its kind. */
export const Kind = { ConfigureSession: 1, CreateAgent: 2, Prompt: 3 } as const;

function frameOf(requestId: bigint, kind: number): Uint8Array {
  const frame = new Uint8Array(4 + 16); // at least the 12 bytes a message takes
  const view = new DataView(frame.buffer);
  view.setUint32(0, 16, true); // the length prefix
  view.setBigUint64(4, requestId, true);
  frame[12] = kind;
  return frame;
}

type Waiter = (frame: Uint8Array | TryllError) => void;

// One connection: each whole frame, or the error that ended the stream, goes to whoever waits on it.
class Connection {
  readonly #reader = new FrameReader();
  readonly #waiters = new Set<Waiter>();
  #ended: TryllError | undefined;
  // Turns ended per agent, counted as frames arrive: a TurnComplete read in the same chunk as a 3004 still counts.
  readonly #turnsEnded = new Map<bigint, number>();
  readonly #busyAt = new WeakMap<TryllError, number>();

  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk) => {
      for (const frame of this.#reader.push(chunk)) {
        const turn = readTurnComplete(frame);
        if (turn) this.#turnsEnded.set(turn.agent_id, (this.#turnsEnded.get(turn.agent_id) ?? 0) + 1);
        for (const waiter of [...this.#waiters]) waiter(frame);
      }
      // A length prefix over 1 MiB: this stream cannot be resynchronised, so nothing more is read from it.
      if (this.#reader.error) this.#end(this.#reader.error);
    });
    socket.on("error", (error) => this.#end(fromSocketError(error, { connected: true })));
    socket.on("close", () =>
      this.#end(parseError({ code: TryllErrorCode.ConnectionDropped, message: "Connection closed before the answer" })),
    );
  }

  static open(port: number, signal: AbortSignal): Promise<Connection> {
    const socket = connect({ host: "127.0.0.1", port, signal });
    return new Promise((resolve, reject) => {
      socket.once("connect", () => resolve(new Connection(socket)));
      socket.once("error", (error) => reject(fromSocketError(error, { connected: false }))); // 1001 ConnectionFailed
    });
  }

  #end(error: TryllError): void {
    if (this.#ended) return;
    this.#ended = error;
    this.socket.destroy();
    for (const waiter of [...this.#waiters]) waiter(error);
  }

  // Settles with what `match` takes from a frame, rejects with the error that ends the stream or an abort.
  next<T>(match: (frame: Uint8Array) => T | undefined, signal: AbortSignal): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.#ended) return reject(this.#ended);
      const done = (settle: () => void) => {
        this.#waiters.delete(waiter);
        signal.removeEventListener("abort", onAbort);
        settle();
      };
      const waiter: Waiter = (frame) => {
        if (!(frame instanceof Uint8Array)) return done(() => reject(frame));
        const value = match(frame);
        if (value !== undefined) done(() => resolve(value));
      };
      const onAbort = () => done(() => reject(signal.reason));
      this.#waiters.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  // Settles once the agent of a 3004 has ended a turn since that error arrived: the TurnComplete the page says to wait for.
  turnEnded(busy: TryllError, signal: AbortSignal): Promise<unknown> {
    const agent = busy.agentId ?? 0n;
    const since = this.#busyAt.get(busy) ?? 0;
    if ((this.#turnsEnded.get(agent) ?? 0) > since) return Promise.resolve();
    return this.next((frame) => (readTurnComplete(frame)?.agent_id === agent ? true : undefined), signal);
  }

  // Sends one request and settles with its TurnComplete, or rejects with its ErrorResponse or a failed turn.
  request(requestId: bigint, kind: number, signal: AbortSignal): Promise<TurnCompleteBody> {
    const answer = this.next((frame) => {
      const error = decodeFrame(frame); // undefined for traffic: a successful turn, a token…
      if (error !== undefined && (error.requestId === undefined || error.requestId === requestId)) {
        if (error.agentId !== undefined) this.#busyAt.set(error, this.#turnsEnded.get(error.agentId) ?? 0);
        return error;
      }
      if (error !== undefined) return undefined;
      const turn = readTurnComplete(frame);
      return turn?.request_id === requestId ? turn : undefined;
    }, signal);
    this.socket.write(frameOf(requestId, kind));
    return answer.then((result) => (result instanceof Error ? Promise.reject(result) : result));
  }
}

let ids = 0n;
const nextId = () => ++ids;

/**
 * Sends one prompt to an agent over `node:net` and settles with its turn. retry() performs
 * what each code asks: 1xxx reconnect (then configure and create the agent again), 2002 reset by
 * ConfigureSession, 3001/3002 reset by recreating the agent, 3004 wait for that agent's TurnComplete.
 * Every resend of the prompt carries the same request_id.
 */
export async function prompt(
  port: number,
  { signal = AbortSignal.timeout(30_000) }: { signal?: AbortSignal } = {},
): Promise<TurnCompleteBody> {
  const requestId = nextId();
  let conn: Connection | undefined;
  let configured = false;
  let agent = false;
  const setUp = async (c: Connection, s: AbortSignal) => {
    if (!configured) await c.request(nextId(), Kind.ConfigureSession, s);
    configured = true;
    if (!agent) await c.request(nextId(), Kind.CreateAgent, s);
    agent = true;
  };
  try {
    return await retry(
      async (_attempt, attemptSignal) => {
        conn ??= await Connection.open(port, attemptSignal);
        await setUp(conn, attemptSignal);
        return conn.request(requestId, Kind.Prompt, attemptSignal);
      },
      {
        signal,
        recover: {
          reconnect: () => {
            conn?.socket.destroy(); // session state went with the connection: set it all up again
            conn = undefined;
            configured = false;
            agent = false;
          },
          reset: async (error, { signal }) => {
            // 2002 SessionNotReady: send ConfigureSession; 3001/3002: the agent is gone, create it again.
            if ((error as TryllError).code === TryllErrorCode.SessionNotReady) configured = false;
            agent = false;
            if (conn) await setUp(conn, signal);
          },
          // 3004 AgentBusy: wait for that agent's TurnComplete, then the prompt goes again.
          wait: (error, { signal }) => conn?.turnEnded(error as TryllError, signal),
        },
      },
    );
  } finally {
    conn?.socket.destroy();
  }
}
