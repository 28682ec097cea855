import {
  assembleProtocol,
  type CloseClassification,
  decodeOf,
  definePipeline,
  field,
  fromCloseOf,
  fromResponseOf,
  overHttp,
  overWebSocket,
  parseErrorAsyncOf,
  parseErrorOf,
  unreadBodyOf,
} from "@wirefault/core/protocol";
import { catalog, closeCodes, codeAliases, codes, MAX_ERROR_BYTES } from "./catalog.js";
import { CkgRelayError } from "./error.js";
import { readers } from "./readers.js";
import type { CkgRelayMessageType } from "./wire.js";

// CKG Relay's definition, but for its close codes: they are fromClose's alone, and stay out of what parseError is built from.
// Its catalog is `codes`, without the text for people, which only `protocol` reads (the whole `catalog`).
const definition = {
  name: "ckg-relay",
  title: "CKG Relay",
  maxBytes: MAX_ERROR_BYTES,
  catalog: codes,
  aliases: codeAliases,
  http: /* @__PURE__ */ overHttp("relay"),
  readers,
  errorClass: () => CkgRelayError,
};

const pipeline = /* @__PURE__ */ definePipeline(definition);
const websocket = /* @__PURE__ */ overWebSocket({ closeCodes });

/**
 * Reads a CKG Relay error message, from the WebSocket (`{"type":"error",...}`,
 * with its text in `message` or `error`) or an HTTP body, or an HTTP client's
 * error that kept the response's status and body, read by its shape. Never throws: input that is not such an error
 * gives `code: MALFORMED` (or `TOO_LARGE`), `known: false`, the raw input kept.
 */
export const parseError = /* @__PURE__ */ parseErrorOf(pipeline);

/**
 * parseError for every form of WebSocket data, a browser's Blob included (read
 * first when it is within the size cap). Never rejects.
 */
export const parseErrorAsync = /* @__PURE__ */ parseErrorAsyncOf(pipeline, parseError);

/**
 * The error of a CKG Relay HTTP response. Reads at most 1 MiB of the body and
 * only the `Retry-After` header. A body that names no code (empty, not JSON)
 * falls back to the status: a bare 503 is AGENT_OFFLINE, a bare 500
 * RELAY_INTERNAL_ERROR. Never rejects.
 * `options.signal` (e.g. `AbortSignal.timeout(ms)`) stops a stalled body.
 */
export const fromResponse = /* @__PURE__ */ fromResponseOf(pipeline);

/**
 * A WebSocket close as a {@link CkgRelayError} (`surface: "close"`, the close
 * code as `code`), so that `retry()` can decide whether to reconnect: pass a
 * `CloseEvent`, or its code and reason (a string, or the Buffer `ws` hands over).
 * 4001 (bad agent token) needs a person; standard codes follow RFC 6455. Never throws.
 */
export const fromClose = /* @__PURE__ */ fromCloseOf(pipeline, websocket);

/**
 * CKG Relay as core builds it: the catalog, the reader and the close codes,
 * with the functions above. The CLI, the docs and the checks read every fact from it.
 */
export const protocol = /* @__PURE__ */ (() =>
  // The whole catalog, text for people included: core indexes it, so `protocol.index` finds a row's advice.
  // In a closure: a bundler keeps a pure call whose arguments spread an object.
  assembleProtocol(
    { ...definition, catalog },
    { pipeline, websocket, parseError, parseErrorAsync, fromResponse, unreadBody: unreadBodyOf(pipeline), fromClose },
  ))();

/**
 * How a WebSocket close code should be handled: 4001 (bad agent token) needs a
 * person to fix the token; standard codes follow RFC 6455. Undefined for codes
 * nobody documents.
 */
export function classifyCloseCode(code: number): CloseClassification | undefined {
  let found: CloseClassification | undefined;
  // Later rows win, as in fromClose: the protocol's own come after the standard ones.
  for (const row of websocket.closes) if (row.code === code && row.reason === undefined) found = row;
  return found && { name: found.name, retryable: found.retryable, action: found.action };
}

const decode = /* @__PURE__ */ decodeOf(pipeline);

// ws hands over a string, bytes or Buffer[]; a caller may have decoded the message already.
function decoded(message: unknown): unknown {
  const result = decode(message);
  return result.kind === "value" ? result.value : undefined;
}

/**
 * True for a WebSocket message whose `type` is `"error"`, as opposed to an
 * `event`, `token`, `reply`, `ping` or `pong`. Takes the decoded message or
 * the raw data (a string, bytes, or ws's Buffer[] fragments). Never throws.
 */
export function isErrorMessage(message: unknown): message is { type: "error"; [key: string]: unknown } {
  return field(decoded(message), "type") === "error";
}

const TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(["event", "token", "reply", "ping", "pong", "error"]);

/** The `type` of a WebSocket message (decoded or raw data), or undefined when it has none the relay uses. */
export function messageType(message: unknown): CkgRelayMessageType | undefined {
  const type = field(decoded(message), "type");
  return typeof type === "string" && TYPES.has(type) ? (type as CkgRelayMessageType) : undefined;
}
