// What an error keeps of what it read: a bounded copy, never a multiple of the input.

/** The most values a decoded payload kept as `raw` may hold; an error payload holds a few dozen. */
export const MAX_RAW_VALUES = 4096;

/**
 * What an error keeps as `raw`: the decoded payload when it holds at most
 * MAX_RAW_VALUES values, else the input as it was given (its text or bytes,
 * which the caller holds anyway): a decoded copy of a megabyte of `[{},…]`
 * costs 20 times the input. A value given already decoded is kept as it is.
 */
export function keptRaw(input: unknown, value: unknown): unknown {
  // Every JSON or MessagePack value takes a character or a byte of its own: a short input holds no more values
  // than its length, and is not walked (the walk was a twentieth of every parse).
  if (value === input || lengthOf(input) <= MAX_RAW_VALUES) return value;
  return moreValuesThan(value, MAX_RAW_VALUES) ? input : value;
}

/** The characters of a text or the bytes of a view; infinite for anything else (a decoded value, fragments). */
const lengthOf = (input: unknown): number =>
  typeof input === "string" ? input.length : ArrayBuffer.isView(input) ? input.byteLength : Number.POSITIVE_INFINITY;

/** True when `value` holds more than `max` values (objects, arrays and scalars); stops as soon as it does. */
function moreValuesThan(value: unknown, max: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (++count > max) return true;
    if (typeof item !== "object" || item === null) continue;
    try {
      if (Array.isArray(item)) {
        if (count + item.length > max) return true;
        for (const child of item) stack.push(child);
      } else {
        const keys = Object.keys(item);
        if (count + keys.length > max) return true;
        for (const key of keys) stack.push((item as Record<string, unknown>)[key]);
      }
    } catch {
      // Unreadable: counts as one value.
    }
  }
  return false;
}

/**
 * Makes the strings of a decoded payload that spell `code` the catalog's own
 * literal: one string every error shares, instead of a copy each (a body often
 * spells its code twice, as `code` and `type`). Two levels of objects deep, where
 * readers find codes. The values are equal, so nothing `raw` shows changes; only
 * call it on a payload wirefault decoded itself, never on a caller's object.
 */
export function shareCode(raw: unknown, code: string, depth = 0): void {
  // V8's JSON.parse already shares the strings of 10 characters or fewer.
  if (code.length > 10 && typeof raw === "object" && raw !== null && !Array.isArray(raw))
    try {
      const fields = raw as Record<string, unknown>;
      for (const key in fields)
        if (fields[key] === code) fields[key] = code;
        else if (depth === 0) shareCode(fields[key], code, 1);
    } catch {
      // A codec's frozen value: kept as it is.
    }
}
