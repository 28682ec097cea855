/**
 * Why `retry()` gave up:
 * - `"exhausted"`: attempts (the code's limit, `maxAttempts`) or `maxRecoveries` ran out;
 * - `"budget"`: the shared retry budget could not afford another retry or recovery;
 * - `"not-retryable"`: the error's action or `shouldRetry` says the same request cannot succeed;
 * - `"no-handler"`: a reset, or a wait for an event, with no `recover` handler to perform it;
 * - `"handler-failed"`: a `recover` handler threw or rejected;
 * - `"hook-failed"`: `onRetry` or `shouldRetry` threw or rejected;
 * - `"aborted"`: the caller's signal ended it.
 */
export type GiveUpReason =
  | "exhausted"
  | "budget"
  | "not-retryable"
  | "no-handler"
  | "handler-failed"
  | "hook-failed"
  | "aborted";

/** Every {@link GiveUpReason}, in the order the docs list them. */
export const GIVE_UP_REASONS: readonly GiveUpReason[] = /* @__PURE__ */ Object.freeze([
  "exhausted",
  "budget",
  "not-retryable",
  "no-handler",
  "handler-failed",
  "hook-failed",
  "aborted",
]);

/** What `onGiveUp` is told, once, when `retry()` gives up. */
export interface GiveUpEvent {
  /** The last attempt's error; on an abort, the last protocol error, or the signal's reason when no attempt failed. */
  readonly error: unknown;
  /** Attempts made, the first included. */
  readonly attempts: number;
  /** `recover` handler runs made. */
  readonly recoveries: number;
  readonly reason: GiveUpReason;
}

/**
 * Tells `onGiveUp`, which is a notification: it is not awaited, and neither
 * its throw nor its rejection may replace the error the caller gets or go
 * unobserved.
 */
export function notifyGiveUp(hook: ((event: GiveUpEvent) => unknown) | undefined, event: GiveUpEvent): void {
  if (hook === undefined) return;
  try {
    const result = hook(event);
    if (typeof result === "object" && result !== null && typeof (result as PromiseLike<unknown>).then === "function")
      Promise.resolve(result).then(undefined, ignore);
  } catch {
    // the caller is already being rejected with the error that matters
  }
}

const ignore = () => {};
