// The size budgets `npm run size` enforces (.size-limit.mjs) and the bench
// measures: core's two here, and every protocol package's from the "wirefault"
// field of its package.json (its `size` rows), found by tooling/scripts/protocols.mjs.
// Each budget's entry file is written into .cache/size: nothing lists the packages.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { protocolPackages } from "../scripts/protocols.mjs";

const defaultRoot = new URL("../..", import.meta.url).pathname;

// Core is no protocol package: its budgets are its own. Issue 26's masking (two
// layers as tables, masked copies of causes, terminal-safe text) costs about 4 kB gzip;
// messageText (issue 30) about 0.2 kB; retry()'s idle signal and fromResponse's caller stack (issue 31) about 70 B.
// isRetryable without the client error's envelope and headers, and retry()'s loop through one guard, took
// about 90 B off core (11.53 -> 11.44 kB) and 50 B off core with ./protocol (17.8 -> 17.75 kB): both lowered by that.
// Issue 31's builders of one function each (definePipeline, parseErrorOf, fromResponseOf, assembleProtocol…)
// about 0.2 kB: 17.94 kB measured, + 0.1 kB. Issue 31's parse (a short input's raw kept without counting its
// values, masked copies assigned) about 50 B with ./protocol (17.79 -> 17.84 kB before the builders). Both
// together measured 17.99 kB, within the builders' 18.05 kB. Issue 31's third session: withText (a catalog with its
// text for people, apart from the one a parser reads) and the local codes' verdicts apart from their summaries, about
// 0.1 kB: 18.08 kB measured, + 0.1 kB. Issue 31's third session on fromResponse: a body's time budget set only for
// a read that outlasts its turn (read-deadline.ts), a native reader read without a race, about 0.3 kB: 18.39 kB
// measured (after ./protocol exported the error values), + 0.1 kB.
// Issue 31's two-phase construction (each function builds its error in its own frame, so V8 keeps it in fast
// mode: about half the memory per error) and raw sharing its code's string: 158 B with ./protocol, the limit raised by that.
// Issue 31, fourth session: masking's key scan finds each separator's key window backward and tries it there, about
// 0.06 kB on every entry that masks (core 11.54 kB, with ./protocol 18.66 kB, redactSecrets alone 3.13 kB measured): + 0.07 kB each. Then
// + 0.05 kB on core and core with ./protocol: the key pattern and the separator search built from one set of pieces.
const CORE = [
  { name: "@wirefault/core", path: "tooling/size/core.js", limit: "11.63 kB" },
  {
    name: "@wirefault/core with ./protocol (what protocol packages pull in)",
    path: "tooling/size/core-wire.js",
    limit: "18.77 kB",
  },
  // Issue 31: one function imported must not pull in the rest (pure static fields and tables). retry alone was
  // 2.2 kB before the recovery API (recovery plan, option checks, signal registry); issue 31 asks 2.5 kB, which
  // needs a capability out of retry() (tooling/bench/NOTES.md lists what is left, byte by byte, and what each
  // capability taken off the default path would save). Measured 3.64 kB (3.77 before isRetryable lost the client
  // envelope and retry()'s loop its repeated races; 3.67 before its option checks were one table), plus 0.1 kB.
  { name: "@wirefault/core: retry alone", path: "tooling/size/core-retry.js", limit: "3.75 kB" },
  // Issue 31's third session: the secret forms' names left what masking imports, about 0.25 kB: 3.02 kB measured, + 0.1 kB.
  { name: "@wirefault/core: redactSecrets alone", path: "tooling/size/core-redact.js", limit: "3.19 kB" },
];

/**
 * The source of one budget's entry: the whole public API of each entry point it names,
 * or, with `names` (a row's `import`), only those exports of its one entry point.
 */
function entrySource(specifiers, names) {
  if (names) return `export { ${names.join(", ")} } from ${JSON.stringify(specifiers[0])};\n`;
  if (specifiers.length === 1) return `export * from ${JSON.stringify(specifiers[0])};\n`;
  const imports = specifiers.map((spec, i) => `import * as m${i} from ${JSON.stringify(spec)};`);
  return `${imports.join("\n")}\n\nconsole.log(${specifiers.map((_, i) => `m${i}`).join(", ")});\n`;
}

/**
 * size-limit's entries: `{ name, path, limit, gzip }`, core's first, then each protocol package's.
 * A package's row: `name`, `limit`, `entries` (subpaths, "." by default), `import` (a name, or
 * names, imported alone from its one entry instead of the whole API), and `note`, why the limit is
 * what it is (read by people, not by the tools).
 */
export function sizeEntries(root = defaultRoot) {
  const dir = join(root, ".cache", "size");
  mkdirSync(dir, { recursive: true });
  const entries = CORE.map((entry) => ({ ...entry, gzip: true }));
  for (const { name, folder, meta } of protocolPackages(root))
    for (const budget of meta.size ?? []) {
      const subpaths = budget.entries ?? ["."];
      const specifiers = subpaths.map((sub) => (sub === "." ? name : `${name}/${sub.replace(/^\.\//, "")}`));
      // `import`: one function (or a few) imported alone, as a user's bundler would keep it (issue 31).
      const names = budget.import === undefined ? undefined : [budget.import].flat();
      if (names && specifiers.length !== 1) throw new Error(`${name}: "${budget.name}" imports from one entry only`);
      const suffix = [
        ...subpaths.filter((sub) => sub !== ".").map((sub) => `-${sub.replace(/^\.\//, "")}`),
        ...(names ?? []).map((n) => `-${n}`),
      ].join("");
      const file = join(dir, `${folder}${suffix}.js`);
      writeFileSync(file, entrySource(specifiers, names));
      entries.push({ name: budget.name, path: relative(root, file), limit: budget.limit, gzip: true });
    }
  return entries;
}
