import { printable, safeCause } from "./client-error-copy.js";
import { maskJson, maskValue } from "./mask.js";
import type { RetryPolicy } from "./policy.js";
import { setPrototype } from "./prototype.js";
import { retryHintMs } from "./retry-hint.js";
import { displayText, escapeTerminal } from "./terminal-text.js";

/** The name of a wire protocol: one of wirefault's five, or one built with `defineProtocol`. */
// Open: a protocol is whatever `defineProtocol` was given; the five are listed for completion.
export type Protocol = "teale-relay" | "telemetry-server" | "ckg-relay" | "atlas" | "tryll" | (string & {});

/** What the caller should do next; a closed set shared by every protocol. */
export type RecoveryAction =
  | "retry"
  | "throttle"
  | "reconnect"
  | "reset"
  | "wait"
  | "fix-request"
  | "user-action"
  | "abort";

/** Whether the same request may succeed if sent again. */
export type Retryable = "yes" | "no" | "maybe";

/** Code given to input that is not a recognisable error of the protocol. */
export const MALFORMED = "WIREFAULT_MALFORMED";
/** Code given to input refused by the size cap before it was decoded. */
export const TOO_LARGE = "WIREFAULT_TOO_LARGE";
/** Code given when the connection failed or dropped before an answer was read: retryable. */
export const NETWORK = "WIREFAULT_NETWORK";
/** Code given when no answer came in time: retryable. */
export const TIMEOUT = "WIREFAULT_TIMEOUT";
/** Code given when the caller aborted the request itself: never retried. */
export const ABORTED = "WIREFAULT_ABORTED";
/** Codes wirefault itself assigns when the wire gave none it could read. */
export type LocalCode = typeof MALFORMED | typeof TOO_LARGE | typeof NETWORK | typeof TIMEOUT | typeof ABORTED;

/** True for a code that spells one of wirefault's own (`WIREFAULT_*`). */
export const isLocalCode = (code: unknown): code is LocalCode =>
  typeof code === "string" && code.startsWith("WIREFAULT_");

/** Everything a ProtocolError is built from. */
export interface ProtocolErrorInit<C extends string | number = string | number> {
  protocol: Protocol;
  code: C;
  message: string;
  retryable: Retryable;
  action: RecoveryAction;
  known: boolean;
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  surface?: string | undefined;
  /** The catalog's constant name for the code, e.g. `ERR_RATE_LIMITED`. */
  codeName?: string | undefined;
  policy?: RetryPolicy | undefined;
  raw?: unknown;
  cause?: unknown;
  /** True when the error arrived on a stream after the response began. */
  midStream?: boolean | undefined;
  /**
   * True when wirefault raises the error itself, with one of its local codes.
   * Core sets it; a reader's payload cannot (see `ProtocolError.local`).
   */
  local?: boolean | undefined;
}

/** The catalog's verdict on a code (a `Classification` fits): what the error's init may leave out. */
export type Verdict = Readonly<Partial<Pick<ProtocolErrorInit, VerdictKey>>>;
type VerdictKey = "known" | "surface" | "codeName" | "status" | "retryable" | "action" | "policy";
/** An init whose classification comes beside it, as a {@link Verdict}: what the wire said. */
export type WireFacts<C extends string | number = string | number> = Omit<
  ProtocolErrorInit<C>,
  "protocol" | VerdictKey
> &
  Partial<Pick<ProtocolErrorInit<C>, VerdictKey>>;
const NO_VERDICT: Verdict = {};

// Symbol.for is shared by every copy of this package and every realm in the
// agent, so the brand survives duplicated installs where instanceof does not.
const BRAND: unique symbol = Symbol.for("wirefault.ProtocolError") as never;
const INSPECT = /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom");
const MAX_CAUSE_DEPTH = 8;
/** Base class of every wirefault error: what it is, and what to do about it. */
export class ProtocolError<C extends string | number = string | number> extends Error {
  // On the prototype: the name survives minification and stays out of the instance's fields, the brand
  // is read-only, the inspect hook is a method. A pure static field, so a bundle drops the unused class.
  static readonly #prototype = /* @__PURE__ */ setPrototype(this, {
    name: "ProtocolError",
    define: [
      [BRAND, { value: true }],
      [INSPECT, { value: inspectError, writable: true, configurable: true }],
    ],
  });

  declare readonly protocol: Protocol;
  declare readonly code: C;
  declare readonly status: number | undefined;
  declare readonly retryable: Retryable;
  declare readonly action: RecoveryAction;
  declare readonly retryAfterMs: number | undefined;
  declare readonly known: boolean;
  declare readonly surface: string | undefined;
  declare readonly codeName: string | undefined;
  /** Attempts made, set by `retry()` when it gives up. */
  /**
   * True when the error arrived after the response had begun (an error event on
   * a stream): output may already have been delivered, so `retry()` does not
   * send the request again unless it is `idempotent`. Absent otherwise.
   */
  declare readonly midStream?: true;
  declare readonly attempts?: number;
  /** Total backoff slept, set by `retry()` when it gives up. */
  declare readonly totalDelayMs?: number;
  /** What `retry()`'s `onRetry` hook threw, when that ended the retries. */
  declare readonly onRetryError?: unknown;
  // Private fields: invisible to keys, JSON and inspect, and cheaper than
  // defineProperty, which moves an Error instance to V8's slow dictionary mode.
  #raw: unknown;
  #policy: RetryPolicy | undefined;
  #local: boolean;

  /**
   * True only on an error wirefault raised itself: its `code` is one of the
   * `WIREFAULT_*` local codes, given because the wire said nothing it could read.
   * A peer that sends `WIREFAULT_MALFORMED` as its code gets an unknown code of
   * its own with `local: false`: no payload can set this. Not enumerable.
   */
  get local(): boolean {
    return this.#local;
  }

  /** The decoded wire payload; non-enumerable and never serialized. */
  get raw(): unknown {
    return this.#raw;
  }

  /** Per-code retry policy from the catalog, read by `retry()`. */
  get policy(): RetryPolicy | undefined {
    return this.#policy;
  }

  /**
   * Subclasses pass their `protocol` as the second argument instead of
   * spreading it into `init`, and may pass the catalog's verdict on the code
   * (`index.classify(code)`) as the third: its fields fill those the init
   * leaves undefined. V8 copies a spread object on its slow path, which would
   * double the cost of every parse.
   */
  constructor(init: ProtocolErrorInit<C> | Omit<ProtocolErrorInit<C>, "protocol">, protocol?: Protocol);
  constructor(init: WireFacts<C>, protocol: Protocol, verdict: Verdict);
  constructor(init: WireFacts<C> & { protocol?: Protocol }, protocol?: Protocol, verdict: Verdict = NO_VERDICT) {
    // The message is display text, masked, cut and escaped once, here; a cause is a masked copy, never the live object.
    super(displayText(init.message), init.cause === undefined ? undefined : { cause: safeCause(init.cause) });
    // Named stores from a fixed list, never a spread of init, so that nothing
    // unlisted (a classification's entry, a secret) becomes a public field.
    // Named, not a keyed loop: V8 makes keyed stores megamorphic.
    const self = this as Record<string, unknown>;
    const known = init.known ?? verdict.known ?? false;
    self.protocol = protocol ?? init.protocol;
    self.surface = init.surface ?? verdict.surface;
    // An unknown code is kept as received, so it may echo what the request sent;
    // a known one is a catalog literal.
    self.code = typeof init.code === "string" && !known ? displayText(init.code) : init.code;
    self.codeName = init.codeName ?? verdict.codeName;
    self.status = init.status ?? verdict.status;
    self.retryable = init.retryable ?? verdict.retryable;
    self.action = init.action ?? verdict.action;
    self.retryAfterMs = retryHintMs(init.retryAfterMs);
    self.known = known;
    // Only when true: most errors never began a response, and toJSON() shows what an error carries.
    if (init.midStream === true) self.midStream = true;
    this.#raw = init.raw;
    this.#policy = init.policy ?? verdict.policy;
    this.#local = init.local === true && isLocalCode(init.code);
    // A subclass's own fields (ids, details), listed on the class: only these,
    // only when set, so toJSON() shows what the error really carries. Ids may
    // echo what the request sent: secrets masked (by key and by form), the rest
    // kept as received; they are escaped where they print (inspect, toJSON).
    const details = (new.target as { details?: readonly string[] }).details;
    if (details)
      for (const key of details) {
        const value = (init as Record<string, unknown>)[key];
        if (value !== undefined) self[key] = maskJson(value);
      }
  }

  /** A plain object of the public fields, every string masked and escaped; never the raw payload, headers or secrets. */
  toJSON(): Record<string, unknown> {
    return plain(this, 0) as Record<string, unknown>;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!isProtocolError(value)) return false;
    // Another copy of the same subclass (the ESM and CJS builds, a duplicate
    // install) is matched by brand and by the name its static block set on its
    // own prototype, so one protocol's class never claims another's error.
    return this === ProtocolError || inheritsFrom(value, this.prototype as object);
  }
}

// Type-only: never emitted, it only tags the documented codes (see KnownCode).
declare const documented: unique symbol;

/**
 * A documented code as `err.code` carries it once `known` is true: the catalog
 * literal, tagged at the type level only. The tag keeps `code` from being a
 * discriminant of {@link Parsed}, so the compiler narrows `err.code`, not
 * `err`, in a `switch`: `default: { const _: never = err.code }` compiles
 * exactly when every code has its case. It is assignable to the plain code
 * union: index a `Record` keyed by codes through a typed constant,
 * `const code: CkgRelayCode = err.code; record[code]`, with no cast.
 */
export type KnownCode<C extends string | number> = C & { readonly [documented]?: never };

/**
 * A parser's result narrowed by `known`: a documented code is the catalog's
 * literal union `C`, so after `if (!err.known) return;` a `switch (err.code)`
 * is exhaustive-checked; an undocumented one keeps whatever the wire sent.
 */
export type Parsed<E extends ProtocolError, C extends string | number> =
  | (E & { readonly known: true; readonly code: KnownCode<C> })
  | (E & { readonly known: false });

const ownName = (prototype: unknown): string | undefined => {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, "name");
  return typeof descriptor?.value === "string" ? descriptor.value : undefined;
};

// True when `target`, or a prototype named as it is, is on value's chain.
// Walks at most a few prototypes: wirefault's classes are one or two levels deep.
function inheritsFrom(value: object, target: object): boolean {
  const name = ownName(target);
  try {
    let prototype: unknown = Object.getPrototypeOf(value);
    for (let depth = 0; depth < 8 && prototype !== null && prototype !== undefined; depth++) {
      if (prototype === target || (name !== undefined && ownName(prototype) === name)) return true;
      prototype = Object.getPrototypeOf(prototype);
    }
  } catch {
    // A revoked proxy or a throwing trap: not one of ours.
  }
  return false;
}

/** True for any wirefault error, from any copy of the package or any realm. */
export function isProtocolError(value: unknown): value is ProtocolError {
  try {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  } catch {
    return false;
  }
}

function plain(error: unknown, depth: number): unknown {
  if (depth > MAX_CAUSE_DEPTH) return undefined;
  try {
    if (isProtocolError(error) || error instanceof Error) {
      // Own enumerable fields: the catalog fields, retry()'s annotations and
      // whatever a subclass adds (ids); raw and policy are non-enumerable.
      const out: Record<string, unknown> = { name: displayText(error.name), message: displayText(error.message) };
      // Own enumerable fields: a ProtocolError's, or a masked copy's (status, code, requestId).
      for (const [key, value] of Object.entries(error)) if (key !== "cause") out[key] = printableField(value);
      const errors = (error as { errors?: unknown }).errors;
      if (Array.isArray(errors)) out.errors = errors.map((item) => plain(item, depth + 1));
      out.cause = plain(error.cause, depth + 1);
      return out;
    }
  } catch {
    // A hostile cause (throwing getters, revoked proxy) is left out, not rethrown.
  }
  return undefined;
}

/** A field as it may print: bigints as text, strings masked, cut and escaped, structures masked and escaped. */
function printableField(value: unknown): unknown {
  if (typeof value === "bigint") return `${value}`;
  if (typeof value === "string") return displayText(value);
  // An error in a field (retry()'s onRetryError: what a hook threw) prints as a masked copy, never live.
  if (value instanceof Error) return safeCause(value);
  return printable(maskValue(value));
}

/**
 * What `util.inspect` and `console.log` show: the error with every field
 * kept as received (ids) escaped for the terminal, and its masked cause.
 */
function inspectError(
  this: ProtocolError,
  _depth: number,
  options: object,
  inspect: (value: unknown, options: object) => string,
): string {
  return inspect(printView(this), options);
}

/**
 * The error as `util.inspect` shows it: an object whose prototype is the
 * error (so its class name and `instanceof` hold), shadowing every own field
 * with its printable form, and the stack escaped line by line.
 */
function printView(error: ProtocolError): object {
  const view = Object.create(error) as Record<PropertyKey, unknown>;
  const define = (key: PropertyKey, value: unknown, enumerable: boolean) =>
    Object.defineProperty(view, key, { value, enumerable, writable: true, configurable: true });
  // Shadowed, so inspecting the view does not come back here.
  define(INSPECT, undefined, false);
  for (const [key, value] of Object.entries(error)) define(key, printableField(value), true);
  define("stack", escapeTerminal(String(error.stack ?? ""), { multiline: true }), false);
  define("message", error.message, false);
  if (error.cause !== undefined) define("cause", error.cause, false);
  return view;
}

/** A finite, non-negative delay in ms, or undefined. */
export function sanitizeDelay(value: unknown): number | undefined {
  return typeof value === "number" && value >= 0 && value <= Number.MAX_SAFE_INTEGER ? value : undefined;
}
