/**
 * Typed errors for the device telemetry server's HTTP contract, for devices and servers.
 * @module @wirefault/telemetry-server
 */
export type { ParseContext, ReadOptions } from "@wirefault/core/protocol";
export {
  type BatchResult,
  MAX_BATCH_BLOCKS,
  type ParseBatchOptions,
  parseBatchResponse,
  readBatchResponse,
} from "./batch.js";
export {
  type BlockClassName,
  type BlockCode,
  catalog,
  MAX_BYTES,
  type TelemetryServerCode,
  type TelemetryServerEntry,
  TelemetryServerErrorCode,
} from "./catalog.js";
export { isAlreadyRegistered, mustRegister, seqsToResend } from "./device.js";
export type { ParsedTelemetryServerError } from "./error.js";
export {
  type AnyTelemetryServerCode,
  type BlockError,
  type BlockErrorClass,
  type BlockErrorOptions,
  DeviceNotFoundError,
  InvalidPayloadError,
  InvalidSignatureError,
  RawJsonMismatchError,
  TelemetryServerError,
  type TelemetryServerErrorDetails,
  type TelemetryServerErrorInit,
} from "./error.js";
export { fromResponse, parseError, parseErrorAsync, protocol } from "./protocol.js";
export { matchTemplate, type TemplateMatch } from "./readers.js";
export {
  MAX_BATCH,
  type RejectedBlock,
  type SendTelemetryOptions,
  type SendTelemetryResult,
  type SeqOf,
  sendTelemetry,
  type TelemetryBlockLike,
} from "./send-telemetry.js";
export {
  type BatchBody,
  type BatchReply,
  type BlockResult,
  type BlockWire,
  batchResponse,
  deviceExistsBody,
  deviceNotFoundBody,
  type FrameworkErrorBody,
  type FrameworkWire,
  frameworkErrorBody,
  type InternalErrorBody,
  internalErrorBody,
  type TelemetryWire,
  type TopLevelWire,
  type ValidationIssue,
  validationErrorBody,
} from "./wire.js";
