// What a protocol package hands to defineProtocol, and what core derives from
// it once: the types every step of the pipeline and every transport binding
// shares. Types only: the steps live in parse.ts, http.ts, websocket.ts and socket.ts.
import type { CatalogEntry, CatalogIndex, CodeRange, RetryPolicy } from "./catalog.js";
import type { ParseContext } from "./context.js";
import type { DecodedInput } from "./decode.js";
import type { ProtocolError, ProtocolErrorInit, RecoveryAction, Retryable } from "./error.js";

/** A WebSocket close code a protocol documents, as one catalog row. */
export interface CloseCodeEntry {
  /** The close code, 1000 to 4999. */
  readonly code: number;
  /** The reason text that gives a standard code this meaning; absent when the code alone does. */
  readonly reason?: string;
  /** The constant name, e.g. `BAD_AGENT_TOKEN`. */
  readonly name: string;
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
  /** One line in our own words. */
  readonly summary: string;
  /** What to do about this close, where it says more than `action`. */
  readonly advice?: string;
}

/**
 * A code real servers send that the protocol's page does not list: it is
 * classified by this row, and stays `known: false`.
 */
export interface UnlistedCode {
  readonly surface: string;
  readonly code: string | number;
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
  /** Where it was seen and what it means, in our own words. */
  readonly summary: string;
}

/** What a reader made of a decoded payload of its shape; `D`, the protocol's own fields. */
export interface Reading<D extends object = object> {
  /** The surface the payload came from: its code is looked up there. */
  readonly surface: string;
  /** The code as received; absent when the payload names none, and the HTTP status decides. */
  readonly code?: string | number | undefined;
  /** The wire's message; absent, the catalog's summary stands in. */
  readonly message?: string | undefined;
  /** A retry hint the payload itself carries, in ms; it wins over the transport's. */
  readonly retryAfterMs?: number | undefined;
  /** A status the payload itself carries (a framework's `statusCode`); the transport's wins. */
  readonly status?: number | undefined;
  /** The protocol's own fields (ids, details), handed to its error class as they are. */
  readonly details?: Readonly<D> | undefined;
  /** The payload is an error event of a stream the server had begun (see `ProtocolError.midStream`). */
  readonly midStream?: boolean | undefined;
}

/**
 * Reads a decoded payload of one shape: a {@link Reading} when the payload is
 * of this reader's shape, a string saying what is wrong when it is of the
 * shape but broken, or undefined when it is not of this shape at all (the
 * next reader is tried). Readers may throw: core catches it.
 */
export type Reader<D extends object = object> = (
  value: unknown,
  context: ParseContext,
) => Reading<D> | string | undefined;

/**
 * The init core builds for a protocol's error class: core's fields, the code
 * typed as the class's (`C`: its documented codes, the local ones, and what
 * else its readers accept), with a reader's `details` (`D`) beside them, each
 * optional: an error core raises itself (a local code, a close) carries none.
 */
export type ErrorInit<D extends object = object, C extends string | number = string | number> = Omit<
  ProtocolErrorInit<C>,
  "protocol"
> & { readonly protocol?: ProtocolErrorInit["protocol"] } & Partial<D>;

/** A WebSocket close, as browsers and `ws` report it; `ws` hands the reason over as a Buffer. */
export interface CloseLike {
  readonly code: number;
  readonly reason?: unknown;
}

/** What the caller knows about a socket when it failed. */
export interface SocketContext {
  /** False while still connecting: any network failure is then a failure to connect. */
  readonly connected?: boolean;
}

/**
 * A protocol as the pipeline reads it: its definition, with what core derives
 * from it once (`definePipeline`). Every step (parse.ts) and every binding takes it first.
 */
export interface Pipeline<Err extends ProtocolError = ProtocolError, E extends CatalogEntry = CatalogEntry> {
  readonly protocol: string;
  readonly title: string;
  /** "an Atlas error", "a Teale error". */
  readonly aTitle: string;
  readonly maxBytes: number;
  /** The catalog `index` reads: a protocol whose own catalog is another (text for people added) indexes that one. */
  readonly catalog: readonly E[];
  readonly index: CatalogIndex<E>;
  /** Rows of codes beyond the page, by `surface\0code`. */
  readonly unlisted: ReadonlyMap<string, UnlistedCode>;
  /** The catalog rows a bare status stands for. */
  readonly bare: ReadonlyMap<number, CatalogEntry>;
  readonly readers: readonly Reader<object>[];
  readonly codec: ((input: unknown) => DecodedInput) | undefined;
  readonly http: HttpBinding | undefined;
  /** The class an init is built as: the package's, so it may throw, as its class may; core's own class then builds the init. */
  readonly errorClass: (init: ErrorInit) => ErrorClass<Err>;
  /** The init as the package hands it to its class (the definition's `refine`); never throws. */
  readonly refine: (init: ErrorInit) => ErrorInit;
}

/** A protocol's error class as core builds it: `new Class(init)`. */
export type ErrorClass<Err extends ProtocolError = ProtocolError, I = ErrorInit> = new (init: I) => Err;

/**
 * A protocol that answers over HTTP. Made by `overHttp`. It holds only what a
 * parse needs (a thrown client error is read by `parseError`): reading a
 * response is `fromResponseOf`'s, so a bundle without `fromResponse` has none of it.
 */
export interface HttpBinding {
  /** The surface its bodies are read in: a body that names no code falls back to the status there. */
  readonly surface: string;
  /** What openai-node or the AI SDK threw, read as the protocol's error; undefined for anything else. @internal */
  readonly readThrown: (p: Pipeline, input: unknown, context: ParseContext) => ErrorInit | undefined;
}

/** A protocol whose WebSocket closes mean something. Made by `overWebSocket`. */
export interface WebSocketBinding<K extends CloseCodeEntry = CloseCodeEntry> {
  /** The protocol's own close codes; the standard ones are core's. */
  readonly closeCodes: readonly K[];
  /** The backoff of a reconnect after a close. */
  readonly reconnect: RetryPolicy | undefined;
  /** The standard codes, then the protocol's own. */
  readonly closes: readonly CloseCodeEntry[];
  /** @internal */
  readonly fromClose: (p: Pipeline, event: unknown, reason?: unknown) => ErrorInit;
}

/** A protocol over a raw socket whose failures it names with codes of its own. Made by `overSocket`. */
export interface SocketBinding<C extends SocketContext = SocketContext> {
  /** The init of the error, or the error itself when it is already the protocol's own. @internal */
  readonly fromSocketError: (p: Pipeline, error: unknown, context?: C) => ErrorInit | ProtocolError;
}

/** What a protocol package hands to `defineProtocol`; `D`, the fields its readers find beyond core's. */
export interface ProtocolDefinition<
  E extends CatalogEntry = CatalogEntry,
  Err extends ProtocolError = ProtocolError,
  K extends CloseCodeEntry = CloseCodeEntry,
  D extends object = object,
  S extends SocketContext = SocketContext,
> {
  /** The `protocol` every error carries, e.g. `"ckg-relay"`. */
  readonly name: string;
  /** The protocol's name for people, e.g. `"CKG Relay"`. */
  readonly title: string;
  /** Input over this many bytes is refused before it is decoded (`WIREFAULT_TOO_LARGE`). */
  readonly maxBytes: number;
  readonly catalog: readonly E[];
  /** Other spellings of documented codes seen on the wire. */
  readonly aliases?: Readonly<Record<string, E["code"]>> | undefined;
  /** Numeric ranges whose unlisted codes share a reading. */
  readonly ranges?: readonly CodeRange[] | undefined;
  /** Codes real servers send beyond the page. */
  readonly unlisted?: readonly UnlistedCode[] | undefined;
  /** For a protocol that answers over HTTP: `overHttp(surface)`. Absent, none of the HTTP reading is bundled. */
  readonly http?: HttpBinding | undefined;
  /** For a protocol over WebSockets: `overWebSocket({ closeCodes, reconnect })`. Absent, none of the close reading is bundled. */
  readonly websocket?: WebSocketBinding<K> | undefined;
  /** For a protocol over a raw socket: `overSocket({ ... })` gives it `fromSocketError`. */
  readonly socket?: SocketBinding<S> | undefined;
  /** Replaces core's input decoding (JSON under the cap), for a binary codec; bytes it cannot read are `kind: "malformed"`, with why. */
  readonly codec?: ((input: unknown) => DecodedInput) | undefined;
  /** The protocol's readers, tried in order on every decoded payload. */
  readonly readers: readonly Reader<D>[];
  /**
   * The protocol's error class for an init core made: `() => XError`, or the
   * subclass the code's catalog row names. Core builds the error itself, with
   * `new` in the frame of the function the caller called (`parseError`,
   * `fromClose`...), so that the stack starts there, then the caller's frame.
   */
  // `never`: only the instance type is checked; a class may type its init narrower than core does (a literal `protocol`).
  errorClass(init: ErrorInit<D, Err["code"]>): ErrorClass<Err, never>;
  /** The init as the class is handed it, where the protocol reads more of it than its catalog says. Optional. */
  refine?(init: ErrorInit<D, Err["code"]>): ErrorInit<D, Err["code"]>;
}
