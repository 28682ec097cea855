import { describe, expect, it } from "vitest";
import { costRatio, costRatioAsync, growth, LINEAR_GROWTH } from "./growth.js";

describe("growth", () => {
  it("passes linear work", () => {
    const sum = (scale: number) => {
      const data = new Float64Array(20_000 * scale).fill(1);
      return () => data.reduce((a, b) => a + b, 0);
    };
    expect(growth(sum)).toBeLessThan(LINEAR_GROWTH);
  });

  it("fails quadratic work", () => {
    const pairs = (scale: number) => {
      const n = 300 * scale;
      return () => {
        let count = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) count += (i ^ j) & 1;
        return count;
      };
    };
    expect(growth(pairs)).toBeGreaterThan(LINEAR_GROWTH);
  });
});

describe("costRatio", () => {
  const work = (n: number) => () => {
    let x = 0;
    for (let i = 0; i < n; i++) x += i & 3;
    return x;
  };
  it("reads about 1 for the same work, and the cost factor for more", () => {
    expect(costRatio(work(100_000), work(100_000))).toBeLessThan(3);
    expect(costRatio(work(10_000), work(400_000))).toBeGreaterThan(10);
  });
  it("async: the same", async () => {
    const run = (n: number) => async () => work(n)();
    expect(await costRatioAsync(run(2_000_000), run(40_000_000))).toBeGreaterThan(5);
  });
});
