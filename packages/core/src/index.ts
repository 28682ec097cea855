/**
 * The base error class, retry classification, backoff and retry() shared by every wirefault package.
 * @module @wirefault/core
 */
export { backoffDelay, DEFAULT_POLICY, type Jitter, parseRetryAfter } from "./backoff.js";
export {
  type Catalog,
  type CatalogEntry,
  type CatalogIndex,
  type CatalogRow,
  type Classification,
  type CodeRange,
  type DefinedCatalog,
  defineCatalog,
  type IndexOptions,
  indexCatalog,
  type Named,
  type RetryPolicy,
} from "./catalog.js";
export { isRetryable } from "./classify.js";
export {
  ABORTED,
  isLocalCode,
  isProtocolError,
  type KnownCode,
  type LocalCode,
  MALFORMED,
  NETWORK,
  type Parsed,
  type Protocol,
  ProtocolError,
  type ProtocolErrorInit,
  type RecoveryAction,
  type Retryable,
  sanitizeDelay,
  TIMEOUT,
  TOO_LARGE,
  type Verdict,
  type WireFacts,
} from "./error.js";
export { escapeControls, redactSecrets } from "./redact.js";
export {
  type Clock,
  policyFor,
  type RetryBudget,
  type RetryBudgetOptions,
  type RetryEvent,
  type RetryOptions,
  retry,
  retryBudget,
} from "./retry.js";
