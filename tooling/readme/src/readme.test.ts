import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  compilerVersion,
  type ResolutionMode,
  type SnippetDiagnostic,
  typecheck,
} from "@wirefault/test-utils/typecheck";
// This workspace's own TypeScript is the oldest release the packages support;
// test-utils compiles with the repository's current one. Kept apart (not an
// npm alias at the root) so that the root `tsc` binary stays the current one.
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { type Block, extractBlocks, programOf } from "./extract.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "../../..");
const cache = resolve(here, "../.cache");

// What a reader sees first: the root README, CONTRIBUTING and every package's README.
const sources = [
  "README.md",
  "CONTRIBUTING.md",
  ...readdirSync(join(root, "packages"))
    .map((name) => `packages/${name}/README.md`)
    .filter((path) => {
      try {
        return readdirSync(join(root, path, "..")).includes("README.md");
      } catch {
        return false;
      }
    }),
];
const extracted = sources.map((name) => extractBlocks(join(root, name), name));
const blocks = extracted.flatMap((e) => e.blocks);
const problems = extracted.flatMap((e) => e.problems);
const checked = blocks.filter((b) => b.skip === undefined);
const skipped = blocks.filter((b) => b.skip !== undefined);
const runnable = checked.filter((b) => b.runnable);

const fileOf = (block: Block) => `${block.id.replace(/[^a-z0-9]+/gi, "_")}.mts`;

// One Program per resolution mode for every block at once, against the built
// packages (each package's exports map picks its dist .d.ts), under strict
// with exactOptionalPropertyTypes. A block's diagnostics are reported at its
// README line.
function compileAll(resolution: ResolutionMode, compiler?: unknown): Map<string, string[]> {
  const files = Object.fromEntries(checked.map((b) => [fileOf(b), programOf(b).text]));
  const result = typecheck(files, { dir: here, resolution, ...(compiler ? { typescript: compiler } : {}) });
  const byBlock = new Map<string, string[]>();
  const show = (d: SnippetDiagnostic, block?: Block) => {
    const line = block ? block.line + d.line - 1 - programOf(block).offset : d.line;
    return `${block ? `${block.file}:${line}` : `line ${line}`} TS${d.code}: ${d.message}`;
  };
  for (const block of checked)
    byBlock.set(
      block.id,
      (result[fileOf(block)] ?? []).map((d) => show(d, block)),
    );
  byBlock.set(
    "(declarations)",
    (result["(declarations)"] ?? []).map((d) => show(d)),
  );
  return byBlock;
}

const modes: ResolutionMode[] = ["node16", "bundler"];
const compiled = new Map(modes.map((mode) => [mode, compileAll(mode)]));

describe("README code blocks", () => {
  it("are found, and every directive is well-formed and followed by a block", () => {
    expect(checked.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  describe.each(modes)("compile against the built packages (moduleResolution %s)", (mode) => {
    it.each(checked.map((b) => [b.id, b] as const))("%s", (id) => {
      expect(compiled.get(mode)?.get(id)).toEqual([]);
    });
    it("leave wirefault's declaration files without errors", () => {
      expect(compiled.get(mode)?.get("(declarations)")).toEqual([]);
    });
  });

  // A skip is never silent: it needs a reason, and each one is a named test.
  it.each(skipped.map((b) => [b.id, b.skip] as const))("%s is skipped: %s", (_id, reason) => {
    expect(reason?.length).toBeGreaterThan(3);
  });

  describe("complete programs run", () => {
    mkdirSync(cache, { recursive: true });
    it.each(runnable.map((b) => [b.id, b] as const))("%s", (_id, block) => {
      const js = ts.transpileModule(programOf(block).text, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      // Inside this workspace, so that the block's imports resolve like a reader's.
      const file = join(cache, fileOf(block).replace(/\.mts$/, ".mjs"));
      writeFileSync(file, js);
      const run = spawnSync(process.execPath, [file], { cwd: here, encoding: "utf8", timeout: 60_000 });
      expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
        status: 0,
        signal: null,
        stderr: "",
      });
    });
  });

  afterAll(() => {
    const lines = [
      `${checked.length} blocks compiled in ${modes.join(" and ")}, ${runnable.length} of them run;`,
      `${checked.length - runnable.length} fragments compiled with declared context;`,
      `${skipped.length} skipped:`,
      ...skipped.map((b) => `  ${b.id}: ${b.skip}`),
    ];
    console.info(lines.join("\n"));
  });
});

describe("the supported TypeScript range", () => {
  const root = JSON.parse(readFileSync(join(resolve(here, "../../.."), "package.json"), "utf8"));
  it("compiles the blocks above with the repository's TypeScript, and below with 5.0, the oldest", () => {
    expect(root.devDependencies.typescript).toMatch(new RegExp(`^~${compilerVersion.replace(".", "\\.")}\\.`));
    expect(ts.versionMajorMinor).toBe("5.0");
  });
  it.each(modes)("5.0 compiles every block and wirefault's declaration files (%s)", (mode) => {
    const result = compileAll(mode, ts);
    const failures = [...result].filter(([, diagnostics]) => diagnostics.length > 0);
    expect(failures).toEqual([]);
  });
});
