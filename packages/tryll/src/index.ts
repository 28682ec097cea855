/**
 * Typed errors for Tryll ErrorResponse codes, recovery by range, without frame support.
 * @module @wirefault/tryll
 */
export type { LocalCode } from "@wirefault/core";
export { MALFORMED, type ParseContext, TOO_LARGE } from "@wirefault/core/protocol";
export {
  CLIENT_FAILURE,
  catalog,
  layerOf,
  MAX_FRAME_BYTES,
  ranges,
  type TryllCatalogEntry,
  type TryllCode,
  TryllErrorCode,
  type TryllLayer,
} from "./catalog.js";
export type { ParsedTryllError } from "./error.js";
export {
  TryllError,
  type TryllErrorCodeValue,
  type TryllErrorDetails,
  type TryllErrorInit,
} from "./error.js";
export { parseError, parseErrorAsync, protocol } from "./protocol.js";
export { fromSocketError, type SocketErrorContext } from "./socket.js";
export { isFrame, type TryllErrorResponse } from "./wire.js";
