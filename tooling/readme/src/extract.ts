// Finds every ```ts block of the Markdown files a reader sees, with the
// directives that say what a block leaves out. The conventions, written as an
// HTML comment right before the block (blank lines may sit between):
//
//   <!-- readme-test: skip (why) -->     not compiled; the reason is required and listed
//   <!-- readme-test: context
//   ...TypeScript placed before the block...
//   // after
//   ...TypeScript placed after it...
//   -->
//
// A context may declare what a fragment leaves out (`declare const frame: unknown;`):
// such a block is compiled only. A block whose context declares nothing is a
// complete program (setup included) and is also run.
import { readFileSync } from "node:fs";

/** One ```ts block and what its directive adds. */
export interface Block {
  /** `packages/core/README.md:12`: the file and the block's first code line. */
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly before: string;
  readonly after: string;
  /** Set when the block is skipped: the reason given. */
  readonly skip: string | undefined;
  /** True when the context declares nothing, so the program is complete and runs. */
  readonly runnable: boolean;
}

/** A directive that is malformed or not followed by a block: the test fails on each. */
export interface DirectiveProblem {
  readonly id: string;
  readonly problem: string;
}

const OPEN = "<!-- readme-test:";
const FENCE = /^```(ts|typescript)\s*$/;

/** The blocks of one Markdown file; `name` is its path relative to the repository root. */
export function extractBlocks(path: string, name: string): { blocks: Block[]; problems: DirectiveProblem[] } {
  const lines = readFileSync(path, "utf8").split("\n");
  const blocks: Block[] = [];
  const problems: DirectiveProblem[] = [];
  let pending: { line: number; skip?: string; before?: string; after?: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? "";
    if (text.startsWith(OPEN)) {
      if (pending) problems.push({ id: `${name}:${pending.line}`, problem: "directive followed by another directive" });
      const start = i;
      let body = text.slice(OPEN.length);
      while (!body.includes("-->") && i + 1 < lines.length) body += `\n${lines[++i]}`;
      body = body.slice(0, body.lastIndexOf("-->")).trim();
      const skip = /^skip\s*\((.+)\)$/s.exec(body);
      if (skip) pending = { line: start + 1, skip: (skip[1] ?? "").trim() };
      else if (body.startsWith("context")) {
        const [before = "", after = ""] = body.slice("context".length).split(/^\s*\/\/ after\s*$/m);
        pending = { line: start + 1, before: before.trim(), after: after.trim() };
      } else problems.push({ id: `${name}:${start + 1}`, problem: `unknown directive: ${body.split("\n")[0]}` });
      continue;
    }
    if (FENCE.test(text)) {
      const first = i + 2;
      const code: string[] = [];
      while (i + 1 < lines.length && !(lines[i + 1] ?? "").startsWith("```")) code.push(lines[++i] ?? "");
      i++;
      const before = pending?.before ?? "";
      const after = pending?.after ?? "";
      blocks.push({
        id: `${name}:${first}`,
        file: name,
        line: first,
        code: code.join("\n"),
        before,
        after,
        skip: pending?.skip,
        runnable: pending?.skip === undefined && !/\bdeclare\s/.test(before),
      });
      pending = undefined;
      continue;
    }
    if (pending && text.trim() !== "") {
      problems.push({ id: `${name}:${pending.line}`, problem: "directive not followed by a ts block" });
      pending = undefined;
    }
  }
  if (pending) problems.push({ id: `${name}:${pending.line}`, problem: "directive at the end of the file" });
  return { blocks, problems };
}

/** The block as one module: its context, then the block, then what follows it. */
export function programOf(block: Block): { text: string; offset: number } {
  const before = block.before ? `${block.before}\n` : "";
  const offset = before === "" ? 0 : before.split("\n").length - 1;
  return { text: `${before}${block.code}\n${block.after}\n`, offset };
}
