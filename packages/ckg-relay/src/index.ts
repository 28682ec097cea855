/**
 * Typed errors for CKG Relay, with the page's retry rules, user messages and event validation.
 * @module @wirefault/ckg-relay
 */
export { type CkgRelayCode, CkgRelayErrorCode, catalog, codeAliases } from "./catalog.js";
export { CkgRelayCloseCode, classifyCloseCode, fromClose } from "./close.js";
export type { ParsedCkgRelayError } from "./error.js";
export {
  CkgRelayError,
  type CkgRelayErrorCodeValue,
  type CkgRelayErrorInit,
  type CkgRelayErrorMessage,
} from "./error.js";
export { fromResponse } from "./http.js";
export { GENERIC_USER_MESSAGE, type UserMessageOptions, userMessage } from "./messages.js";
export { MAX_ERROR_BYTES, type ParseContext, parseError, parseErrorAsync } from "./parse.js";
export { type CkgRelayEvent, MAX_EVENT_BYTES, validateEvent } from "./validate.js";
export { type CkgRelayMessageType, isErrorMessage, messageType } from "./wire.js";
