/**
 * Typed errors for CKG Relay, with the page's retry rules, user messages and event validation.
 * @module @wirefault/ckg-relay
 */
export type { CloseLike, ParseContext, ReadOptions } from "@wirefault/core/protocol";
export {
  type CkgRelayCatalogEntry,
  CkgRelayCloseCode,
  type CkgRelayCode,
  CkgRelayErrorCode,
  catalog,
  closeCodes,
  codeAliases,
  GENERIC_RETRYING_USER_MESSAGE,
  GENERIC_USER_MESSAGE,
  MAX_ERROR_BYTES,
  MAX_EVENT_BYTES,
  situationTexts,
  type UserTexts,
} from "./catalog.js";
export type { ParsedCkgRelayError } from "./error.js";
export { CkgRelayError, type CkgRelayErrorCodeValue, type CkgRelayErrorInit } from "./error.js";
export { type UserMessageOptions, userMessage } from "./messages.js";
export {
  classifyCloseCode,
  fromClose,
  fromResponse,
  isErrorMessage,
  messageType,
  parseError,
  parseErrorAsync,
  protocol,
} from "./protocol.js";
export { type CkgRelayEvent, validateEvent } from "./validate.js";
export type { CkgRelayErrorMessage, CkgRelayMessageType } from "./wire.js";
