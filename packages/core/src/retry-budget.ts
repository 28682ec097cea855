import { clampOption } from "./options.js";

/**
 * Options of {@link retryBudget}, sanitized like `retry()`'s: missing,
 * non-number or NaN gives the default, other numbers are clamped into range.
 *
 * The rule they keep, whatever their values: retries never exceed
 * `capacity / retryCost` plus one per ten successes. Under total failure,
 * once the first `capacity` tokens are spent, no call retries again, so
 * 1,000 failing callers on the default budget make at most 1,010 attempts.
 */
export interface RetryBudgetOptions {
  /** Tokens available for retries when nothing has succeeded yet; 0 … 2^53−1. Default 10. */
  capacity?: number;
  /** Tokens one retry (or one `recover` handler run) costs; at least 1, so that no cost makes retries near-free. Default 1. */
  retryCost?: number;
  /** Tokens one success gives back, up to capacity; 0 … a tenth of `retryCost` (ten successes pay for one retry). Default 0.1. */
  successRefund?: number;
}

/** A token bucket shared by many `retry()` callers. */
export interface RetryBudget {
  /** Tokens left. */
  readonly tokens: number;
  /** Spends one retry's tokens; false when the budget cannot afford it. */
  tryAcquire(): boolean;
  /** Records a success, refunding some tokens up to capacity. */
  succeeded(): void;
}

// One retry per ten successes at most: the bound the budget exists to keep.
const MAX_RETRY_SHARE = 0.1;

/**
 * A retry budget: a retry spends tokens, a success refunds some. When it is
 * empty, callers fail fast instead of multiplying a server's outage.
 */
export function retryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const capacity = clampOption(options?.capacity, 0, Number.MAX_SAFE_INTEGER, 10);
  // Below 1, a retry would cost less than a token of capacity, and capacity/retryCost retries would follow.
  const retryCost = clampOption(options?.retryCost, 1, Number.MAX_SAFE_INTEGER, 1);
  // Above a tenth of the cost, successes would pay for more than one retry in ten.
  const maxRefund = Math.min(capacity, retryCost * MAX_RETRY_SHARE);
  const successRefund = clampOption(options?.successRefund, 0, maxRefund, Math.min(0.1, maxRefund));
  let tokens = capacity;
  return {
    get tokens() {
      return tokens;
    },
    tryAcquire() {
      if (tokens < retryCost) return false;
      tokens -= retryCost;
      return true;
    },
    succeeded() {
      tokens = Math.min(capacity, tokens + successRefund);
    },
  };
}
