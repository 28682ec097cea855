// defineProtocol: a protocol package's definition in, the protocol out. It
// derives what the pipeline needs once (the index, the unlisted rows, the
// rows a bare status stands for) and composes the steps of parse.ts with the
// transports' bindings; it holds no step of its own.
import { type CatalogEntry, type CatalogIndex, indexCatalog } from "./catalog.js";
import { definitionProblems } from "./check-definition.js";
import { type ParseContext, readContext } from "./context.js";
import { blobSize, readBlob } from "./data.js";
import type { DecodedInput } from "./decode.js";
import type { CloseCodeEntry, ErrorInit, Pipeline, ProtocolDefinition, SocketContext } from "./definition.js";
import { type LocalCode, MALFORMED, type Parsed, ProtocolError } from "./error.js";
import { decode, localError, parseSafely } from "./parse.js";
import type { ReadOptions, ResponseBody } from "./response.js";
import { atCaller, withoutStack } from "./stack.js";
import type { StandardCloseCode } from "./websocket.js";

/**
 * What `fromClose` returns: the protocol's error with the close code as its
 * `code`, narrowed by `known` like {@link Parsed}, so a `switch` over the
 * documented close codes is exhaustive-checked.
 */
export type ParsedClose<Err extends ProtocolError, C extends number> = Parsed<
  ProtocolError<number | LocalCode> & Omit<Err, keyof ProtocolError>,
  C
>;

/** A protocol built by {@link defineProtocol}: its definition, plus everything core derives from it. */
export interface DefinedProtocol<
  E extends CatalogEntry = CatalogEntry,
  Err extends ProtocolError = ProtocolError,
  K extends CloseCodeEntry = CloseCodeEntry,
  D extends object = object,
  S extends SocketContext = SocketContext,
> extends ProtocolDefinition<E, Err, K, D, S> {
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
): Pipeline<Err> {
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
    index,
    unlisted: new Map((definition.unlisted ?? []).map((row) => [`${row.surface}\0${row.code}`, row])),
    bare,
    // Readers and create are the package's, typed by its details; the pipeline hands them what they declared.
    readers: definition.readers as Pipeline["readers"],
    codec: definition.codec,
    http: definition.http,
    create: safeCreate(definition.create as (init: ErrorInit) => Err),
  };
}

/** The package's class builds the error; if it throws, core's own class does, so that no parser ever throws. */
const safeCreate =
  <Err extends ProtocolError>(create: (init: ErrorInit) => Err) =>
  (init: ErrorInit): Err => {
    try {
      return create(init);
    } catch {
      return new ProtocolError(init) as Err;
    }
  };

/**
 * Builds a protocol from its definition. The rules core applies to all of them:
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
 * - a `create` that throws gives a core `ProtocolError` of the same init, so parsing never throws.
 *
 * The definition is checked first: a `maxBytes` that is not a positive integer
 * (NaN, Infinity), a repeated code, a code or alias that spells a `WIREFAULT_*`
 * local code, or an alias or unlisted code that collides with a catalog code
 * throws one TypeError naming every problem.
 */
export function defineProtocol<
  const E extends CatalogEntry,
  Err extends ProtocolError,
  const K extends CloseCodeEntry = never,
  D extends object = object,
  S extends SocketContext = SocketContext,
>(definition: ProtocolDefinition<E, Err, K, D, S>): DefinedProtocol<E, Err, K, D, S> {
  const problems = definitionProblems(definition);
  if (problems !== undefined) throw new TypeError(`defineProtocol(${JSON.stringify(definition.name)}): ${problems}`);
  const index = indexCatalog(definition.catalog, { ranges: definition.ranges, aliases: definition.aliases });
  const p = pipelineOf(definition as ProtocolDefinition<E, Err, CloseCodeEntry, D, SocketContext>, index);
  const { http, websocket, socket, title, maxBytes } = definition;

  function parseError(input: unknown, context?: ParseContext): ProtocolError {
    // Read once, safely: a null or hostile context must not break a valid error.
    const ctx = readContext(context);
    // `stack: false` takes none. Else it is taken once, from the caller's frame: the parse's own frames were the costliest part of an error.
    return ctx.stack === false
      ? withoutStack(() => parseSafely(p, input, ctx))
      : atCaller(() => parseSafely(p, input, ctx), parseError);
  }

  return Object.freeze({
    ...definition,
    index,
    decode: (input: unknown) => decode(p, input),
    closes: websocket?.closes ?? [],
    closeCodes: websocket?.closeCodes ?? [],
    parseError,
    // Only a Blob within the cap is read; anything else is parsed as it is, never awaited,
    // so a thenable given as input is not followed. Never rejects.
    parseErrorAsync: async (input: unknown, context?: ParseContext) => {
      const size = blobSize(input);
      if (size === undefined || size > maxBytes) return parseError(input, context);
      // Boxed, so that nothing read is awaited as a thenable.
      const read = await readBlob(input, maxBytes).then(
        (bytes) => ({ bytes }),
        () => ({ bytes: input }),
      );
      return parseError(read.bytes, context);
    },
    // A misuse gets an answer, not a rejection.
    fromResponse: async (res: Response, options?: ReadOptions) =>
      http ? http.fromResponse(p, res, options) : localError(p, MALFORMED, `${title} does not answer over HTTP`),
    unreadBody: (body: ResponseBody) => (http ? http.unreadBody(p, body) : undefined),
    fromClose: (event: unknown, reason?: unknown) =>
      websocket ? websocket.fromClose(p, event, reason) : closeless(p, title, event),
    fromSocketError: (error?: unknown, context?: S) =>
      socket
        ? socket.fromSocketError(p, error, context)
        : localError(p, MALFORMED, `${title} has no socket binding`, error),
    localError: (code: LocalCode, message: string, raw?: unknown, cause?: unknown) =>
      localError(p, code, message, raw, cause),
  }) as DefinedProtocol<E, Err, K, D, S>;
}

// A close code is checked before the missing binding, as fromClose does: a bad code is never a close.
function closeless(p: Pipeline, title: string, event: unknown): ProtocolError {
  let code: unknown = event;
  try {
    if (typeof event === "object" && event !== null) code = (event as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  return typeof code === "number" && Number.isInteger(code) && code >= 1000 && code <= 4999
    ? localError(p, MALFORMED, `${title} has no WebSocket closes`, event)
    : localError(p, MALFORMED, "Not a WebSocket close code", event);
}
