/**
 * Typed errors for Tryll ErrorResponse codes, recovery by range, without frame support.
 * @module @wirefault/tryll
 */
export { type LocalCode, MALFORMED, TOO_LARGE } from "@wirefault/core";
export {
  catalog,
  layerOf,
  ranges,
  type TryllCatalogEntry,
  type TryllCode,
  TryllErrorCode,
  type TryllLayer,
} from "./catalog.js";
export type { ParsedTryllError } from "./error.js";
export {
  CLIENT_FAILURE,
  TryllError,
  type TryllErrorCodeValue,
  type TryllErrorInit,
  type TryllErrorResponse,
} from "./error.js";
export { type ParseContext, parseError } from "./parse.js";
export { fromSocketError, type SocketErrorContext } from "./socket.js";
export { isFrame, MAX_FRAME_BYTES } from "./wire.js";
