import { describe, expect, it } from "vitest";
import { FIGURES, figure, markdown } from "./run.mjs";

// A smoke run of every figure with one iteration, so that the bench cannot rot.
describe("npm run bench (smoke)", { timeout: 300_000 }, () => {
  it("runs every figure and renders BENCHMARKS.md", () => {
    const results = Object.fromEntries(FIGURES.map((name) => [name, figure(name, { time: 1, runs: 1, sleeps: 2 })]));
    expect(results.parse.rows.length).toBeGreaterThanOrEqual(11);
    expect(results.parse.rows.every((r) => r.floorNs > 0 && r.parseTextNs > 0)).toBe(true);
    expect(results.size.packages.map((p) => p.name)).toContain("@wirefault/core");
    expect(results.size.anchors).toHaveLength(5);
    expect(results.coldstart.rows).toHaveLength(7);
    expect(results.retry.sleeps).toBe(2);
    const text = markdown(results, { date: "2026-01-01", cpu: "test", cores: 2, node: process.versions.node });
    for (const heading of ["## 1. Parse cost", "## 2. Bundle size", "## 3. Cold start", "## 4. Retry machinery"]) {
      expect(text).toContain(heading);
    }
  });
});

describe("size budgets", () => {
  it("come from .size-limit.json alone, in bytes", async () => {
    const { BUDGETS, limitBytes } = await import("./size.mjs");
    const { default: limits } = await import("../../.size-limit.json", { with: { type: "json" } });
    expect(BUDGETS.map(([name]) => name)).toEqual(limits.map((entry) => entry.name));
    expect(BUDGETS.map(([, , bytes]) => bytes)).toEqual(limits.map((entry) => limitBytes(entry.limit)));
    expect(limitBytes("2.5 kB")).toBe(2500);
    expect(limitBytes("10 kB")).toBe(10_000);
    expect(limitBytes("1 KiB")).toBe(1024);
    expect(() => limitBytes("ten")).toThrow(RangeError);
  });
});
