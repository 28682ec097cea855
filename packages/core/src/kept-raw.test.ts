import { describe, expect, it } from "vitest";
import { keptRaw, MAX_RAW_VALUES } from "./kept-raw.js";

describe("keptRaw", () => {
  it("keeps a small decoded payload, and the input past MAX_RAW_VALUES values", () => {
    const small = { error: { code: "x", message: "m" } };
    expect(keptRaw(JSON.stringify(small), small)).toBe(small);
    const wide = Array.from({ length: MAX_RAW_VALUES }, () => ({}));
    const wideText = JSON.stringify(wide);
    expect(keptRaw(wideText, wide)).toBe(wideText);
    const wideBytes = new TextEncoder().encode(wideText);
    expect(keptRaw(wideBytes, wide)).toBe(wideBytes);
    const deep = { a: Array.from({ length: MAX_RAW_VALUES / 2 }, () => [1]) };
    expect(keptRaw(JSON.stringify(deep), deep)).toBe(JSON.stringify(deep));
  });

  it("does not walk what an input of at most MAX_RAW_VALUES characters or bytes decoded to", () => {
    // A value cannot hold more values than its text has characters; the getter tells whether it was walked.
    let walked = 0;
    const watched = Object.defineProperty({}, "x", {
      enumerable: true,
      get() {
        walked++;
        return 1;
      },
    });
    expect(keptRaw("x".repeat(MAX_RAW_VALUES), watched)).toBe(watched);
    expect(keptRaw(new Uint8Array(MAX_RAW_VALUES), watched)).toBe(watched);
    expect(walked).toBe(0);
    expect(keptRaw("x".repeat(MAX_RAW_VALUES + 1), watched)).toBe(watched);
    expect(walked).toBe(1);
  });

  it("keeps a value given already decoded, whatever its size", () => {
    const given = Array.from({ length: 2 * MAX_RAW_VALUES }, () => 1);
    expect(keptRaw(given, given)).toBe(given);
  });
});
