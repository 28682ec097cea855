/**
 * Typed errors for the Teale relay, its local HTTP API, PTN and Noise.
 * @module @wirefault/teale-relay
 */

export type { CloseLike, ParseContext, ReadOptions } from "@wirefault/core/protocol";
export {
  type ApiCode,
  catalog,
  closeCodes,
  codeAliases,
  MAX_BYTES,
  type NoiseCode,
  NoiseErrorCode,
  type PtnCode,
  PtnErrorCode,
  REPLACED_BY_NEWER_SESSION,
  type RelayCode,
  TealeRelayCloseEvent,
  type TealeRelayCode,
  TealeRelayErrorCode,
  unlisted,
} from "./catalog.js";
export type { ParsedTealeRelayError } from "./error.js";
export {
  type LocalErrorOptions,
  NoiseError,
  PtnError,
  TealeRelayError,
  type TealeRelayErrorDetails,
  type TealeRelayErrorInit,
} from "./error.js";
export {
  fromClose,
  fromResponse,
  isErrorFrame,
  isInferenceError,
  parseError,
  parseErrorAsync,
  protocol,
} from "./protocol.js";
export { peerNodeIdOf } from "./readers.js";
export type {
  ApiErrorBody,
  InferenceErrorFrame,
  RelayErrorFrame,
  TealeWire,
} from "./wire.js";
