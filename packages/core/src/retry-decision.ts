// What retry() does after a failed attempt: the recovery table, the caller's shouldRetry, a mid-stream error.
import { isRetryable } from "./classify.js";
import { isProtocolError, type RecoveryAction } from "./error.js";
import type { GiveUpReason } from "./give-up.js";
import { RECOVERY_PLAN, type RecoverHandler, type RecoveryStep } from "./recover.js";
import type { Settings } from "./retry-settings.js";

/** What the table and the caller's hooks decide after a failed attempt. */
export interface Decision {
  /** Try again; otherwise give up for `reason`. */
  readonly again: boolean;
  readonly reason: GiveUpReason;
  /** The `recover` handler to run before the next attempt (read only when `again`). */
  readonly handler: RecoverHandler | undefined;
  readonly step: RecoveryStep | undefined;
}

/** The action of an error, when it is one of the eight. */
export function actionOf(error: unknown): RecoveryAction | undefined {
  if (!isProtocolError(error)) return undefined;
  const action = error.action;
  return Object.hasOwn(RECOVERY_PLAN, action) ? action : undefined;
}

/** Reads RECOVERY_PLAN for the error's action; `shouldRetry`, when given, replaces the verdict but not the handler. */
export function decide(error: unknown, attempt: number, s: Settings): Decision {
  const action = actionOf(error);
  const step = action === undefined ? undefined : RECOVERY_PLAN[action];
  const handler = step?.handler === undefined ? undefined : s.recover?.[step.handler];
  const verdict = (again: boolean, reason: GiveUpReason = "not-retryable"): Decision => ({
    again,
    reason,
    handler,
    step,
  });
  // After the response began, a retry repeats delivered work: only an idempotent call may.
  if (!s.idempotent && isProtocolError(error) && error.midStream === true) return verdict(false);
  if (s.shouldRetry !== undefined) return verdict(Boolean(s.shouldRetry(error, attempt)));
  if (step === undefined) return verdict(isRetryable(error));
  // The handler performs what the row asks for, so even a `retryable: "no"` reset may go again.
  if (handler !== undefined) return verdict(true);
  switch (step.unhandled) {
    case "classify":
      return verdict(isRetryable(error));
    case "policy-or-give-up":
      // A row with a policy is a poll: wait as it says. Without one, the wait is for an event.
      return isProtocolError(error) && error.policy !== undefined
        ? verdict(isRetryable(error))
        : verdict(false, "no-handler");
    case "give-up":
      return verdict(false, "no-handler");
    case "never":
      return verdict(false);
  }
}
