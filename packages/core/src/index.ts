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
export { ClientErrorCopy, KEPT_HEADERS } from "./client-error-copy.js";
export type { Clock, TimedClock } from "./clock.js";
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
export { GIVE_UP_REASONS, type GiveUpEvent, type GiveUpReason } from "./give-up.js";
export { MASK, maskValue } from "./mask.js";
export { messageText } from "./message-text.js";
export { type RateLimiter, type RateLimiterOptions, rateLimiter } from "./rate-limiter.js";
export {
  RECOVERY_PLAN,
  type RecoverableAction,
  type RecoverContext,
  type RecoverHandler,
  type RecoverHandlers,
  type RecoveryStep,
  type Unhandled,
} from "./recover.js";
export { escapeControls, redactSecrets } from "./redact.js";
export { policyFor, type RetryEvent, type RetryOptions, retry } from "./retry.js";
export { type RetryBudget, type RetryBudgetOptions, retryBudget } from "./retry-budget.js";
export { retryHintFromSeconds, retryHintMs } from "./retry-hint.js";
export { SECRET_FORMS, type SecretForm } from "./secret-forms.js";
export { isSecretKey, SECRET_KEYS } from "./secret-keys.js";
export { DISPLAY_CAP } from "./terminal-text.js";
