// A cause is never printed live: what an error keeps as its cause is a masked
// copy, built from what is known to be safe. An error thrown by an HTTP client
// library (openai-node's APIError family, the AI SDK's APICallError and
// RetryError) is copied field by field from an allowlist; it would otherwise
// print the request body, every response header and the URL with its query.
// Any other error keeps its prototype, with every own field masked.

import { own, read } from "./field.js";
import { MASK, maskValue } from "./mask.js";
import { setPrototype } from "./prototype.js";
import { isSecretKey } from "./secret-keys.js";
import { DISPLAY_CAP, displayText, escapeTerminal } from "./terminal-text.js";

/** Response headers a copy keeps: what tells when to retry and which request it was. */
export const KEPT_HEADERS: readonly string[] = /* @__PURE__ */ Object.freeze([
  "retry-after",
  "retry-after-ms",
  "x-request-id",
  "request-id",
  "x-ratelimit-limit-requests",
  "x-ratelimit-remaining-requests",
  "x-ratelimit-reset-requests",
  "x-ratelimit-limit-tokens",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-tokens",
]);

/** How deep a cause chain is copied; deeper causes are left out. */
export const MAX_CAUSE_DEPTH = 8;
// An AggregateError's errors, or a RetryError's: at most this many are copied.
const MAX_ERRORS = 16;

/**
 * What a client library's error becomes as a cause: its name, masked message,
 * status, code, request id, retry headers and cause chain. Never its request
 * body, its other response headers, nor its URL's secrets.
 */
export class ClientErrorCopy extends Error {
  // A pure static field, not a static block, so a bundle drops the unused class.
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: set for what it does to the prototype
  static readonly #prototype = /* @__PURE__ */ setPrototype(this, { name: "ClientErrorCopy" });
  /** The HTTP status the client saw, if the server answered. */
  declare readonly status?: number;
  /** The client's error code (openai's `code`, a system error's `ECONNREFUSED`). */
  declare readonly code?: string | number;
  /** openai's error `type` and `param`. */
  declare readonly type?: string;
  declare readonly param?: string;
  /** The server's request id (`x-request-id`), for support tickets. */
  declare readonly requestId?: string;
  /** The kept response headers ({@link KEPT_HEADERS}). */
  declare readonly headers?: Readonly<Record<string, string>>;
  /** The request URL, its userinfo and secret query values masked. */
  declare readonly url?: string;
  /** The AI SDK's own retry verdict. */
  declare readonly isRetryable?: boolean;
  /** The errors of an AggregateError or an AI SDK RetryError, each copied. */
  declare readonly errors?: readonly unknown[];
}

/** True for an error openai-node or the AI SDK threw, read by shape (a bundled copy fails instanceof). */
export function isClientError(value: unknown): value is Error {
  if (!(value instanceof Error)) return false;
  const openai = own(value, "status") && own(value, "headers") && own(value, "error");
  const aiSdk =
    typeof read(value, "isRetryable") === "boolean" && (own(value, "statusCode") || own(value, "requestBodyValues"));
  const retryError = own(value, "lastError") && Array.isArray(read(value, "errors"));
  return openai || aiSdk || retryError;
}

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  try {
    const get = read(headers, "get");
    const value = typeof get === "function" ? get.call(headers, name) : read(headers, name);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? displayText(value) : undefined);

// A copy's stack: its own first line, then the original's frames, masked and escaped.
function copyStack(name: string, message: string, original: unknown): string {
  const head = `${name}: ${message}`;
  if (typeof original !== "string") return head;
  const at = original.search(/\n\s+at /);
  if (at === -1) return head;
  return head + displayText(original.slice(at), { multiline: true, cap: 4 * DISPLAY_CAP });
}

function set(target: object, key: string, value: unknown, enumerable = true): void {
  if (value !== undefined)
    Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

function clientCopy(error: Error, depth: number): ClientErrorCopy {
  const name = displayText(String(read(error, "name") ?? "Error"));
  const message = displayText(String(read(error, "message") ?? ""));
  const copy = new ClientErrorCopy(message);
  set(copy, "name", name, false);
  const status = read(error, "status") ?? read(error, "statusCode");
  if (Number.isInteger(status)) set(copy, "status", status);
  const code = read(error, "code");
  if (typeof code === "string") set(copy, "code", displayText(code));
  else if (typeof code === "number") set(copy, "code", code);
  set(copy, "type", text(read(error, "type")));
  set(copy, "param", text(read(error, "param")));
  const headers = read(error, "headers") ?? read(error, "responseHeaders");
  const requestId = read(error, "requestID") ?? header(headers, "x-request-id") ?? header(headers, "request-id");
  set(copy, "requestId", text(requestId));
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = header(headers, name);
    if (value !== undefined) kept[name] = displayText(value);
  }
  if (Object.keys(kept).length > 0) set(copy, "headers", Object.freeze(kept));
  set(copy, "url", text(read(error, "url")));
  const retryable = read(error, "isRetryable");
  if (typeof retryable === "boolean") set(copy, "isRetryable", retryable);
  const errors = read(error, "errors");
  if (Array.isArray(errors)) set(copy, "errors", copyErrors(errors, depth));
  set(copy, "stack", copyStack(name, message, read(error, "stack")), false);
  set(copy, "cause", safeCause(read(error, "cause"), depth + 1), false);
  return copy;
}

const copyErrors = (errors: unknown[], depth: number): unknown[] =>
  errors.slice(0, MAX_ERRORS).map((item) => safeCause(item, depth + 1));

// Own fields of a copied error that are not data: written by the copy itself.
const BUILT = new Set(["name", "message", "stack", "cause", "errors"]);

function sameShapeCopy(error: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  const name = displayText(String(read(error, "name") ?? "Error"));
  const message = displayText(String(read(error, "message") ?? ""));
  // Inherited text (a DOMException's name and message, read by getters that refuse a copy) becomes the copy's own.
  set(copy, "name", name, own(error, "name") && Object.getOwnPropertyDescriptor(error, "name")?.enumerable === true);
  set(copy, "message", message, false);
  set(copy, "stack", copyStack(name, message, read(error, "stack")), false);
  let keys: string[] = [];
  try {
    keys = Object.getOwnPropertyNames(error);
  } catch {
    // a revoked proxy: nothing more to copy
  }
  for (const key of keys) {
    if (BUILT.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (!descriptor || !("value" in descriptor)) continue;
    const value = descriptor.value;
    // A field holding another error (`original`, `response`…) is copied like a cause, never kept live.
    const safe = value instanceof Error ? safeCause(value, depth + 1) : printable(maskValue(value));
    set(copy, key, isSecretKey(key) ? MASK : safe, descriptor.enumerable);
  }
  const errors = read(error, "errors");
  if (Array.isArray(errors)) set(copy, "errors", copyErrors(errors, depth), own(error, "errors"));
  if (own(error, "cause") || read(error, "cause") !== undefined)
    set(copy, "cause", safeCause(read(error, "cause"), depth + 1), false);
  return copy;
}

/** A masked value with its strings escaped: what a copy may print. */
export function printable(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return escapeTerminal(value);
  if (typeof value !== "object" || value === null || depth > 32) return value;
  if (Array.isArray(value)) return value.map((item) => printable(item, depth + 1));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, printable(v, depth + 1)]));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    Object.defineProperty(out, escapeTerminal(key), {
      value: printable((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/**
 * The cause as an error may keep it: a client library's error becomes a
 * {@link ClientErrorCopy}; any other error a copy with its prototype and every
 * field masked and escaped; a string is masked and escaped; a plain value is
 * a masked copy. wirefault's own errors are safe already and kept. Never throws.
 */
export function safeCause(cause: unknown, depth = 0): unknown {
  if (cause === undefined || cause === null) return cause;
  if (typeof cause === "string") return displayText(cause);
  if (typeof cause !== "object") return typeof cause === "function" ? undefined : cause;
  if (isWirefaultError(cause)) return cause;
  if (depth >= MAX_CAUSE_DEPTH) return undefined;
  try {
    if (isClientError(cause)) return clientCopy(cause, depth);
    if (cause instanceof Error) return sameShapeCopy(cause, depth);
    return printable(maskValue(cause));
  } catch {
    return undefined;
  }
}

// wirefault's own errors carry this brand (error.ts): built from masked text, they are kept as they are.
const BRAND = Symbol.for("wirefault.ProtocolError");
function isWirefaultError(value: object): boolean {
  try {
    return (value as { [BRAND]?: unknown })[BRAND] === true;
  } catch {
    return false;
  }
}
