// The meaning of each recovery action, in one phrase: what every protocol's catalog relies on.
import type { RecoveryAction } from "./error.js";

/** What each recovery action asks of the caller, in one phrase: the meaning every protocol's catalog relies on. */
export const RECOVERY_ACTIONS: Readonly<Record<RecoveryAction, string>> = /* @__PURE__ */ Object.freeze({
  retry: "a transient failure; the same request may succeed after backoff",
  throttle: "rate limited; retry more slowly and honour retryAfterMs",
  reconnect: "the connection or session is gone; reconnect, then retry",
  reset: "re-create server-side state, then retry",
  wait: "an operation is still in flight; wait for it rather than re-send",
  "fix-request": "the request is wrong; retrying it unchanged cannot help",
  "user-action": "a person must act (permissions, payment, disk, catalog)",
  abort: "a protocol violation or version mismatch; stop, log and investigate",
});
