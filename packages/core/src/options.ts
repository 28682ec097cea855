// The one sanitizing rule of every numeric option, and the boundary checks of the rest.

/** Timers cannot sleep longer than 2^31-1 ms; longer values fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The sanitizing rule of every numeric option: missing, non-number or NaN
 * gives `fallback`; any other number is clamped into `[min, max]`.
 */
export function clampOption(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value !== "number" || Number.isNaN(value) ? fallback : Math.min(max, Math.max(min, value));
}

/** Attempts and recoveries: 0 or 1 … 2^53−1, floored. */
export const countOption = (value: unknown, min: number, fallback: number): number =>
  Math.floor(clampOption(value, min, Number.MAX_SAFE_INTEGER, fallback));

/** Delays: 0 … 2^31−1 ms. */
export const delayOption = (value: unknown, fallback: number): number => clampOption(value, 0, MAX_TIMER_MS, fallback);

/** The TypeError a wrong option rejects with, naming it. */
export const optionError = (where: string, name: string, expected: string): TypeError =>
  new TypeError(`${where}: ${name} must be ${expected}`);

/** True for undefined or a function: what every hook option must be. */
export const isHook = (value: unknown): boolean => value === undefined || typeof value === "function";

/** True for undefined or an object whose named members are all functions. */
export function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (value === undefined) return true;
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  for (const name of names) if (typeof record[name] !== "function") return false;
  return true;
}
