// What retry() does after a failed attempt: the recovery table, the caller's shouldRetry, a mid-stream error.
import { isRetryable } from "./classify.js";
import { isProtocolError } from "./error.js";
import type { GiveUpReason } from "./give-up.js";
import { RECOVERY_PLAN, type RecoverHandler, type RecoveryStep } from "./recover.js";
import type { Settings } from "./retry-settings.js";

/** The row of RECOVERY_PLAN for an error's action, when it is one of the eight. */
export function stepOf(error: unknown): RecoveryStep | undefined {
  if (!isProtocolError(error)) return undefined;
  const action = error.action;
  return Object.hasOwn(RECOVERY_PLAN, action) ? RECOVERY_PLAN[action] : undefined;
}

/**
 * Why retry() gives up after a failed attempt, or undefined to go again. Reads the error's row
 * (`step`) and the caller's handler for it; `shouldRetry`, when given, replaces the verdict but not the handler.
 */
export function decide(
  error: unknown,
  attempt: number,
  s: Settings,
  step: RecoveryStep | undefined,
  handler: RecoverHandler | undefined,
): GiveUpReason | undefined {
  // After the response began, a retry repeats delivered work: only an idempotent call may.
  if (!s.idempotent && isProtocolError(error) && error.midStream === true) return "not-retryable";
  if (s.shouldRetry !== undefined) return s.shouldRetry(error, attempt) ? undefined : "not-retryable";
  // The handler performs what the row asks for, so even a `retryable: "no"` reset may go again.
  if (handler !== undefined) return undefined;
  switch (step?.unhandled) {
    case undefined:
    case "classify":
      break;
    case "policy-or-give-up":
      // A row with a policy is a poll: wait as it says. Without one, the wait is for an event.
      if (isProtocolError(error) && error.policy !== undefined) break;
      return "no-handler";
    case "give-up":
      return "no-handler";
    case "never":
      return "not-retryable";
  }
  return isRetryable(error) ? undefined : "not-retryable";
}
