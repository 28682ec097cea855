import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cycles, importGraph } from "./cycles.mjs";

const root = new URL("../..", import.meta.url).pathname;
const packages = readdirSync(join(root, "packages"));

describe("no import cycles inside a package, type-only imports included", () => {
  it.each(packages)("%s", (name) => {
    const src = join(root, "packages", name, "src");
    expect(cycles(importGraph(src), src)).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const a = "/x/a.ts";
    const b = "/x/b.ts";
    const graph = new Map([
      [a, [b]],
      [b, [a]],
    ]);
    expect(cycles(graph, "/x")).toEqual([["a.ts", "b.ts"]]);
  });
});
