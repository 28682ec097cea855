import type { RetryPolicy } from "./catalog.js";

/** The five wire protocols wirefault covers. */
export type Protocol = "teale-relay" | "telemetry-server" | "ckg-relay" | "atlas" | "tryll";

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
/** Codes wirefault itself assigns when the wire gave none it could read. */
export type LocalCode = typeof MALFORMED | typeof TOO_LARGE;

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
}

// Symbol.for is shared by every copy of this package and every realm in the
// agent, so the brand survives duplicated installs where instanceof does not.
const BRAND: unique symbol = Symbol.for("wirefault.ProtocolError") as never;
const MAX_CAUSE_DEPTH = 8;
/** Base class of every wirefault error: what it is, and what to do about it. */
export class ProtocolError<C extends string | number = string | number> extends Error {
  static {
    // Set on the prototype so the name survives minification and stays out
    // of the instance's enumerable fields.
    this.prototype.name = "ProtocolError";
    Object.defineProperty(this.prototype, BRAND, { value: true });
  }

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
  declare readonly attempts?: number;
  /** Total backoff slept, set by `retry()` when it gives up. */
  declare readonly totalDelayMs?: number;
  /** What `retry()`'s `onRetry` hook threw, when that ended the retries. */
  declare readonly onRetryError?: unknown;
  // Private fields: invisible to keys, JSON and inspect, and cheaper than
  // defineProperty, which moves an Error instance to V8's slow dictionary mode.
  #raw: unknown;
  #policy: RetryPolicy | undefined;

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
   * spreading it into `init`: V8 copies a spread object on its slow path,
   * which would double the cost of every parse.
   */
  constructor(init: ProtocolErrorInit<C> | Omit<ProtocolErrorInit<C>, "protocol">, protocol?: Protocol) {
    super(redactSecrets(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    // Named stores from a fixed list, never a spread of init, so that nothing
    // unlisted (a classification's entry, a secret) becomes a public field.
    // Named, not a keyed loop: V8 makes keyed stores megamorphic.
    const self = this as Record<string, unknown>;
    self.protocol = protocol ?? (init as ProtocolErrorInit).protocol;
    self.surface = init.surface;
    // An unknown code is kept as received, so it may echo what the request sent;
    // a known one is a catalog literal.
    self.code = typeof init.code === "string" && !init.known ? redactSecrets(init.code) : init.code;
    self.codeName = init.codeName;
    self.status = init.status;
    self.retryable = init.retryable;
    self.action = init.action;
    self.retryAfterMs = sanitizeDelay(init.retryAfterMs);
    self.known = init.known;
    this.#raw = init.raw;
    this.#policy = init.policy;
  }

  /** A plain object of the public fields; never the raw payload, headers or secrets. */
  toJSON(): Record<string, unknown> {
    return plain(this, 0) as Record<string, unknown>;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Only the base class matches by brand; subclasses keep ordinary
    // prototype checks so one protocol's class never claims another's error.
    return this === ProtocolError ? isProtocolError(value) : Function.prototype[Symbol.hasInstance].call(this, value);
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
 * union; index a `Record` keyed by codes with `record[err.code as XCode]`.
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
      const out: Record<string, unknown> = { name: error.name, message: redactSecrets(error.message) };
      if (isProtocolError(error))
        for (const [key, value] of Object.entries(error))
          out[key] = typeof value === "bigint" ? `${value}` : typeof value === "string" ? redactSecrets(value) : value;
      out.cause = plain(error.cause, depth + 1);
      return out;
    }
  } catch {
    // A hostile cause (throwing getters, revoked proxy) is left out, not rethrown.
  }
  return undefined;
}

/** A finite, non-negative delay in ms, or undefined. */
export function sanitizeDelay(value: unknown): number | undefined {
  return typeof value === "number" && value >= 0 && value <= Number.MAX_SAFE_INTEGER ? value : undefined;
}

// A prefix worth keeping for the log reader, then the secret itself: bearer
// tokens, sk-/rla_-style keys, and secret-named fields in query strings,
// text (`api_key=…`) and JSON (`"token": "…"`).
const SECRET =
  /(\bBearer\s+|\b(?:sk|rla|pk|rk)[-_]|\b(?:access_token|token|api_?key|secret|password|sig(?:nature)?)["']?\s*[:=]\s*["']?)[^\s"'&#,;}]+/gi;

/** Masks bearer tokens, `sk-`-style API keys and secret query parameters in text. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET, "$1[redacted]");
}
