/**
 * Everything a protocol package is built with: `defineProtocol`, the
 * transport bindings (`overHttp`, `overWebSocket`, `overSocket`), the builders
 * of each function on its own (`definePipeline`, then `parseErrorOf`,
 * `fromResponseOf`, `fromCloseOf`…), the types of a definition, and the
 * helpers its readers and codecs use. The one public
 * entry for protocol authors, covered by semver like the main one. It also
 * holds the values a package's error class and catalog are made of
 * (`ProtocolError`, `defineCatalog`, `redactSecrets`, the local codes), the
 * main entry's own values, so that a package importing from this entry alone
 * does not load `retry()` and the rate limiter at startup.
 * @module @wirefault/core/protocol
 */

export { RECOVERY_ACTIONS } from "./actions.js";
export { type CodeMap, codeMap, defineCatalog, type TextsOf, type WithText, withText } from "./catalog.js";
export type { ParseContext } from "./context.js";
export { asBytes, type DecodedInput, decodeInput, MAX_DEPTH, utf8Length } from "./decode.js";
export {
  assembleProtocol,
  type DefinedProtocol,
  decodeOf,
  definePipeline,
  defineProtocol,
  localErrorOf,
  type ParsedClose,
  type ProtocolParts,
  parseDecodedOf,
  parseErrorAsyncOf,
  parseErrorOf,
} from "./define-protocol.js";
export type {
  CloseCodeEntry,
  CloseLike,
  ErrorClass,
  ErrorInit,
  HttpBinding,
  Pipeline,
  ProtocolDefinition,
  Reader,
  Reading,
  SocketBinding,
  SocketContext,
  UnlistedCode,
  WebSocketBinding,
} from "./definition.js";
export { echoWire } from "./echo.js";
export { ABORTED, MALFORMED, NETWORK, ProtocolError, TIMEOUT, TOO_LARGE } from "./error.js";
export { check, field, NULLABLE_TEXT, NUMBER, pick, type Schema, TEXT } from "./field.js";
export { fromResponseOf, overHttp, unreadBodyOf } from "./http.js";
export { MAX_RAW_VALUES } from "./kept-raw.js";
export { LOCAL_CODES, type LocalCodeRow } from "./local-codes.js";
export { NETWORK_CODES, type NetworkFailure, networkFailure } from "./network.js";
export { redactSecrets } from "./redact.js";
export {
  BODY_TIMEOUT_MS,
  MAX_BODY_READS,
  MAX_EMPTY_READS,
  type ReadOptions,
  type ResponseBody,
  readResponse,
} from "./response.js";
export { fromSocketErrorOf, overSocket, type SocketCodes } from "./socket.js";
export { classifyStatus, httpStatus, type StatusReading } from "./status.js";
export {
  type CloseClassification,
  closeRow,
  fromCloseOf,
  overWebSocket,
  type StandardCloseCode,
  standardCloses,
} from "./websocket.js";
