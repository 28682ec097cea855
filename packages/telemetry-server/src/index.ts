/**
 * Typed errors for the device telemetry server's HTTP contract, for devices and servers.
 * @module @wirefault/telemetry-server
 */
export { type BlockCode, catalog, MAX_BYTES, type TelemetryServerCode, TelemetryServerErrorCode } from "./catalog.js";
export { isAlreadyRegistered, mustRegister, seqsToResend } from "./device.js";
export type { ParsedTelemetryServerError } from "./error.js";
export {
  type AnyTelemetryServerCode,
  type BlockError,
  type BlockErrorOptions,
  type BlockWire,
  DeviceNotFoundError,
  type FrameworkWire,
  InvalidPayloadError,
  InvalidSignatureError,
  TelemetryServerError,
  type TelemetryServerErrorInit,
  type TelemetryWire,
  type TopLevelWire,
  type ValidationIssue,
} from "./error.js";
export { fromResponse, readBatchResponse } from "./http.js";
export {
  type BatchResult,
  type ParseBatchOptions,
  type ParseContext,
  parseBatchResponse,
  parseError,
} from "./parse.js";
export {
  type BatchBody,
  type BatchReply,
  type BlockResult,
  batchResponse,
  deviceExistsBody,
  deviceNotFoundBody,
  type FrameworkErrorBody,
  frameworkErrorBody,
  type InternalErrorBody,
  internalErrorBody,
  validationErrorBody,
} from "./wire.js";
