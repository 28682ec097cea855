// Import cycles between a package's own modules, type-only imports included:
// a cycle makes load order matter and hides which module owns a concept.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.{1,2}\/[^"']+)["']/g;

/** The relative imports of every non-test module under `src`, as a graph of paths. */
export function importGraph(src) {
  const graph = new Map();
  for (const name of readdirSync(src, { recursive: true })) {
    if (!name.endsWith(".ts") || name.endsWith(".test.ts") || name.endsWith(".d.ts")) continue;
    const file = join(src, name);
    const targets = [];
    for (const [, spec] of readFileSync(file, "utf8").matchAll(IMPORT))
      targets.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle in the graph, each as the list of modules around it (relative to `root`). */
export function cycles(graph, root) {
  const found = [];
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") found.push(stack.slice(stack.indexOf(next)).map((p) => relative(root, p)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}
