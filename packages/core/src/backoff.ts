import type { RetryPolicy } from "./policy.js";

export type { Jitter } from "./policy.js";

import { sanitizeDelay } from "./error.js";

/** The policy used where neither the catalog nor the caller says otherwise. */
export const DEFAULT_POLICY: Required<RetryPolicy> = /* @__PURE__ */ Object.freeze({
  baseMs: 1000,
  factor: 2,
  capMs: 30_000,
  minDelayMs: 0,
  maxAttempts: 5,
  jitter: "full",
});

const num = (value: unknown, fallback: number): number => sanitizeDelay(value) ?? fallback;

/**
 * The delay before retry number `retry` (1 for the first retry). Never
 * negative, never above `capMs`, and at least `minDelayMs` unless the cap is lower.
 */
export function backoffDelay(
  retry: number,
  policy: RetryPolicy = {},
  random: () => number = Math.random,
  previousMs?: number,
): number {
  const d = DEFAULT_POLICY;
  const base = num(policy.baseMs, d.baseMs);
  const cap = num(policy.capMs, d.capMs);
  const exp = Math.min(cap, base * num(policy.factor, d.factor) ** (Math.max(1, Math.floor(num(retry, 1))) - 1));
  let r = random();
  r = r >= 0 && r < 1 ? r : 0.5;
  const jitter = policy.jitter;
  const delay =
    jitter === "none"
      ? exp
      : jitter === "equal"
        ? (exp + r * exp) / 2
        : jitter === "decorrelated"
          ? base + r * (Math.max(base, num(previousMs, base)) * 3 - base)
          : r * exp;
  return Math.min(cap, Math.max(num(policy.minDelayMs, 0), delay || 0));
}

/**
 * Parses a `Retry-After` header into ms from `now`: delay-seconds (digits
 * only) or an HTTP-date (RFC 9110: IMF-fixdate, RFC 850 or asctime), always
 * read as GMT whatever the process's time zone. Decimal seconds, signs, ISO
 * 8601 dates and dates in another zone give undefined, so the caller's own
 * backoff applies; so do absent or unparseable values. Dates in the past give
 * 0. The date itself is read by `Date.parse`, which is lenient: it ignores the
 * weekday, rolls 31 Feb over to 3 Mar and reads a two-digit year as 1950-2049.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  // Digits only; a bound keeps a megabyte of them from becoming Infinity.
  if (/^\d{1,15}$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date starts with a weekday and ends in GMT, or, in asctime, in
  // the year: a GMT that Date.parse would otherwise read as local time.
  const form = /^[A-Z][a-z]{2}.* (GMT|\d{4})$/.exec(text);
  const at = form ? Date.parse(form[1] === "GMT" ? text : `${text} GMT`) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
