import { MASK, maskText } from "./mask.js";
import { isSecretKey } from "./secret-keys.js";

const MAX_DEPTH = 64;

// JSON values only: anything else (undefined, a BigInt, a function, a class
// instance) means the payload was not read off a wire, and throws out of copy().
function copy(value: unknown, depth: number): unknown {
  if (typeof value === "string") return maskText(value);
  if (value === null || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))
    return value;
  if (typeof value !== "object" || depth > MAX_DEPTH) throw new TypeError("not JSON");
  if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new TypeError("not a plain object");
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a received `__proto__` key stays a key.
  for (const key of Object.keys(value))
    Object.defineProperty(out, key, {
      // A secret key's value is masked whole, whatever its type.
      value: isSecretKey(key) ? MASK : copy((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/**
 * For `toWire()` of an error read off the wire: a copy of the received payload
 * with the same keys, in the same order, with the same types, every string
 * masked like the message and a secret key's value masked whole. Undefined when the payload is not a JSON object
 * (an error built in code, or input that was never JSON), which then gets the page's shape.
 */
export function echoWire<T extends object = Record<string, unknown>>(raw: unknown): T | undefined {
  try {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
    // The shape `T` the caller names is the one its parser read this payload as.
    return copy(raw, 0) as T;
  } catch {
    return undefined;
  }
}
