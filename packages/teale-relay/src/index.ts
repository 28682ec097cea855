/**
 * Typed errors for the Teale relay, its local HTTP API, PTN and Noise.
 * @module @wirefault/teale-relay
 */
export {
  type ApiCode,
  catalog,
  codeAliases,
  type NoiseCode,
  NoiseErrorCode,
  type PtnCode,
  PtnErrorCode,
  type RelayCode,
  type TealeRelayCode,
  TealeRelayErrorCode,
} from "./catalog.js";
export { type CloseLike, fromClose, REPLACED_BY_NEWER_SESSION, TealeRelayCloseEvent } from "./close.js";
export type { ParsedTealeRelayError } from "./error.js";
export {
  type LocalErrorOptions,
  NoiseError,
  PtnError,
  TealeRelayError,
  type TealeRelayErrorDetails,
  type TealeRelayErrorInit,
} from "./error.js";
export { fromResponse } from "./http.js";
export { type ParseContext, parseError, parseErrorAsync, peerNodeIdOf } from "./parse.js";
export {
  type ApiErrorBody,
  type InferenceErrorFrame,
  isErrorFrame,
  isInferenceError,
  MAX_BYTES,
  type RelayErrorFrame,
  type TealeWire,
} from "./wire.js";
