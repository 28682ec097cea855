/**
 * `defineProtocol()`: the one way a wirefault protocol package is built. A
 * package hands over its catalog and its readers (what is peculiar to its
 * wire); core does everything that is the same for every protocol, so that
 * the same situation gets the same answer in every package.
 * @module @wirefault/core/protocol
 */
import type { CatalogEntry, CatalogIndex, CodeRange, RetryPolicy } from "./catalog.js";
import { indexCatalog } from "./catalog.js";
import { readClientError } from "./client.js";
import { blobMessage, isBlob, readBlob } from "./data.js";
import {
  type LocalCode,
  MALFORMED,
  type Parsed,
  type ProtocolError,
  type ProtocolErrorInit,
  type RecoveryAction,
  type Retryable,
  TOO_LARGE,
} from "./error.js";
import {
  atCaller,
  classifyStatus,
  closeReason,
  type DecodedInput,
  decodeInput,
  httpStatus,
  type ParseContext,
  type ReadOptions,
  readContext,
  readResponse,
  type StandardCloseCode,
  standardCloses,
  unreadableBody,
} from "./internal.js";

export type {
  CloseClassification,
  CodeMap,
  DecodedInput,
  ParseContext,
  ReadOptions,
  StandardCloseCode,
} from "./internal.js";
export { codeMap } from "./internal.js";

/** What each recovery action asks of the caller, in one phrase: the meaning every protocol's catalog relies on. */
export const RECOVERY_ACTIONS: Readonly<Record<RecoveryAction, string>> = /* @__PURE__ */ Object.freeze({
  retry: "a transient failure; the same request may succeed after backoff",
  throttle: "rate limited; retry more slowly and honour retryAfterMs",
  reconnect: "the connection or session is gone; reconnect, then retry",
  reset: "re-create server-side state, then retry",
  wait: "an operation is still in flight; wait for it rather than re-send",
  "fix-request": "the request is wrong; retrying it unchanged cannot help",
  "user-action": "a person must act (permissions, payment, disk, catalog)",
  abort: "a protocol violation or version mismatch; stop, log and investigate",
});

/** What each of wirefault's own codes means, and how it is classified when no HTTP status says more. */
export const LOCAL_CODES: readonly {
  readonly code: LocalCode;
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
  readonly summary: string;
}[] = /* @__PURE__ */ Object.freeze([
  {
    code: MALFORMED,
    retryable: "no",
    action: "abort",
    summary:
      "wirefault could not read the input as an error of the protocol; over HTTP, the status still classifies it.",
  },
  {
    code: TOO_LARGE,
    retryable: "no",
    action: "abort",
    summary:
      "The input was over the protocol's size cap and was refused unread; over HTTP, the status still classifies it.",
  },
]);

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

/** What a reader made of a decoded payload of its shape. */
export interface Reading {
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
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Reads a decoded payload of one shape: a {@link Reading} when the payload is
 * of this reader's shape, a string saying what is wrong when it is of the
 * shape but broken, or undefined when it is not of this shape at all (the
 * next reader is tried). Readers may throw: core catches it.
 */
export type Reader = (value: unknown, context: ParseContext) => Reading | string | undefined;

/**
 * The init core builds for a protocol's error class: core's fields, with a
 * reader's `details` riding along as extra keys for the class to copy.
 */
export type ErrorInit = ProtocolErrorInit;

/** What a protocol package hands to {@link defineProtocol}. */
export interface ProtocolDefinition<
  E extends CatalogEntry = CatalogEntry,
  Err extends ProtocolError = ProtocolError,
  K extends CloseCodeEntry = CloseCodeEntry,
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
  /** Replaces core's input decoding (JSON under the cap), for a binary codec; bytes it cannot read are `kind: "malformed"`, with why. */
  readonly codec?: ((input: unknown) => DecodedInput) | undefined;
  /** The protocol's readers, tried in order on every decoded payload. */
  readonly readers: readonly Reader[];
  /** Builds the protocol's error class from the init core made. */
  readonly create: (init: ErrorInit) => Err;
}

/**
 * What `fromClose` returns: the protocol's error with the close code as its
 * `code`, narrowed by `known` like {@link Parsed}, so a `switch` over the
 * documented close codes is exhaustive-checked.
 */
export type ParsedClose<Err extends ProtocolError, C extends number> = Parsed<
  ProtocolError<number | LocalCode> & Omit<Err, keyof ProtocolError>,
  C
>;

/** A WebSocket close, as browsers and `ws` report it; `ws` hands the reason over as a Buffer. */
export interface CloseLike {
  readonly code: number;
  readonly reason?: unknown;
}

/** A protocol built by {@link defineProtocol}: its definition, plus everything core derives from it. */
export interface DefinedProtocol<
  E extends CatalogEntry = CatalogEntry,
  Err extends ProtocolError = ProtocolError,
  K extends CloseCodeEntry = CloseCodeEntry,
> extends ProtocolDefinition<E, Err, K> {
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
   * Reads any error of the protocol, in the forms its package documents; only a
   * protocol defined with `overHttp` also reads an HTTP client's thrown error. Never throws.
   */
  parseError(input: unknown, context?: ParseContext): Parsed<Err, E["code"]>;
  /** parseError for every form of WebSocket data, a browser's Blob included. Never rejects. */
  parseErrorAsync(input: unknown, context?: ParseContext): Promise<Parsed<Err, E["code"]>>;
  /** Reads a failed HTTP response under the size cap; only `Retry-After` among headers. Never rejects. */
  fromResponse(res: Response, options?: ReadOptions): Promise<Parsed<Err, E["code"]>>;
  /** Classifies a WebSocket close, a `CloseEvent` or a code and reason. Never throws. */
  fromClose(event: unknown, reason?: unknown): ParsedClose<Err, StandardCloseCode | K["code"]>;
  /** An error wirefault raises itself: input refused by size, or unreadable. */
  localError(code: LocalCode, message: string, raw?: unknown, cause?: unknown): Err;
}

const localRow = (code: LocalCode) => LOCAL_CODES.find((row) => row.code === code) as (typeof LOCAL_CODES)[number];

/**
 * What reading a protocol over HTTP takes: the surface its bodies are read in
 * (a body that names no code falls back to the status there), and core's
 * response and client-error readers. Made by {@link overHttp}.
 */
export interface HttpBinding {
  readonly surface: string;
  /** @internal */
  readonly readResponse: typeof readResponse;
  /** @internal */
  readonly unreadableBody: typeof unreadableBody;
  /** @internal */
  readonly readClientError: typeof readClientError;
}

/**
 * A protocol answers over HTTP, its bodies read in `surface`: `fromResponse`
 * reads them, and `parseError` reads what openai-node and the AI SDK throw.
 * A separate call so that a protocol without HTTP bundles none of it.
 */
export const overHttp = (surface: string): HttpBinding => ({ surface, readResponse, unreadableBody, readClientError });

/** What reading a protocol's WebSocket closes takes. Made by {@link overWebSocket}. */
export interface WebSocketBinding<K extends CloseCodeEntry = CloseCodeEntry> {
  /** The protocol's own close codes; the standard ones are core's. */
  readonly closeCodes: readonly K[];
  /** The backoff of a reconnect after a close. */
  readonly reconnect: RetryPolicy | undefined;
  /** The standard codes, then the protocol's own. */
  readonly closes: readonly CloseCodeEntry[];
  /** @internal */
  readonly closeReason: typeof closeReason;
}

/**
 * A protocol runs over WebSockets: `fromClose` reads the standard close codes
 * (RFC 6455 and the IANA registry), then `closeCodes`, the protocol's own.
 */
export function overWebSocket<const K extends CloseCodeEntry = never>(
  options: { readonly closeCodes?: readonly K[]; readonly reconnect?: RetryPolicy } = {},
): WebSocketBinding<K> {
  const standard = standardCloses().map((c) => ({ ...c, summary: c.name }));
  const closeCodes = options.closeCodes ?? [];
  return Object.freeze({
    closeCodes,
    reconnect: options.reconnect,
    closes: Object.freeze([...standard, ...closeCodes]),
    closeReason,
  });
}

/**
 * Builds a protocol from its definition. The rules core applies to all of them:
 * - input is capped at `maxBytes` before decoding, a decoded object's text too (`WIREFAULT_TOO_LARGE`);
 * - a payload no reader knows, or that names no code, is `WIREFAULT_MALFORMED`, unless
 *   an HTTP status says more: a catalog row with `bareStatus` stands for its status,
 *   else the status alone classifies;
 * - a refused body keeps `WIREFAULT_TOO_LARGE`, classified by its status the same way;
 * - an unknown code with a status is classified by the status; an unlisted one by its row;
 * - a body cut off by a network failure is retried, whatever its status;
 * - a close's message is its reason, else `WebSocket closed with code N (NAME)`.
 */
export function defineProtocol<
  const E extends CatalogEntry,
  Err extends ProtocolError,
  const K extends CloseCodeEntry = never,
>(definition: ProtocolDefinition<E, Err, K>): DefinedProtocol<E, Err, K> {
  const { name: protocol, title, maxBytes, catalog, readers, create } = definition;
  // "an Atlas error", "a Teale error": by the first letter, which is right for every name here.
  const aTitle = `${/^[aeiou]/i.test(title) ? "an" : "a"} ${title}`;
  const baseLocal = (code: LocalCode, message: string, raw: unknown, cause: unknown): ErrorInit => {
    const row = localRow(code);
    return { protocol, code, message, raw, cause, known: false, retryable: row.retryable, action: row.action };
  };
  const index = indexCatalog(catalog, { ranges: definition.ranges, aliases: definition.aliases });
  const unlisted = new Map((definition.unlisted ?? []).map((row) => [`${row.surface}\0${row.code}`, row]));
  const { http, websocket } = definition;
  const closes = websocket?.closes ?? [];
  const bare = new Map<number, E>();
  for (const entry of catalog) if (entry.bareStatus && entry.status !== undefined) bare.set(entry.status, entry);

  const local = (code: LocalCode, message: string, raw?: unknown, cause?: unknown): Err =>
    create(baseLocal(code, message, raw, cause));

  // What a status says when the body could not say it.
  const byStatus = (status: number): Pick<ProtocolErrorInit, "retryable" | "action" | "policy"> => {
    const entry = bare.get(status);
    return entry ? { retryable: entry.retryable, action: entry.action, policy: entry.policy } : classifyStatus(status);
  };

  /**
   * A payload that names no code: its status decides, through the catalog where
   * a row stands for it. `message` is ours; `said`, what a well-formed body said.
   */
  function nameless(
    code: LocalCode,
    ours: string,
    context: ParseContext,
    raw: unknown,
    cause?: unknown,
    said?: string,
  ): Err {
    const { status, retryAfterMs } = context;
    const message = said ?? ours;
    const entry = code === MALFORMED && status !== undefined ? bare.get(status) : undefined;
    if (entry) {
      const c = index.classify(entry.code, entry.surface);
      return create({
        protocol,
        surface: c.surface,
        code: entry.code,
        codeName: c.codeName,
        known: true,
        retryable: c.retryable,
        action: c.action,
        policy: c.policy,
        // A message a reader found in a well-formed body, else the row's: never a broken body's text.
        message: said ?? entry.summary,
        status,
        retryAfterMs,
        raw,
        cause,
      });
    }
    const row = status === undefined ? undefined : byStatus(status);
    return create({
      protocol,
      surface: row && http?.surface,
      code,
      message,
      known: false,
      retryable: row?.retryable ?? localRow(code).retryable,
      action: row?.action ?? localRow(code).action,
      policy: row?.policy,
      status,
      retryAfterMs,
      raw,
      cause,
    });
  }

  const tooLarge = (size: number | undefined, context: ParseContext): Err =>
    nameless(
      TOO_LARGE,
      `${size === undefined ? "Input" : `Input of ${size} bytes`} exceeds the ${maxBytes}-byte cap`,
      context,
      undefined,
    );

  function build(reading: Reading, value: unknown, context: ParseContext): Err {
    const code = reading.code as string | number;
    const c = index.classify(code, reading.surface);
    const status = context.status ?? httpStatus(reading.status) ?? c.status;
    const row = c.known ? undefined : unlisted.get(`${reading.surface}\0${code}`);
    // An undocumented code says less than its row, and less than the status.
    const verdict = row ?? (!c.known && status !== undefined ? classifyStatus(status) : c);
    // Named fields, never a spread: V8 copies a spread of a fresh object on its slow path (tens of µs).
    const init: Record<string, unknown> = {
      protocol,
      surface: c.surface,
      // An alias is read as the code it stands for; raw keeps the spelling received.
      code: c.entry?.code ?? code,
      codeName: c.codeName,
      known: c.known,
      retryable: verdict.retryable,
      action: verdict.action,
      policy: c.policy,
      message: reading.message ?? c.entry?.summary ?? `${title} error ${code}`,
      status,
      retryAfterMs: reading.retryAfterMs ?? context.retryAfterMs,
      raw: value,
    };
    // The protocol's own fields ride along for its class; they never replace core's.
    const details = reading.details;
    if (details) for (const key of Object.keys(details)) if (!(key in init)) init[key] = details[key];
    return create(init as unknown as ErrorInit);
  }

  function read(input: unknown, context: ParseContext): Err {
    if (http !== undefined) {
      const client = http.readClientError(input);
      if (client) {
        // No answer at all: not an error of the protocol; a user's abort is final, anything else is retried.
        if (client.kind !== "http") {
          const abort = client.kind === "abort";
          return create({
            ...baseLocal(MALFORMED, String((client.error as Error).message), undefined, client.error),
            retryable: abort ? "no" : "yes",
            action: abort ? "abort" : "retry",
          });
        }
        const err = read(client.body, {
          status: client.status,
          retryAfterMs: client.retryAfterMs ?? context.retryAfterMs,
        });
        // The thrown error stays reachable for logs and stacks, as a native cause would.
        Object.defineProperty(err, "cause", { value: client.error, writable: true, configurable: true });
        return err;
      }
    }
    const decoded = decode(input);
    if (decoded.kind === "too-large") return tooLarge(decoded.size, context);
    if (decoded.kind === "not-json")
      return nameless(MALFORMED, `${title} error text is not JSON`, context, input, decoded.cause);
    if (decoded.kind === "bytes") return nameless(MALFORMED, `Bytes are not ${aTitle} error`, context, input);
    if (decoded.kind === "malformed") return nameless(MALFORMED, decoded.message, context, decoded.raw, decoded.cause);
    const value = decoded.value;
    if (isBlob(value)) return local(MALFORMED, blobMessage("parseErrorAsync"), value);
    for (const reader of readers) {
      const reading = reader(value, context);
      if (reading === undefined) continue;
      if (typeof reading === "string") return nameless(MALFORMED, reading, context, value);
      if (reading.code === undefined || reading.code === "")
        return nameless(MALFORMED, `${title} error names no code`, context, value, undefined, reading.message);
      return build(reading, value, context);
    }
    return nameless(MALFORMED, `Not ${aTitle} error`, context, value);
  }

  function decode(input: unknown): DecodedInput {
    try {
      const decoded = definition.codec ? definition.codec(input) : decodeInput(input, maxBytes);
      // A decoded object skips the cap on bytes: its JSON is held to the same cap, and nothing of it is kept.
      if (decoded.kind === "value" && decoded.value === input && typeof input === "object" && input !== null) {
        const size = jsonSizeOver(input, maxBytes);
        if (size !== undefined) return { kind: "too-large", size };
      }
      return decoded;
    } catch (cause) {
      return { kind: "not-json", text: "", cause };
    }
  }

  function parseError(input: unknown, context?: ParseContext): Err {
    // Read once, safely: a null or hostile context must not break a valid error.
    const ctx = readContext(context);
    // The stack is taken once, from the caller's frame: the parse's own frames were the costliest part of an error.
    return atCaller(() => {
      try {
        return read(input, ctx);
      } catch (cause) {
        return local(MALFORMED, `Could not read ${aTitle} error`, input, cause);
      }
    }, parseError);
  }

  async function fromResponse(res: Response, options?: ReadOptions): Promise<Err> {
    // A misuse gets an answer, not a rejection.
    if (http === undefined) return local(MALFORMED, `${title} does not answer over HTTP`);
    const body = await http.readResponse(res, maxBytes, Date.now(), options);
    const context = { status: httpStatus(body.status), retryAfterMs: body.retryAfterMs };
    if (body.tooLarge) return tooLarge(undefined, context);
    // Cut off by a network failure: the answer was lost, so it is retried whatever the status said.
    const lost = http.unreadableBody(protocol, body);
    if (lost) return create(lost);
    if (body.text === undefined || body.text.trim() === "")
      return nameless(MALFORMED, `HTTP ${body.status} without ${aTitle} error body`, context, body.text, body.cause);
    return parseError(body.text, context);
  }

  function fromClose(event: unknown, reason?: unknown): Err {
    try {
      const isEvent = typeof event === "object" && event !== null;
      const code = isEvent ? (event as CloseLike).code : event;
      if (typeof code !== "number" || !Number.isInteger(code) || code < 1000 || code > 4999)
        return local(MALFORMED, "Not a WebSocket close code", event);
      if (websocket === undefined) return local(MALFORMED, `${title} has no WebSocket closes`, event);
      const text = websocket.closeReason(reason ?? (isEvent ? (event as CloseLike).reason : undefined));
      // A row with a reason wins: the reason gives a standard code its protocol's meaning.
      let row: CloseCodeEntry | undefined;
      for (const r of closes) if (r.code === code && (r.reason === undefined || r.reason === text)) row = r;
      return create({
        protocol,
        surface: "close",
        code,
        codeName: row?.name,
        message: text || `WebSocket closed with code ${code}${row ? ` (${row.name})` : ""}`,
        retryable: row?.retryable ?? "no",
        action: row?.action ?? "abort",
        known: row !== undefined,
        policy: row?.action === "reconnect" ? websocket.reconnect : undefined,
        raw: isEvent ? event : { code, reason },
      });
    } catch (cause) {
      return local(MALFORMED, "Could not read the WebSocket close", event, cause);
    }
  }

  return Object.freeze({
    ...definition,
    index,
    decode,
    closes,
    closeCodes: websocket?.closeCodes ?? [],
    parseError: parseError as DefinedProtocol<E, Err, K>["parseError"],
    parseErrorAsync: (async (input: unknown, context?: ParseContext) =>
      parseError(await readBlob(input, maxBytes), context)) as DefinedProtocol<E, Err, K>["parseErrorAsync"],
    fromResponse: fromResponse as DefinedProtocol<E, Err, K>["fromResponse"],
    fromClose: fromClose as DefinedProtocol<E, Err, K>["fromClose"],
    localError: local,
  });
}

/**
 * The size of a decoded object as JSON text, in UTF-8 bytes, when it is over
 * `max`; else undefined. Stops as soon as it is over: linear in what it reads,
 * never more than the cap. A property that cannot be read (a throwing getter,
 * a trap) counts nothing: the readers will not read it either.
 */
function jsonSizeOver(value: object, max: number): number | undefined {
  let size = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item === "string") size += jsonStringSize(item, max - size);
    // Bytes count as themselves; their indices are not keys worth listing.
    else if (ArrayBuffer.isView(item)) size += item.byteLength;
    else if (typeof item === "object" && item !== null && depth < 64) {
      try {
        // Each entry costs at least a separator, so a million empty maps is over the cap too.
        if (Array.isArray(item)) {
          size += 2 + item.length;
          if (size > max) return size;
          for (const child of item) stack.push([child, depth + 1]);
        } else
          for (const key of Object.keys(item)) {
            size += jsonStringSize(key, max - size) + 2;
            if (size > max) return size;
            stack.push([(item as Record<string, unknown>)[key], depth + 1]);
          }
      } catch {
        // Unreadable: left to the readers, which read field by field.
      }
    } else size += 4;
    if (size > max) return size;
  }
  return undefined;
}

/** A string's size as JSON text, exact only when it might reach `left`: most are decided by length. */
function jsonStringSize(text: string, left: number): number {
  if (text.length * 6 + 2 <= left) return text.length + 2;
  let size = 2;
  for (let i = 0; i < text.length && size <= left; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size += 4;
      i++;
    } else
      size +=
        c === 0x22 || c === 0x5c || (c >= 8 && c <= 13 && c !== 11)
          ? 2
          : c < 0x20 || (c >= 0xd800 && c < 0xe000)
            ? 6
            : c < 0x80
              ? 1
              : c < 0x800
                ? 2
                : 3;
  }
  return size;
}
