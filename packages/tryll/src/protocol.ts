import {
  assembleProtocol,
  definePipeline,
  field,
  fromSocketErrorOf,
  overSocket,
  type ProtocolDefinition,
  parseErrorAsyncOf,
  parseErrorOf,
} from "@wirefault/core/protocol";
import {
  CLIENT_FAILURE,
  catalog,
  codes,
  MAX_FRAME_BYTES,
  ranges,
  type TryllCatalogEntry,
  TryllErrorCode,
} from "./catalog.js";
import { TryllError } from "./error.js";
import { decode, readers } from "./readers.js";

/** What the caller knows about the socket when it failed. */
export interface SocketErrorContext {
  /** False while still connecting: any recognised failure is then 1001 ConnectionFailed. */
  connected?: boolean;
  requestId?: bigint;
  agentId?: bigint;
}

/** An id the caller passed, read without trusting the context: null, a Proxy or a throwing getter give nothing. */
function contextId(context: unknown, key: "requestId" | "agentId"): bigint | undefined {
  const value = field(context, key);
  return typeof value === "bigint" ? value : undefined;
}

/**
 * What Tryll hands to core: the catalog, the layer ranges and the readers.
 * The frame subpath builds its protocol from the same definition with its
 * FlatBuffers codec. No HTTP and no WebSocket: Tryll is framed TCP. Its socket
 * binding is apart, `fromSocketError`'s alone.
 * @internal
 */
export const definition: ProtocolDefinition<TryllCatalogEntry, TryllError> = {
  name: "tryll",
  title: "Tryll",
  maxBytes: MAX_FRAME_BYTES,
  // Without the page's advice, which only `protocol` reads (the whole `catalog`).
  catalog: codes,
  ranges,
  codec: decode,
  readers,
  errorClass: () => TryllError,
};

/**
 * A socket's failures by core's network table: a failure to connect, a drop, a timeout; anything else is code 0.
 * @internal
 */
// In a pure closure: a bundler keeps a pure call whose arguments read properties (TryllErrorCode.X).
export const socket = /* @__PURE__ */ (() =>
  overSocket<SocketErrorContext>({
    surface: "response",
    unreachable: TryllErrorCode.ConnectionFailed,
    dropped: TryllErrorCode.ConnectionDropped,
    timeout: TryllErrorCode.Timeout,
    other: CLIENT_FAILURE,
    // Code 0 has no summary: what the client raised is its message, on the wire too.
    details: (context, said) => ({
      wireMessage: said ?? "",
      requestId: contextId(context, "requestId"),
      agentId: contextId(context, "agentId"),
    }),
  }))();

/** What the main entry's functions are built from. @internal */
export const pipeline = /* @__PURE__ */ definePipeline(definition);

/**
 * Parses a Tryll error: a decoded `{code, message, request_id?, agent_id?}`,
 * its JSON text or UTF-8 bytes. Never throws: anything else is `MALFORMED`
 * (`TOO_LARGE` past 1 MiB), `known: false`. Binary frames need the frame
 * codec: use `parseError` from `@wirefault/tryll/frame`; here they give MALFORMED.
 */
export const parseError = /* @__PURE__ */ parseErrorOf(pipeline);

/** parseError for every form of data, a browser's Blob included (read first when it is within the cap). Never rejects. */
export const parseErrorAsync = /* @__PURE__ */ parseErrorAsyncOf(pipeline, parseError);

/**
 * Maps a socket failure to 1001 ConnectionFailed, 1002 ConnectionDropped or
 * 1003 Timeout, by core's network table (the one `isRetryable` reads). Anything
 * else (an abort, a TLS or programming error) becomes code 0, the
 * client-failure code: unknown, `abort`. Never throws.
 */
export const fromSocketError = /* @__PURE__ */ fromSocketErrorOf(pipeline, socket);

/**
 * Tryll as core builds it, without the frame codec. The CLI, the docs and the
 * checks read every fact from it.
 */
export const protocol = /* @__PURE__ */ (() =>
  // The whole catalog, the page's advice included: core indexes it, so `protocol.index` finds a row's advice.
  // In a closure: a bundler keeps a pure call whose arguments spread an object.
  assembleProtocol({ ...definition, catalog }, { pipeline, socket, fromSocketError, parseError, parseErrorAsync }))();
