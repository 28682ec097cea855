import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** The `major.minor` of the TypeScript {@link typecheck} uses unless told otherwise: the repository's own. */
export const compilerVersion: string = ts.versionMajorMinor;

/** How {@link typecheck} compiles: strict with exactOptionalPropertyTypes, in one module-resolution mode. */
export type ResolutionMode = "node16" | "bundler";

/** Options of {@link typecheck}. */
export interface TypecheckOptions {
  /** The folder the virtual files live in: imports resolve from there, as from a real file. */
  dir: string;
  resolution: ResolutionMode;
  /** Another TypeScript module (an older 5.x): typed `unknown`, since each release declares its own API types. */
  typescript?: unknown;
}

/** One diagnostic, with its 1-based line in the snippet. */
export interface SnippetDiagnostic {
  line: number;
  code: number;
  message: string;
}

/**
 * The compiler options a reader's fresh project would use: strict, with
 * exactOptionalPropertyTypes, and declaration files checked (skipLibCheck
 * off), so a broken `.d.ts` fails too.
 */
export function readerOptions(resolution: ResolutionMode, compiler: typeof ts = ts): ts.CompilerOptions {
  const node16 = resolution === "node16";
  return {
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: false,
    target: compiler.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    module: node16 ? compiler.ModuleKind.Node16 : compiler.ModuleKind.ESNext,
    moduleResolution: node16 ? compiler.ModuleResolutionKind.Node16 : compiler.ModuleResolutionKind.Bundler,
    moduleDetection: compiler.ModuleDetectionKind.Force,
  };
}

/**
 * Type-checks many snippets in one Program (one compiler pass for all, not
 * one per snippet). Keys are file names (`.mts`, so that node16 reads them as
 * ES modules); the result gives each its diagnostics, empty when it compiles.
 */
export function typecheck(
  files: Readonly<Record<string, string>>,
  options: TypecheckOptions,
): Record<string, SnippetDiagnostic[]> {
  const compiler = (options.typescript ?? ts) as typeof ts;
  const compilerOptions = readerOptions(options.resolution, compiler);
  const virtual = new Map(Object.entries(files).map(([name, text]) => [resolve(options.dir, name), text]));
  const host = compiler.createCompilerHost(compilerOptions);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (path) => virtual.has(resolve(path)) || fileExists.call(host, path);
  host.readFile = (path) => virtual.get(resolve(path)) ?? readFile.call(host, path);
  host.getSourceFile = (path, version, ...rest) => {
    const text = virtual.get(resolve(path));
    return text === undefined
      ? getSourceFile.call(host, path, version, ...rest)
      : compiler.createSourceFile(path, text, version, true);
  };
  // Default libs are looked up beside the compiler that checks, so an aliased
  // older TypeScript checks with its own lib files.
  host.getDefaultLibLocation = () => dirname(compiler.getDefaultLibFilePath(compilerOptions));
  host.getDefaultLibFileName = (opts) =>
    join(host.getDefaultLibLocation?.() ?? "", compiler.getDefaultLibFileName(opts));
  const program = compiler.createProgram([...virtual.keys()], compilerOptions, host);
  const result: Record<string, SnippetDiagnostic[]> = {};
  for (const [name] of Object.entries(files)) {
    const source = program.getSourceFile(resolve(options.dir, name));
    const diagnostics = source
      ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
      : [];
    result[name] = diagnostics.map((d) => ({
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      code: d.code,
      message: compiler.flattenDiagnosticMessageText(d.messageText, "\n"),
    }));
  }
  // Errors in wirefault's own declaration files belong to no snippet, yet a
  // reader's project (skipLibCheck off) would report them: they get their own key.
  const global = [...program.getGlobalDiagnostics(), ...program.getOptionsDiagnostics()];
  for (const source of program.getSourceFiles())
    if (source.isDeclarationFile && /[\\/](@wirefault|packages)[\\/]/.test(source.fileName))
      global.push(...program.getSemanticDiagnostics(source));
  if (global.length > 0)
    result["(declarations)"] = global.map((d) => ({
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      code: d.code,
      message: `${d.file ? `${d.file.fileName}: ` : ""}${compiler.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    }));
  return result;
}

/** What {@link exhaustiveSwitch} builds a snippet from. */
export interface SwitchSource {
  /** Import lines. */
  imports: string;
  /** Statements that bind `err`, e.g. `const err = parseError(input);` or a `for (const err of ...) {` head. */
  bind: string;
  /** What closes `bind`, e.g. `}` after a loop head. */
  close?: string;
  /** Every code the switch must cover. */
  codes: readonly (string | number)[];
}

/**
 * The README's headline pattern as two snippets: `complete` has a case per
 * code and must compile; `missing` drops one (returned as `dropped`) and must not.
 */
export function exhaustiveSwitch(source: SwitchSource): {
  complete: string;
  missing: string;
  dropped: string | number;
} {
  const build = (codes: readonly (string | number)[]) =>
    [
      source.imports,
      "export async function handle(input: unknown): Promise<string | undefined> {",
      `  ${source.bind}`,
      "  if (!err.known) return;",
      "  switch (err.code) {",
      ...codes.map((code) => `    case ${JSON.stringify(code)}:`),
      "      return String(err.code);",
      "    default: {",
      "      const _exhaustive: never = err.code;",
      "      return _exhaustive;",
      "    }",
      "  }",
      `  ${source.close ?? ""}`,
      "}",
    ].join("\n");
  const at = Math.floor(source.codes.length / 2);
  const dropped = source.codes[at] as string | number;
  return { complete: build(source.codes), missing: build(source.codes.filter((_, i) => i !== at)), dropped };
}

/** Per source: the diagnostics of its complete switch and of its twin with one case missing. */
export interface ExhaustiveResult {
  complete: SnippetDiagnostic[];
  missing: SnippetDiagnostic[];
  dropped: string | number;
}

/**
 * Builds {@link exhaustiveSwitch} twins for every source and checks them all
 * in one Program per resolution mode, the snippets living in `dir`.
 */
export function checkExhaustive(
  dir: string,
  sources: Readonly<Record<string, SwitchSource>>,
  resolution: ResolutionMode = "bundler",
): Record<string, ExhaustiveResult> {
  const twins = Object.entries(sources).map(([name, source]) => [name, exhaustiveSwitch(source)] as const);
  const files: Record<string, string> = {};
  for (const [name, twin] of twins) {
    files[`__exhaustive_${name}_complete.mts`] = twin.complete;
    files[`__exhaustive_${name}_missing.mts`] = twin.missing;
  }
  const diagnostics = typecheck(files, { dir, resolution });
  return Object.fromEntries(
    twins.map(([name, twin]) => [
      name,
      {
        complete: diagnostics[`__exhaustive_${name}_complete.mts`] ?? [],
        missing: diagnostics[`__exhaustive_${name}_missing.mts`] ?? [],
        dropped: twin.dropped,
      },
    ]),
  );
}

/**
 * The test every protocol package runs: the README's switch, compiled by tsc
 * for each source, compiles with every documented code and fails with one missing.
 */
export function describeExhaustive(dir: URL, sources: Readonly<Record<string, SwitchSource>>): void {
  const results = checkExhaustive(fileURLToPath(dir), sources);
  describe("the exhaustive switch on a known code", () => {
    it.each(Object.entries(results))("%s: complete compiles, one case missing fails", (_name, result) => {
      expect(result.complete).toEqual([]);
      expect(result.missing).toHaveLength(1);
      expect(result.missing[0]?.message).toMatch(/is not assignable to type 'never'/);
      expect(result.missing[0]?.message).toContain(JSON.stringify(result.dropped));
    });
  });
}
