import type { RetryPolicy } from "./catalog.js";
import { sanitizeDelay } from "./error.js";

/** How a backoff delay is randomised. */
export type Jitter = "full" | "equal" | "decorrelated" | "none";

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

// RFC 9110 5.6.7: the three HTTP-date forms every recipient must accept,
// all of them GMT whatever the process's time zone: IMF-fixdate and obsolete
// RFC 850 (groups 2-5, a two-digit year and a long weekday in RFC 850), then
// asctime (6-9, the year at the end).
const HTTP_DATE =
  /^(\w{3})(?:\w*, (\d\d)[ -](\w{3})[ -](\d{2,4}) (\d\d:\d\d:\d\d) GMT| (\w{3}) ([ \d]\d) (\d\d:\d\d:\d\d) (\d{4}))$/;

/**
 * Parses a `Retry-After` header into ms from `now`, as RFC 9110 defines it:
 * delay-seconds (digits only) or an HTTP-date in any of its three forms,
 * always read as GMT. Decimal seconds, signs, ISO 8601 dates and dates that
 * do not exist (31 Feb, a wrong weekday) give undefined, so the caller's own
 * backoff applies; so do absent or unparseable values. Dates in the past give 0.
 * Tolerated in the first two forms: letters after the weekday's first three,
 * a space or a dash between day, month and year, and a 2- to 4-digit year.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  // Digits only; a bound keeps a megabyte of them from becoming Infinity.
  if (/^\d{1,15}$/.test(text)) return Number(text) * 1000;
  const m = HTTP_DATE.exec(text);
  if (!m) return undefined;
  let year = Number(m[4] ?? m[9]);
  // RFC 850's two-digit year: the latest year with those digits not over 50 years ahead.
  const latest = new Date(now).getUTCFullYear() + 50;
  if (year < 100) year = latest - ((latest - year) % 100);
  // Rewritten as IMF-fixdate, the one form Date.parse must read (as GMT); the
  // round trip refuses what it would roll over or misread (31 Feb, 24:00, a
  // wrong weekday, a month "Foo").
  const imf = `${m[1]}, ${m[2] ?? m[7]?.replace(" ", "0")} ${m[3] ?? m[6]} ${year} ${m[5] ?? m[8]} GMT`;
  const at = Date.parse(imf);
  return new Date(at).toUTCString() === imf ? Math.max(0, at - now) : undefined;
}
