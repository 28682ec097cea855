import { describe, expect, it } from "vitest";
import { acrossRuns, BEFORE, FIGURES, figure, markdown, SMOKE, TIMED } from "./run.mjs";
import { ratio, summary } from "./turns.mjs";

const isRatio = (r) => r.p10 > 0 && r.p10 <= r.median && r.median <= r.p90;

// A smoke run of every figure with minimal work, so that the bench cannot rot.
// It checks the shape of what each figure reports, never a time.
describe("npm run bench (smoke)", { timeout: 300_000 }, () => {
  it("runs every figure in turn and renders BENCHMARKS.md with the peers and the before figures", () => {
    const results = Object.fromEntries(FIGURES.map((name) => [name, figure(name, SMOKE)]));
    const { parse, response, retry, memory, mask, size, coldstart } = results;
    expect(parse.rows.length).toBeGreaterThanOrEqual(13);
    // Issue 31's payloads: MessagePack bytes in, and a 207 answer's ten entries.
    expect(parse.rows.map((r) => r.payload)).toEqual(
      expect.arrayContaining(["wire ErrorMessage, MessagePack", "207 ×10 per-block errors"]),
    );
    expect(parse.rows.filter((r) => r.goal !== undefined).map((r) => r.goal)).toEqual(
      expect.arrayContaining([1, 1.15]),
    );
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
    for (const heading of ["## Goals", "## 1. `parseError(input)`", "## 2. `fromResponse(res)`", "## 3. `retry()`"])
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
    expect(text).toContain("in one run");
    // Cold start judged as coldstart.mjs measures it: every main entry, and each codec subpath above its codec.
    expect(text).toContain(`| cold start of every main entry at most ${coldstart.goals.main}× a bare \`node\` start |`);
    expect(text).toContain(
      `| a codec subpath's cold start at most ${coldstart.goals.codecExcess}× of a bare start above`,
    );
    for (const r of coldstart.codecs) expect(text).toContain(`| \`${r.name}\` (\`${r.library.name}\`) |`);
    expect(text).not.toMatch(/NaN|: undefined|\| undefined/);

    // `--runs 3`: the timed figures per run, each ratio per run, goals judged on the median of three.
    const timed = Object.fromEntries(TIMED.map((name) => [name, results[name]]));
    const three = markdown(
      { ...results, runs: [timed, timed, timed] },
      { date: "2026-01-01", cpu: "test", cores: 2, node: "20", load: "0.0", loads: ["1.0", "2.0", "3.0"] },
    );
    expect(three).toContain("in 3 runs");
    expect(three).toContain("median of 3");
    expect(three).toContain("(1.0, 2.0, 3.0)");
    const row = parse.rows[0];
    const cell = `${row.vsOpenai.ours.median.toFixed(2)}× (${row.vsOpenai.ours.p10.toFixed(2)}–${row.vsOpenai.ours.p90.toFixed(2)})`;
    expect(three).toContain(`${cell}; ${cell}; ${cell}`);
    const excess = coldstart.codecs[0].excess;
    const above = `+${excess.median.toFixed(2)}× (${excess.p10.toFixed(2)}–${excess.p90.toFixed(2)})`;
    expect(three).toContain(`${above}; ${above}; ${above} | +${excess.median.toFixed(2)}× |`);
  });
});

describe("three runs", () => {
  it("are judged on the median of the runs' medians", () => {
    const runs = [1.3, 0.9, 1.0].map((median) => ({ r: { median, p10: median - 0.1, p90: median + 0.1 } }));
    expect(acrossRuns(runs, (run) => run.r).median).toBe(1.0);
    expect(acrossRuns([{ b: 700 }, { b: 600 }, { b: 640 }], (run) => run.b).median).toBe(640);
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
