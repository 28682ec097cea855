import { describe, expect, it } from "vitest";
import { keptRaw, MAX_RAW_VALUES } from "./kept-raw.js";

describe("keptRaw", () => {
  it("keeps a small decoded payload, and the input past MAX_RAW_VALUES values", () => {
    const small = { error: { code: "x", message: "m" } };
    expect(keptRaw("{…}", small)).toBe(small);
    const wide = Array.from({ length: MAX_RAW_VALUES }, () => ({}));
    expect(keptRaw("[{},…]", wide)).toBe("[{},…]");
    const deep = { a: Array.from({ length: MAX_RAW_VALUES / 2 }, () => [1]) };
    expect(keptRaw("text", deep)).toBe("text");
  });

  it("keeps a value given already decoded, whatever its size", () => {
    const given = Array.from({ length: 2 * MAX_RAW_VALUES }, () => 1);
    expect(keptRaw(given, given)).toBe(given);
  });
});
