// What every loopback peer shares: the fault vocabulary, the planned-fault
// queue, request counting, seeded garbage, and a teardown that leaves no
// socket or timer behind.
import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { AddressInfo, Server as NetServer, Socket } from "node:net";
import { seededRandom } from "@wirefault/test-utils";

/** The only address peers bind to. */
export const LOOPBACK = "127.0.0.1";

/**
 * A fault a peer injects into one answer. `C` is the protocol's code type.
 *
 * - `none`: a normal answer; lets a plan interleave normal answers with faults.
 * - `error`: the documented error for `code`, built with the package's own wire builder.
 * - `slow`: waits `delayMs` of real time, then answers normally (or with `then`).
 * - `hang`: reads the request and never answers, until the client gives up or the peer closes.
 *   With `partial: true` it first sends part of an answer (HTTP headers and half the body, half a
 *   WebSocket frame, half a length-prefixed frame), then stalls mid-body / mid-frame.
 * - `drop`: starts the answer (HTTP headers, a WebSocket frame header, a length prefix),
 *   sends part of its body, then destroys the connection. With `after: true` the request
 *   is processed first, so the work is done but its answer is lost.
 * - `garbage`: random bytes (seeded) where an answer belongs.
 * - `oversized`: an answer over the protocol's size cap.
 * - `retry-after`: a rate-limit answer asking the client to wait `seconds` (HTTP `Retry-After`,
 *   or the protocol's own field).
 * - `close`: ends the connection without an answer: a WebSocket close `code` (1006 is a bare
 *   TCP teardown with no close frame), a TCP FIN, or an HTTP connection reset.
 */
export type Fault<C> =
  | { readonly kind: "none" }
  | { readonly kind: "error"; readonly code: C; readonly message?: string }
  | { readonly kind: "slow"; readonly delayMs: number; readonly then?: Fault<C> }
  | { readonly kind: "hang"; readonly partial?: boolean }
  | { readonly kind: "drop"; readonly after?: boolean }
  | { readonly kind: "garbage"; readonly bytes?: number }
  | { readonly kind: "oversized"; readonly bytes?: number }
  | { readonly kind: "retry-after"; readonly seconds: number }
  | { readonly kind: "close"; readonly code?: number; readonly reason?: string };

/** Every fault kind, for a loop that injects each one. */
export const FAULT_KINDS = [
  "none",
  "error",
  "slow",
  "hang",
  "drop",
  "garbage",
  "oversized",
  "retry-after",
  "close",
] as const;

/** One `error` fault per catalog entry, in catalog order: iterate a package's `catalog`, never a hand list. */
export function errorFaults<T extends readonly object[]>(
  entries: T,
): { readonly kind: "error"; readonly code: CodeOf<T[number]> }[] {
  return entries.map((entry) => ({ kind: "error", code: (entry as { code: CodeOf<T[number]> }).code }));
}

/** The `code` of a catalog entry type. */
export type CodeOf<E> = E extends { readonly code: infer C } ? C : never;

/** What every peer handle offers. `F` is the peer's fault type. */
export interface Peer<F> {
  /** Always 127.0.0.1. */
  readonly host: string;
  /** The port the OS chose. */
  readonly port: number;
  /** Requests received so far: HTTP requests, WebSocket messages or TCP frames, counted by the peer itself. */
  readonly requests: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Faults injected so far (planned and standing). */
  readonly faultsInjected: number;
  /** A standing fault applied to every request while set; planned faults go first. */
  fault: F | undefined;
  /** Queues one-shot faults for the next requests, in order. */
  plan(...faults: F[]): void;
  /** Zeroes `requests`, `connections` and `faultsInjected`, and forgets planned faults. */
  resetCounters(): void;
  /** Stops listening, destroys every open connection and cancels every pending timer. */
  close(): Promise<void>;
}

/** Options every peer takes. */
export interface PeerOptions {
  /** Seed of the garbage generator, for reproducible bytes. Default 1. */
  seed?: number;
}

/** A small seeded source in [0, 1): the one the tests use too. */
export const seeded = seededRandom;

/** `n` seeded random bytes. */
export function randomBytes(random: () => number, n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/**
 * The bookkeeping behind {@link Peer}: counters, the fault queue, and every
 * socket and timer, so that `close()` leaves nothing running.
 */
export class PeerCore<F extends { readonly kind: string }> {
  requests = 0;
  connections = 0;
  faultsInjected = 0;
  fault: F | undefined;
  readonly random: () => number;
  readonly #queue: F[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #immediates = new Set<ReturnType<typeof setImmediate>>();
  #closing = false;

  constructor(options: PeerOptions = {}) {
    this.random = seeded(options.seed ?? 1);
  }

  get closing(): boolean {
    return this.#closing;
  }

  plan(faults: readonly F[]): void {
    this.#queue.push(...faults);
  }

  /** The fault for the next request, counted; undefined for a normal answer. */
  next(): F | undefined {
    const fault = this.#queue.length > 0 ? this.#queue.shift() : this.fault;
    if (fault === undefined || fault.kind === "none") return undefined;
    this.faultsInjected++;
    return fault;
  }

  resetCounters(): void {
    this.requests = 0;
    this.connections = 0;
    this.faultsInjected = 0;
    this.#queue.length = 0;
  }

  /** Tracks a socket so that `close()` can destroy it. */
  track(socket: Socket): void {
    this.connections++;
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
    // A client that vanishes mid-write must not crash the peer.
    socket.on("error", () => {});
  }

  /** A timer that `close()` cancels. */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closing) fn();
    }, ms);
    this.#timers.add(timer);
  }

  /** Runs `fn` on the next turn of the event loop, unless the peer closes first. */
  soon(fn: () => void): void {
    const immediate = setImmediate(() => {
      this.#immediates.delete(immediate);
      if (!this.#closing) fn();
    });
    this.#immediates.add(immediate);
  }

  garbage(n = 64): Uint8Array {
    return randomBytes(this.random, n);
  }

  /** Closes the listener, every socket and every timer. */
  async close(server: HttpServer | NetServer): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const immediate of this.#immediates) clearImmediate(immediate);
    this.#immediates.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }
}

/** Builds a peer's handle: the shared fields as live getters, plus the peer's own `extra` (getters kept). */
export function peerHandle<F extends { readonly kind: string }, X extends object>(
  core: PeerCore<F>,
  server: HttpServer | NetServer,
  port: number,
  extra: X,
): Peer<F> & X {
  const base: Peer<F> = {
    host: LOOPBACK,
    port,
    get requests() {
      return core.requests;
    },
    get connections() {
      return core.connections;
    },
    get faultsInjected() {
      return core.faultsInjected;
    },
    get fault() {
      return core.fault;
    },
    set fault(fault) {
      core.fault = fault;
    },
    plan: (...faults) => core.plan(faults),
    resetCounters: () => core.resetCounters(),
    close: () => core.close(server),
  };
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(extra)) as Peer<F> & X;
}

/** Binds a server to 127.0.0.1 on a port the OS chooses, and returns the port. */
export async function listen(server: HttpServer | NetServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Reads a request body, up to `limit` bytes; undefined when it is longer. */
export async function readBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses JSON, or gives undefined. */
export function tryJson(text: string | Buffer): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return undefined;
  }
}

/** The own property `key` of a plain object, else undefined. */
export function prop(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
