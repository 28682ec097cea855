/**
 * Typed errors for Atlas wire ErrorMessage and zone.error messages, without the MessagePack codec.
 * @module @wirefault/atlas
 */
export type { ParseContext } from "@wirefault/core/protocol";
export {
  type AtlasCatalogEntry,
  type AtlasCode,
  AtlasErrorCode,
  type AtlasWireCode,
  type AtlasZoneCode,
  catalog,
  ERR_HANDSHAKE_FAILED,
  ERR_HANDSHAKE_TIMEOUT,
  ERR_INTERNAL,
  ERR_INVALID_IDENTITY,
  ERR_MESSAGE_REJECTED,
  ERR_NOT_VERIFIED,
  ERR_PAYLOAD_TOO_LARGE,
  ERR_PROTOCOL_VERSION,
  ERR_RATE_LIMITED,
  MAX_JSON_BYTES,
  MAX_PAYLOAD_SIZE,
  ranges,
} from "./catalog.js";
export type { ParsedAtlasError } from "./error.js";
export { AtlasError, type AtlasErrorCodeValue, type AtlasErrorDetails, type AtlasErrorInit } from "./error.js";
export { parseError, parseErrorAsync, protocol } from "./protocol.js";
export {
  type AtlasErrorMessage,
  ERROR_MESSAGE_FRAME_TYPE,
  type ZoneErrorMessage,
} from "./wire.js";
