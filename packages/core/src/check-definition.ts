// What defineProtocol refuses when a protocol is built, so that a wrong
// definition fails once, at import, instead of misreading errors at runtime.
// Kept small: every protocol package bundles it.
import type { CatalogEntry } from "./catalog.js";
import { isLocalCode } from "./error.js";

/** The parts of a definition checked here. */
interface Checked {
  readonly maxBytes: unknown;
  readonly catalog: readonly CatalogEntry[];
  readonly aliases?: Readonly<Record<string, unknown>> | undefined;
  readonly unlisted?: readonly { readonly code: string | number }[] | undefined;
}

/**
 * Every problem with a protocol definition, in one message; undefined when
 * there is none. A size cap must be a positive integer (NaN or Infinity would
 * mean no cap); a code may appear once and may not spell one of wirefault's
 * own local codes; an alias must stand for a code without shadowing one; an
 * unlisted code must not be a catalog code.
 */
export function definitionProblems(definition: Checked): string | undefined {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => ok || problems.push(problem);
  const { maxBytes } = definition;
  check(
    Number.isSafeInteger(maxBytes) && (maxBytes as number) > 0,
    `maxBytes must be a positive integer, got ${String(maxBytes)}`,
  );
  const codes = new Set<unknown>();
  for (const { code } of definition.catalog) {
    check(!codes.has(code), `code ${JSON.stringify(code)} is repeated`);
    check(!isLocalCode(code), `code ${JSON.stringify(code)} spells a wirefault local code`);
    codes.add(code);
  }
  for (const [alias, code] of Object.entries(definition.aliases ?? {}))
    check(
      !codes.has(alias) && codes.has(code) && !isLocalCode(alias),
      `alias ${JSON.stringify(alias)} must stand for a catalog code, and be none`,
    );
  for (const { code } of definition.unlisted ?? [])
    check(!codes.has(code), `unlisted code ${JSON.stringify(code)} is in the catalog`);
  return problems.length > 0 ? problems.join("; ") : undefined;
}
