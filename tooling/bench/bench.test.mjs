import { describe, expect, it } from "vitest";
import { BEFORE, FIGURES, figure, markdown, SMOKE } from "./run.mjs";
import { ratio, summary } from "./turns.mjs";

const isRatio = (r) => r.p10 > 0 && r.p10 <= r.median && r.median <= r.p90;

// A smoke run of every figure with minimal work, so that the bench cannot rot.
// It checks the shape of what each figure reports, never a time.
describe("npm run bench (smoke)", { timeout: 300_000 }, () => {
  it("runs every figure in turn and renders BENCHMARKS.md with the peers and the before figures", () => {
    const results = Object.fromEntries(FIGURES.map((name) => [name, figure(name, SMOKE)]));
    const { parse, response, retry, memory, mask, size, coldstart } = results;
    expect(parse.rows.length).toBeGreaterThanOrEqual(11);
    for (const row of parse.rows) {
      expect(Object.keys(row.ns)).toEqual(["ours", "noStack", "openai", "anthropic", "stripe", "floor"]);
      for (const peer of ["ours", "noStack", "anthropic", "stripe", "floor"])
        expect(isRatio(row.vsOpenai[peer])).toBe(true);
    }
    expect(parse.binary).toHaveLength(4);
    expect(response.rows.map((r) => r.protocol)).toEqual(
      expect.arrayContaining(["teale-relay", "telemetry-server", "ckg-relay"]),
    );
    expect(response.rows.every((r) => isRatio(r.vsOpenai.ours) && isRatio(r.vsOpenai.stripe))).toBe(true);
    expect(Object.keys(retry.vsFloor)).toEqual(["ours", "pRetry", "cockatiel", "direct"]);
    expect(retry.lateness.sleeps).toBe(2);
    expect(Object.keys(memory.rows)).toEqual(["ours", "noStack", "openai", "anthropic", "stripe"]);
    expect(Object.values(memory.rows).every((r) => r.builtBytes > 0)).toBe(true);
    expect(mask.rows.length).toBeGreaterThanOrEqual(20);
    // Every secret masked one by one: no cap replaces the rest of the text.
    expect(mask.rows.find((r) => r.unit === "token=x&").masks).toBe(131_072);
    expect(mask.dense.masks).toBe(10_000);
    expect(mask.dense.wordsKept).toBe(10_000);
    expect(mask.rows.find((r) => r.label === "long word").masks).toBe(0);
    expect(size.packages.map((p) => p.name)).toContain("@wirefault/core");
    expect(size.anchors).toHaveLength(5);
    expect(size.alone).toHaveLength(6);
    expect(size.packages.map((p) => p.name)).toContain("@wirefault/core: retry alone");
    expect(coldstart.rows.length).toBeGreaterThanOrEqual(6);
    expect(coldstart.rows.every((r) => isRatio(r.ratio))).toBe(true);
    // Each codec subpath beside its codec alone, in the same rounds.
    expect(coldstart.codecs.map((r) => [r.name, r.library.name])).toEqual([
      ["@wirefault/atlas/msgpack", "@msgpack/msgpack"],
      ["@wirefault/tryll/frame", "flatbuffers"],
    ]);
    expect(results.limiter.rows.map((r) => r.name)).toEqual(["none", "fixed", "ours", "smithy"]);
    expect(results.limiter.rows.every((r) => r.attempts >= 4)).toBe(true);
    expect(results.limiter.simulation).toHaveLength(5);
    const text = markdown(results, {
      date: "2026-01-01",
      cpu: "test",
      cores: 2,
      node: process.versions.node,
      load: "0.0",
    });
    for (const heading of ["## Goals", "## 1. `parseError(text)`", "## 2. `fromResponse(res)`", "## 3. `retry()`"])
      expect(text).toContain(heading);
    for (const heading of [
      "## 4. Memory",
      "## 5. Masking",
      "## 6. Bundle size",
      "## 7. Cold start",
      "## 8. Rate limiter",
    ])
      expect(text).toContain(heading);
    expect(text).toContain("stack: false");
    expect(text).toContain("parseError alone (@wirefault/atlas)");
    // The figures of 2026-11-22 stay beside the new ones on every re-run.
    expect(text).toContain(BEFORE.label);
    expect(text).toContain(`| @wirefault/core | ${BEFORE.size.packages["core.js"].gzip.toLocaleString("en-US")} |`);
  });
});

describe("the in-turn statistics", () => {
  it("take the median and p10-p90 of per-round ratios", () => {
    expect(summary([5, 1, 3, 2, 4])).toEqual({ median: 3, p10: 1.4, p90: 4.6 });
    // Round by round: a slow round slows both contenders, and their ratio stays 2.
    expect(ratio([2, 20, 4], [1, 10, 2])).toEqual({ median: 2, p10: 2, p90: 2 });
  });
});

describe("size budgets", () => {
  it("come from the size-limit config alone, in bytes", async () => {
    const { BUDGETS, limitBytes } = await import("./size.mjs");
    const { default: limits } = await import("../../.size-limit.mjs");
    expect(BUDGETS.map(([name]) => name)).toEqual(limits.map((entry) => entry.name));
    expect(BUDGETS.map(([, , bytes]) => bytes)).toEqual(limits.map((entry) => limitBytes(entry.limit)));
    expect(limitBytes("2.5 kB")).toBe(2500);
    expect(limitBytes("10 kB")).toBe(10_000);
    expect(limitBytes("1 KiB")).toBe(1024);
    expect(() => limitBytes("ten")).toThrow(RangeError);
  });
});
