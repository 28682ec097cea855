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

/** A catalog row as written (of `E`, a protocol's own row type): `name` may be left out when it is the code itself. */
export type CatalogRow<E extends CatalogEntry = CatalogEntry> = Omit<E, "name"> & { readonly name?: string };

/** A row as the catalog holds it: `name` set, the code when the row gave none. */
export type Named<R extends CatalogRow> = R extends { readonly name: string }
  ? R
  : R & { readonly name: R["code"] extends string ? R["code"] : string };

/** A frozen catalog: its rows, and the index that looks them up. */
export type Catalog<E extends CatalogEntry> = readonly E[] & {
  /** O(1) lookups by code (with the ranges given to `defineCatalog`), and by any other field. */
  readonly index: CatalogIndex<E>;
};

/** What `defineCatalog` returns: each row in its place with its literal types, and the index. */
export type DefinedCatalog<R extends readonly CatalogRow[]> = { readonly [I in keyof R]: Named<R[I]> } & Catalog<
  Named<R[number]>
>;

/**
 * Freezes a catalog deeply, keeping every code a literal type; a row without
 * `name` is named by its code. The catalog carries its index (`catalog.index`),
 * so no package looks a row up by hand.
 */
export function defineCatalog<const R extends readonly CatalogRow[]>(
  rows: R,
  options: { readonly ranges?: readonly CodeRange[] } = {},
): DefinedCatalog<R> {
  const entries = rows.map((row) => {
    if (row.policy) Object.freeze(row.policy);
    return Object.freeze(row.name === undefined ? { ...row, name: String(row.code) } : row);
  }) as Named<R[number]>[];
  // Not enumerable: the catalog still reads, spreads and serializes as its rows.
  Object.defineProperty(entries, "index", { value: indexCatalog(entries, { ranges: options.ranges }) });
  return Object.freeze(entries) as DefinedCatalog<R>;
}

/**
 * The catalog people read: each row of `catalog` with its text for people from
 * `texts` (by code), such as the page's advice or what a user sees. A package
 * builds its parser from `catalog`, which holds none of that text, so that a
 * bundle of `parseError` alone holds none of it; its `catalog` export, the CLI
 * and the docs read this one. Give the ranges again: the index is rebuilt.
 * Throws a TypeError when a text names a field its row already has.
 */
export function withText<
  const R extends readonly CatalogEntry[],
  const T extends { readonly [K in R[number]["code"]]?: Readonly<Record<string, string>> },
>(catalog: R, texts: T, options: { readonly ranges?: readonly CodeRange[] } = {}): WithText<R, T> {
  const rows = catalog.map((row) => {
    const text = (texts as Readonly<Record<PropertyKey, Readonly<Record<string, string>> | undefined>>)[row.code];
    if (text === undefined) return row;
    for (const key of Object.keys(text))
      if (key in row) throw new TypeError(`withText: code ${JSON.stringify(row.code)} already has ${key}`);
    return { ...row, ...text };
  });
  return defineCatalog(rows, options) as unknown as WithText<R, T>;
}

/** What {@link withText} returns: each row in its place with its code's text, literal types kept, and the index. */
export type WithText<R extends readonly CatalogEntry[], T> = {
  readonly [I in keyof R]: R[I] & TextOf<R[I], T>;
} & Catalog<R[number] & TextsOf<T>>;
type TextOf<E, T> = E extends { readonly code: infer C } ? (C extends keyof T ? T[C] : unknown) : unknown;

/** Every field a table of texts gives some code, each optional on a row: `{ advice?: string }`. */
export type TextsOf<T> = { readonly [F in FieldsOf<T[keyof T]>]?: string };
type FieldsOf<U> = U extends object ? keyof U & string : never;

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
  /** The first row whose `key` field is `value` (e.g. the row that `answers` a local code). */
  where(key: string, value: unknown): E | undefined;
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
  // Built on first use, one map per field asked for.
  const byField = new Map<string, Map<unknown, E>>();
  const where = (key: string, value: unknown): E | undefined => {
    let map = byField.get(key);
    if (!map) {
      map = new Map();
      for (const entry of entries) {
        const field = (entry as Readonly<Record<string, unknown>>)[key];
        if (!map.has(field)) map.set(field, entry);
      }
      byField.set(key, map);
    }
    return map.get(value);
  };
  return {
    get,
    range,
    where,
    classify(code, surface) {
      const entry = get(code, surface);
      const r = typeof code === "number" ? range(code, surface) : undefined;
      // Frozen, so that no caller can change a verdict another reads; a caller that
      // spreads it (ckg's validateEvent) pays less for a frozen object than a fresh one.
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

/** Name-to-code constants derived from a catalog, e.g. `{ AgentBusy: 3004 }`. */
export type CodeMap<E extends readonly CatalogEntry[]> = {
  readonly [K in E[number] as K["name"]]: K["code"];
};

/** Builds the frozen name-to-code constants of a catalog. */
export function codeMap<const E extends readonly CatalogEntry[]>(catalog: E): CodeMap<E> {
  return Object.freeze(Object.fromEntries(catalog.map((entry) => [entry.name, entry.code]))) as CodeMap<E>;
}
