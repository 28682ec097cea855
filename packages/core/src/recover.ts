import type { RecoveryAction } from "./error.js";

/** What a recovery handler is told: the attempt that failed, and the caller's signal to run under. */
export interface RecoverContext {
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  /** The caller's signal (one that never aborts when there is none): pass it to the handler's own I/O. */
  readonly signal: AbortSignal;
}

/** A recovery handler: whatever it returns is awaited; a throw or a rejection ends the retry. */
export type RecoverHandler = (error: unknown, context: RecoverContext) => unknown;

/** The actions `retry()` runs a caller's handler for, before the next attempt. */
export type RecoverableAction = "reconnect" | "reset" | "wait";

/** `retry()`'s `recover` option: one handler per action that needs the caller's own code. */
export type RecoverHandlers = { readonly [A in RecoverableAction]?: RecoverHandler | undefined };

/** What `retry()` does with a failed attempt when the caller gave no handler for its action. */
export type Unhandled =
  /** Today's rule: `shouldRetry`, else `isRetryable`. */
  | "classify"
  /** The code's own policy says how to poll; without one the wait is for an event: give up. */
  | "policy-or-give-up"
  /** The same request cannot succeed as it is: give up, reason `"no-handler"`. */
  | "give-up"
  /** Never sent again: give up, reason `"not-retryable"`. */
  | "never";

/** One row of {@link RECOVERY_PLAN}. */
export interface RecoveryStep {
  /** The `recover` handler that runs before the next attempt, if the caller gave it. */
  readonly handler?: RecoverableAction;
  /** Whether a backoff sleep comes before the handler (a reconnect backs off; a reset or a wait is the wait). */
  readonly backoff: boolean;
  /** What happens when there is no handler. */
  readonly unhandled: Unhandled;
}

/** The table `retry()` reads after every failed attempt, one row per action (core's README shows it). */
export const RECOVERY_PLAN: Readonly<Record<RecoveryAction, RecoveryStep>> = /* @__PURE__ */ Object.freeze({
  retry: { backoff: true, unhandled: "classify" },
  throttle: { backoff: true, unhandled: "classify" },
  reconnect: { handler: "reconnect", backoff: true, unhandled: "classify" },
  reset: { handler: "reset", backoff: false, unhandled: "give-up" },
  wait: { handler: "wait", backoff: false, unhandled: "policy-or-give-up" },
  "fix-request": { backoff: false, unhandled: "never" },
  "user-action": { backoff: false, unhandled: "never" },
  abort: { backoff: false, unhandled: "never" },
});
