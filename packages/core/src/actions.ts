// The meaning of each recovery action, in one phrase, and what retry() does about it
// (recover.ts holds the latter as data: RECOVERY_PLAN).
import type { RecoveryAction } from "./error.js";

/** What each action asks of the caller, and what `retry()` does about it. */
export const RECOVERY_ACTIONS: Readonly<Record<RecoveryAction, string>> = /* @__PURE__ */ Object.freeze({
  retry: "a transient failure; the same request may succeed after backoff (retry() backs off and sends again)",
  throttle:
    "rate limited; retry more slowly and honour retryAfterMs (retry() waits as hinted or computed, and a shared limiter slows every caller)",
  reconnect:
    "the connection or session is gone; reconnect, then retry (retry() backs off, runs recover.reconnect if given, and sends again)",
  reset:
    "re-create server-side state, then retry (retry() runs recover.reset, then sends again; without it, it gives up)",
  wait: "an operation is still in flight; wait for it rather than re-send (retry() runs recover.wait, then sends again; without it, it polls as the code's policy says, or gives up when the code has none)",
  "fix-request": "the request is wrong; retrying it unchanged cannot help (retry() gives up)",
  "user-action": "a person must act (permissions, payment, disk, catalog) (retry() gives up)",
  abort: "a protocol violation or version mismatch; stop, log and investigate (retry() gives up)",
});
