import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

/** The source file behind every export path of every published package, as [import name, file]. */
function entryPoints() {
  const out = [];
  for (const name of readdirSync(join(root, "packages"))) {
    const dir = join(root, "packages", name);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (pkg.private) continue;
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const built = typeof target === "string" ? target : target?.import?.default;
      if (!built?.endsWith(".js")) continue;
      const source = join(dir, built.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));
      if (!existsSync(source)) throw new Error(`${pkg.name}${subpath.slice(1)}: no source ${source}`);
      out.push([`${pkg.name}${subpath.slice(1)}`, source]);
    }
  }
  return out;
}

/** Every export of the entries, checked: [names without a TSDoc summary, how many were checked]. */
function undocumented(entries) {
  const program = ts.createProgram(
    entries.map(([, file]) => file),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const missing = [];
  let checked = 0;
  for (const [name, file] of entries) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file));
    for (const symbol of checker.getExportsOfModule(module)) {
      // A re-export is documented where it is declared.
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      checked++;
      if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === "")
        missing.push(`${name}: ${symbol.name}`);
    }
  }
  return [missing, checked];
}

describe("TSDoc", () => {
  it("documents every export of every published entry point", () => {
    const entries = entryPoints();
    expect(entries.map(([name]) => name)).toContain("@wirefault/tryll/frame");
    const [missing, checked] = undocumented(entries);
    expect(missing).toEqual([]);
    // The whole public API was looked at, not an empty list.
    expect(checked).toBeGreaterThan(150);
  }, 120_000);

  it("names an export without TSDoc, whether declared, re-exported or a type", () => {
    const dir = mkdtempSync(join(tmpdir(), "wirefault-tsdoc-"));
    try {
      writeFileSync(
        join(dir, "a.ts"),
        ["/** Documented. */", "export const a = 1;", "export const bare = 2;", "export type Naked = string;"].join(
          "\n",
        ),
      );
      writeFileSync(join(dir, "index.ts"), 'export { a, bare, type Naked } from "./a.js";\nexport function f() {}\n');
      const [missing, checked] = undocumented([["x", join(dir, "index.ts")]]);
      expect(missing.sort()).toEqual(["x: Naked", "x: bare", "x: f"]);
      expect(checked).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
