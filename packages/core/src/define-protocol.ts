// defineProtocol: a protocol package's definition in, the protocol out.
// definePipeline derives what every step needs once (the index, the unlisted
// rows, the rows a bare status stands for); each of the protocol's functions is
// then built from that pipeline by a top-level function of its own (parseErrorOf
// here, fromResponseOf in http.ts, fromCloseOf in websocket.ts, fromSocketErrorOf
// in socket.ts), so that a bundle keeps only the functions it imports.
// defineProtocol composes them all; it holds no step of its own.
import { type CatalogEntry, type CatalogIndex, indexCatalog } from "./catalog.js";
import { definitionProblems } from "./check-definition.js";
import { type ParseContext, readContext } from "./context.js";
import { blobSize, readBlob } from "./data.js";
import type { DecodedInput } from "./decode.js";
import type {
  CloseCodeEntry,
  ErrorClass,
  ErrorInit,
  Pipeline,
  ProtocolDefinition,
  SocketBinding,
  SocketContext,
  WebSocketBinding,
} from "./definition.js";
import { type LocalCode, type Parsed, ProtocolError } from "./error.js";
import { fromResponseOf, notOverHttp, unreadBodyOf } from "./http.js";
import { construct, decode, localInit, parseSafely, parseValueSafely } from "./parse.js";
import type { ReadOptions, ResponseBody } from "./response.js";
import { fromSocketErrorOf, noSocket } from "./socket.js";
import { withoutStack } from "./stack.js";
import { closeless, fromCloseOf, type ParsedClose, type StandardCloseCode } from "./websocket.js";

export type { ParsedClose } from "./websocket.js";

// Without `errorClass` and `refine`: the pipeline reads them once, and a class's init type would make one protocol's type unassignable to another's.
/** A protocol built by {@link defineProtocol}: its definition, plus everything core derives from it. */
export interface DefinedProtocol<
  E extends CatalogEntry = CatalogEntry,
  Err extends ProtocolError = ProtocolError,
  K extends CloseCodeEntry = CloseCodeEntry,
  D extends object = object,
  S extends SocketContext = SocketContext,
> extends Omit<ProtocolDefinition<E, Err, K, D, S>, "errorClass" | "refine"> {
  /** The catalog's lookups, with aliases and ranges. */
  readonly index: CatalogIndex<E>;
  /**
   * The input as parseError decodes it, under the size cap: bytes and text
   * decoded, a decoded object's text held to the same cap. Never throws.
   */
  decode(input: unknown): DecodedInput;
  /** Every close code `fromClose` reads: the standard ones, then the protocol's own. Empty without WebSockets. */
  readonly closes: readonly CloseCodeEntry[];
  /** The protocol's own close codes. Empty without WebSockets. */
  readonly closeCodes: readonly K[];
  /**
   * Reads any error of the protocol, in the forms its package documents, and a
   * network failure; only a protocol defined with `overHttp` also reads an HTTP
   * client's thrown error. Never throws.
   */
  parseError(input: unknown, context?: ParseContext): Parsed<Err, E["code"]>;
  /** parseError for every form of WebSocket data, a browser's Blob included. Never rejects. */
  parseErrorAsync(input: unknown, context?: ParseContext): Promise<Parsed<Err, E["code"]>>;
  /** Reads a failed HTTP response under the size cap; only `Retry-After` among headers. Never rejects. */
  fromResponse(res: Response, options?: ReadOptions): Promise<Parsed<Err, E["code"]>>;
  /**
   * The error of a response body a network failure, a timeout or the caller's
   * abort kept from being read; undefined when the body was read or failed otherwise.
   */
  unreadBody(body: ResponseBody): Err | undefined;
  /** Classifies a WebSocket close, a `CloseEvent` or a code and reason. Never throws. */
  fromClose(event: unknown, reason?: unknown): ParsedClose<Err, StandardCloseCode | K["code"]>;
  /** Maps a socket failure to the protocol's code for it (see `overSocket`). Never throws. */
  fromSocketError(error?: unknown, context?: S): Parsed<Err, E["code"]>;
  /** An error wirefault raises itself: input refused by size, unreadable, or no answer at all. */
  localError(code: LocalCode, message: string, raw?: unknown, cause?: unknown): Err;
}

/** What the pipeline reads of a definition, derived once. */
function pipelineOf<E extends CatalogEntry, Err extends ProtocolError, D extends object>(
  definition: ProtocolDefinition<E, Err, CloseCodeEntry, D, SocketContext>,
  index: CatalogIndex<E>,
): Pipeline<Err, E> {
  const { name: protocol, title } = definition;
  const bare = new Map<number, CatalogEntry>();
  for (const entry of definition.catalog)
    if (entry.bareStatus && entry.status !== undefined) bare.set(entry.status, entry);
  return {
    protocol,
    title,
    // "an Atlas error", "a Teale error": by the first letter, which is right for every name here.
    aTitle: `${/^[aeiou]/i.test(title) ? "an" : "a"} ${title}`,
    maxBytes: definition.maxBytes,
    catalog: definition.catalog,
    index,
    unlisted: new Map((definition.unlisted ?? []).map((row) => [`${row.surface}\0${row.code}`, row])),
    bare,
    // Readers, the class and refine are the package's, typed by its details; the pipeline hands them what they declared.
    readers: definition.readers as Pipeline["readers"],
    codec: definition.codec,
    http: definition.http,
    errorClass: definition.errorClass as (init: ErrorInit) => ErrorClass<Err>,
    refine: safeRefine(definition.refine as ((init: ErrorInit) => ErrorInit) | undefined),
  };
}

/** The package's refine, where it has one; if it throws, the init stays as core made it, so that no parser throws. */
const safeRefine =
  (refine: ((init: ErrorInit) => ErrorInit) | undefined) =>
  (init: ErrorInit): ErrorInit => {
    try {
      return refine ? refine(init) : init;
    } catch {
      return init;
    }
  };

/**
 * What every function of a protocol is built from: its definition, checked,
 * with what core derives from it once. Only the definition's `http` binding is
 * read of its transports (a thrown HTTP client error is a parse's); leave the
 * `websocket` and `socket` bindings out of what is handed here, so that a
 * bundle of `parseError` alone holds none of them.
 *
 * Throws one TypeError naming every problem of the definition: a `maxBytes`
 * that is not a positive integer (NaN, Infinity), a repeated code, a code or
 * alias that spells a `WIREFAULT_*` local code, or an alias or unlisted code
 * that collides with a catalog code.
 */
export function definePipeline<const E extends CatalogEntry, Err extends ProtocolError, D extends object = object>(
  definition: ProtocolDefinition<E, Err, CloseCodeEntry, D, SocketContext>,
): Pipeline<Err, E> {
  const problems = definitionProblems(definition);
  if (problems !== undefined) throw new TypeError(`defineProtocol(${JSON.stringify(definition.name)}): ${problems}`);
  const index = indexCatalog(definition.catalog, { ranges: definition.ranges, aliases: definition.aliases });
  return pipelineOf(definition, index);
}

/**
 * The protocol's `parseError`: the pipeline of parse.ts on any input, the
 * error built in this function's own frame, so that its stack is this
 * function's frame, then the caller's (none with `stack: false`). Never throws.
 */
export function parseErrorOf<Err extends ProtocolError, E extends CatalogEntry>(
  p: Pipeline<Err, E>,
): (input: unknown, context?: ParseContext) => Parsed<Err, E["code"]> {
  function parseError(input: unknown, context?: ParseContext): ProtocolError {
    // Read once, safely: a null or hostile context must not break a valid error.
    const ctx = readContext(context);
    if (ctx.stack === false) return withoutStack(() => construct(p, parseSafely(p, input, ctx)));
    const init = parseSafely(p, input, ctx);
    // `new` here: V8 takes the stack as the error is built, skipping its class's own constructors, so it
    // starts at this frame, with no capture afterwards (which would cost the error V8's slow dictionary mode).
    try {
      return new (p.errorClass(init))(init);
    } catch {
      return new ProtocolError(init);
    }
  }
  return parseError as (input: unknown, context?: ParseContext) => Parsed<Err, E["code"]>;
}

/**
 * `parseError` for values a package already decoded and held to the cap: the
 * entries of an answer read whole (a telemetry 207's), which the whole
 * answer's cap and depth checks covered. The readers, the catalog and the
 * class alone: no thrown client error, network failure, Blob, cap or decode
 * step, and the value is kept as `raw` as it is. Never throws.
 */
export function parseDecodedOf<Err extends ProtocolError, E extends CatalogEntry>(
  p: Pipeline<Err, E>,
): (value: unknown, context?: ParseContext) => Parsed<Err, E["code"]> {
  function parseDecoded(value: unknown, context?: ParseContext): ProtocolError {
    const ctx = readContext(context);
    if (ctx.stack === false) return withoutStack(() => construct(p, parseValueSafely(p, value, ctx)));
    const init = parseValueSafely(p, value, ctx);
    // Built here, so that this frame starts its stack (see parseErrorOf).
    try {
      return new (p.errorClass(init))(init);
    } catch {
      return new ProtocolError(init);
    }
  }
  return parseDecoded as (value: unknown, context?: ParseContext) => Parsed<Err, E["code"]>;
}

/**
 * The protocol's `parseErrorAsync`: `parseError` (the one given, else one
 * built here) for every form of data, a browser's Blob included. Only a Blob
 * within the cap is read; anything else is parsed as it is, never awaited, so
 * a thenable given as input is not followed. Never rejects.
 */
export function parseErrorAsyncOf<Err extends ProtocolError, E extends CatalogEntry>(
  p: Pipeline<Err, E>,
  parseError: (input: unknown, context?: ParseContext) => Parsed<Err, E["code"]> = parseErrorOf(p),
): (input: unknown, context?: ParseContext) => Promise<Parsed<Err, E["code"]>> {
  const { maxBytes } = p;
  // Named: its frame follows parseError's in the stack of what it reads.
  return async function parseErrorAsync(input, context) {
    const size = blobSize(input);
    if (size === undefined || size > maxBytes) return parseError(input, context);
    // Boxed, so that nothing read is awaited as a thenable.
    const read = await readBlob(input, maxBytes).then(
      (bytes) => ({ bytes }),
      () => ({ bytes: input }),
    );
    return parseError(read.bytes, context);
  };
}

/** The protocol's `decode`: the input as parseError decodes it, under the size cap. Never throws. */
export const decodeOf =
  (p: Pipeline) =>
  (input: unknown): DecodedInput =>
    decode(p, input);

/** The protocol's `localError`: an error wirefault raises itself, of the protocol's class. */
export function localErrorOf<Err extends ProtocolError>(
  p: Pipeline<Err>,
): (code: LocalCode, message: string, raw?: unknown, cause?: unknown) => Err {
  function localError(code: LocalCode, message: string, raw?: unknown, cause?: unknown): ProtocolError {
    const init = localInit(p, code, message, raw, cause);
    // Built here, so that this frame starts its stack (see parseErrorOf).
    try {
      return new (p.errorClass(init))(init);
    } catch {
      return new ProtocolError(init);
    }
  }
  return localError as (code: LocalCode, message: string, raw?: unknown, cause?: unknown) => Err;
}

/**
 * What a package built itself from its definition, with `definePipeline` and
 * the `…Of` builders, for `assembleProtocol`: the pipeline, the parsers, and
 * for each transport the package has, its binding and the function built from it.
 */
export interface ProtocolParts<
  E extends CatalogEntry = CatalogEntry,
  Err extends ProtocolError = ProtocolError,
  K extends CloseCodeEntry = CloseCodeEntry,
  S extends SocketContext = SocketContext,
> {
  /**
   * Built from the definition, or from the same one with a catalog of the same
   * codes without their text for people (`withText`'s rows): the protocol then
   * indexes its own catalog, and the functions parse from the pipeline's.
   */
  readonly pipeline: Pipeline<Err, CatalogEntry & { readonly code: E["code"] }>;
  readonly parseError: DefinedProtocol<E, Err, K, object, S>["parseError"];
  readonly parseErrorAsync: DefinedProtocol<E, Err, K, object, S>["parseErrorAsync"];
  /** With the definition's `http`: `fromResponseOf(pipeline)` and `unreadBodyOf(pipeline)`. */
  readonly fromResponse?: DefinedProtocol<E, Err, K, object, S>["fromResponse"];
  readonly unreadBody?: DefinedProtocol<E, Err, K, object, S>["unreadBody"];
  /** The WebSocket binding, kept out of the definition the pipeline was built from, and `fromCloseOf(pipeline, websocket)`. */
  readonly websocket?: WebSocketBinding<K>;
  readonly fromClose?: DefinedProtocol<E, Err, K, object, S>["fromClose"];
  /** The socket binding, kept out of the definition, and `fromSocketErrorOf(pipeline, socket)`. */
  readonly socket?: SocketBinding<S>;
  readonly fromSocketError?: DefinedProtocol<E, Err, K, object, S>["fromSocketError"];
}

/**
 * A protocol from the parts a package built itself: the protocol holds the
 * very functions the package exports, and refers to no function it was not
 * handed, so that a bundle of the whole package holds no transport it lacks.
 * A transport without its function (`http` without `fromResponse` and
 * `unreadBody`, `websocket` without `fromClose`, `socket` without
 * `fromSocketError`), or a function without its transport, is a TypeError
 * when the package is built. Without a transport, its function answers every
 * call with `WIREFAULT_MALFORMED`.
 */
export function assembleProtocol<
  const E extends CatalogEntry,
  Err extends ProtocolError,
  const K extends CloseCodeEntry = never,
  D extends object = object,
  S extends SocketContext = SocketContext,
>(
  definition: ProtocolDefinition<E, Err, K, D, S>,
  parts: ProtocolParts<E, Err, K, S>,
): DefinedProtocol<E, Err, K, D, S> {
  const p = parts.pipeline;
  const websocket = parts.websocket ?? definition.websocket;
  const socket = parts.socket ?? definition.socket;
  // Built apart, a transport's function and its binding must come together: checked once, when the package is built.
  if (
    !definition.http !== !(parts.fromResponse && parts.unreadBody) ||
    !websocket !== !parts.fromClose ||
    !socket !== !parts.fromSocketError
  )
    throw new TypeError(
      `assembleProtocol(${JSON.stringify(definition.name)}): each transport needs its function, and each function its transport`,
    );
  return Object.freeze({
    ...definition,
    websocket,
    socket,
    // The catalog people read (rows with their advice) is indexed apart when the parser's has no text.
    index:
      p.catalog === definition.catalog
        ? p.index
        : indexCatalog(definition.catalog, { ranges: definition.ranges, aliases: definition.aliases }),
    decode: decodeOf(p),
    closes: websocket?.closes ?? [],
    closeCodes: websocket?.closeCodes ?? [],
    parseError: parts.parseError,
    parseErrorAsync: parts.parseErrorAsync,
    fromResponse: parts.fromResponse ?? notOverHttp(p),
    unreadBody: parts.unreadBody ?? (() => undefined),
    fromClose: parts.fromClose ?? ((event: unknown) => closeless(p, event)),
    fromSocketError: parts.fromSocketError ?? noSocket(p),
    localError: localErrorOf(p),
  }) as DefinedProtocol<E, Err, K, D, S>;
}

/**
 * Builds a protocol from its definition: `definePipeline`, then every
 * function of the protocol from it. The rules core applies to all of them:
 * - input is capped at `maxBytes` before decoding, a decoded object's text too (`WIREFAULT_TOO_LARGE`);
 * - a network failure, a timeout or the caller's abort is `WIREFAULT_NETWORK`, `WIREFAULT_TIMEOUT`
 *   or `WIREFAULT_ABORTED`, by the one network table `isRetryable` reads;
 * - a payload no reader knows, or that names no code, is `WIREFAULT_MALFORMED`, unless
 *   an HTTP status says more: a catalog row with `bareStatus` stands for its status,
 *   else the status alone classifies;
 * - a refused body keeps `WIREFAULT_TOO_LARGE`, classified by its status the same way;
 * - an unknown code with a status is classified by the status; an unlisted one by its row;
 * - a body cut off by a network failure is that failure's code, whatever its status;
 * - a close's message is its reason, else `WebSocket closed with code N (NAME)`;
 * - an `errorClass` that throws, or a class whose constructor does, gives a core `ProtocolError`
 *   of the init; a `refine` that throws leaves the init as core made it: parsing never throws;
 * - each function builds its error in its own frame: the stack's first frame is the function the
 *   caller called (`parseError`, `fromClose`...), the second the caller's own.
 *
 * The definition is checked first (see `definePipeline`). What this returns
 * refers to every transport's reading, so a bundle of it holds them all: a
 * package that cares builds its functions one by one and hands them to
 * `assembleProtocol` instead.
 */
export function defineProtocol<
  const E extends CatalogEntry,
  Err extends ProtocolError,
  const K extends CloseCodeEntry = never,
  D extends object = object,
  S extends SocketContext = SocketContext,
>(definition: ProtocolDefinition<E, Err, K, D, S>): DefinedProtocol<E, Err, K, D, S> {
  const pipeline = definePipeline(definition as ProtocolDefinition<E, Err, CloseCodeEntry, D, SocketContext>);
  const { http, websocket, socket } = definition;
  const parseError = parseErrorOf(pipeline);
  return assembleProtocol(definition, {
    pipeline,
    parseError,
    parseErrorAsync: parseErrorAsyncOf(pipeline, parseError),
    ...(http && { fromResponse: fromResponseOf(pipeline), unreadBody: unreadBodyOf(pipeline) }),
    ...(websocket && { fromClose: fromCloseOf(pipeline, websocket) }),
    ...(socket && { fromSocketError: fromSocketErrorOf(pipeline, socket) }),
  });
}
