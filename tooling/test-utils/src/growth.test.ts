import { describe, expect, it } from "vitest";
import { growth, LINEAR_GROWTH } from "./growth.js";

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
