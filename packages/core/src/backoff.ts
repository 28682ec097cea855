import type { RetryPolicy } from "./policy.js";

export type { Jitter } from "./policy.js";

import { sanitizeDelay } from "./error.js";
import { retryHintFromSeconds } from "./retry-hint.js";

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

// The longest HTTP-date form (RFC 850 with a full weekday) is 38 characters; a longer text is not one.
const MAX_DATE_LENGTH = 40;
// A weekday, a month and a time: what every HTTP-date form has and garbage ("Zzz 0001") lacks.
const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6},? .*\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.* \d{2}:\d{2}:\d{2} (GMT|\d{4})$/;

/**
 * Parses a `Retry-After` header into ms from `now`: delay-seconds (digits
 * only) or an HTTP-date (RFC 9110: IMF-fixdate, RFC 850 or asctime), always
 * read as GMT whatever the process's time zone. A delay too large for a
 * number (any count of digits) is clamped to 2^53−1 ms, never dropped, so
 * `retry()`'s own clamp (`maxRetryAfterMs`) applies to it: the rule of
 * `retryHintMs`, which a body's hint in seconds follows too. Decimal seconds,
 * signs, ISO 8601 dates, dates in another zone and garbage give undefined
 * (no hint, so the caller's own backoff applies), never 0. Dates in the past
 * give 0. The date itself is read by `Date.parse`, which is lenient: it
 * ignores the weekday, rolls 31 Feb over to 3 Mar and reads a two-digit year
 * as 1950-2049.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  // Digits only, linear in their count; too many for a number read as Infinity, which the hint rule clamps.
  if (/^\d+$/.test(text)) return retryHintFromSeconds(Number(text));
  if (text.length > MAX_DATE_LENGTH) return undefined;
  // Every HTTP-date ends in GMT, or, in asctime, in the year: a GMT that
  // Date.parse would otherwise read as local time.
  const form = HTTP_DATE.exec(text);
  const at = form ? Date.parse(form[1] === "GMT" ? text : `${text} GMT`) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
