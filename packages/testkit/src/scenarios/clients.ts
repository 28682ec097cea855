// Thin clients for the scenarios: what an application would write around
// `ws` and `node:net`, with every wait bounded in time.
import { mkdirSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { FrameReader } from "@wirefault/tryll/frame";
import WebSocket from "ws";
import { lengthPrefixed } from "../peers/tryll.js";

/** What a WebSocket delivered next: a message, or the close. */
export type WsEvent =
  | { readonly type: "message"; readonly data: Buffer; readonly binary: boolean }
  | { readonly type: "close"; readonly code: number; readonly reason: string };

/** A WebSocket whose messages and close are read one at a time, with a timeout. */
export class WsClient {
  readonly ws: WebSocket;
  readonly #events: WsEvent[] = [];
  readonly #waiters: ((event: WsEvent) => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data, binary) => this.#push({ type: "message", data: Buffer.from(data as Buffer), binary }));
    ws.on("close", (code, reason) => this.#push({ type: "close", code, reason: reason.toString() }));
    ws.on("error", () => {});
  }

  /** Opens a WebSocket; rejects if it is not open within `timeoutMs`. */
  static async open(url: string, timeoutMs = 2_000): Promise<WsClient> {
    const ws = new WebSocket(url);
    const client = new WsClient(ws);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`WebSocket ${url} not open after ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once("open", () => {
        clearTimeout(timer);
        resolve();
      });
      ws.once("close", () => {
        clearTimeout(timer);
        resolve(); // closed at once (4001...): the close is the first event
      });
      ws.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return client;
  }

  #push(event: WsEvent): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(event);
    else this.#events.push(event);
  }

  /** The next message or close; rejects after `timeoutMs`. */
  next(timeoutMs = 2_000): Promise<WsEvent> {
    const queued = this.#events.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(new Error(`no WebSocket event within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (event: WsEvent) => {
        clearTimeout(timer);
        resolve(event);
      };
      this.#waiters.push(waiter);
    });
  }

  send(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  /** Closes without waiting for the peer. */
  close(): void {
    this.ws.terminate();
  }
}

/** What a Tryll connection delivered next: a whole frame, or the end of the stream. */
export type TcpEvent =
  | { readonly type: "frame"; readonly frame: Uint8Array }
  | { readonly type: "end"; readonly buffered: number; readonly readerError: boolean };

/** A TCP connection to a Tryll server, split into frames by the package's `FrameReader`. */
export class TryllClient {
  readonly socket: Socket;
  readonly reader = new FrameReader();
  /** Chunks received, to show that frames arrived in pieces. */
  chunks = 0;
  readonly #events: TcpEvent[] = [];
  readonly #waiters: ((event: TcpEvent) => void)[] = [];
  #ended = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk) => {
      this.chunks++;
      for (const frame of this.reader.push(chunk)) this.#push({ type: "frame", frame });
      if (this.reader.error) socket.destroy();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#push({ type: "end", buffered: this.reader.buffered, readerError: this.reader.error !== undefined });
    });
    socket.on("error", () => {});
  }

  static async connect(port: number, timeoutMs = 2_000): Promise<TryllClient> {
    const socket = connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no TCP connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return new TryllClient(socket);
  }

  #push(event: TcpEvent): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(event);
    else this.#events.push(event);
  }

  /** Sends one request frame (its body is opaque to the peer). */
  request(label = "SendMessageRequest"): void {
    this.socket.write(lengthPrefixed(new TextEncoder().encode(label)));
  }

  next(timeoutMs = 2_000): Promise<TcpEvent> {
    const queued = this.#events.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#ended) return Promise.resolve({ type: "end", buffered: this.reader.buffered, readerError: false });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(new Error(`no Tryll frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (event: TcpEvent) => {
        clearTimeout(timer);
        resolve(event);
      };
      this.#waiters.push(waiter);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The figures one scenario measured, printed and kept for the README table. */
export interface Figures {
  readonly scenario: string;
  readonly faults: number;
  readonly sent: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly [detail: string]: string | number;
}

const FIGURES_DIR = new URL("../../.cache/reliability/", import.meta.url);

/** Prints the figures and writes them to `.cache/reliability/<name>.json`. */
export function report(name: string, figures: Figures): Figures {
  console.log(`[reliability] ${JSON.stringify(figures)}`);
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(new URL(`${name}.json`, FIGURES_DIR), `${JSON.stringify(figures, null, 2)}\n`);
  return figures;
}
