// Reading a decoded payload, or any value a caller hands over, without
// trusting it: a throwing getter, a Proxy trap or a revoked Proxy gives
// undefined, never an exception.

/** A property, own or inherited, or undefined when reading it throws (a hostile getter or Proxy). */
export const read = (value: object, key: string): unknown => {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
};

/** True when `key` is an own property; false when asking throws. */
export const own = (value: object, key: string): boolean => {
  try {
    return Object.hasOwn(value, key);
  } catch {
    return false;
  }
};

/** An own property of a plain-ish object (not an array), or undefined; never throws. */
export function field(value: unknown, key: string): unknown {
  try {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Anything with a `safeParse` in zod's shape: core's own checks, or a zod schema a caller passes. */
export interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * A field check from a type guard, for `pick()`. Plain `typeof` checks are all
 * the parsers need: a schema library would be bundled into every package for
 * this alone.
 */
export function check<T>(test: (value: unknown) => boolean): Schema<T> {
  return { safeParse: (value) => (test(value) ? { success: true, data: value as T } : { success: false }) };
}

/** A string field. */
export const TEXT: Schema<string> = /* @__PURE__ */ check((value) => typeof value === "string");
/** A finite number field: NaN and the infinities are not numbers on a JSON wire. */
export const NUMBER: Schema<number> = /* @__PURE__ */ check(
  (value) => typeof value === "number" && Number.isFinite(value),
);
/** A string or null field. */
export const NULLABLE_TEXT: Schema<string | null> = /* @__PURE__ */ check(
  (value) => value === null || typeof value === "string",
);

/**
 * One field of a decoded payload, validated by a schema; undefined when it is
 * absent or of the wrong type. Field by field rather than one object schema:
 * a wrong type in one field never hides the code in another.
 */
export function pick<T>(schema: Schema<T>, value: unknown, key: string): T | undefined {
  const result = schema.safeParse(field(value, key));
  return result.success ? result.data : undefined;
}
