import { describe, expect, it } from "vitest";
import { readContext } from "./context.js";

describe("readContext", () => {
  it("keeps a valid status and hint, and drops everything else", () => {
    expect(readContext({ status: 503, retryAfterMs: 8000 })).toEqual({ status: 503, retryAfterMs: 8000 });
    expect(readContext({ status: 1.5, retryAfterMs: -1 })).toEqual({ status: undefined, retryAfterMs: undefined });
    expect(readContext({ status: 99 })).toEqual({ status: undefined, retryAfterMs: undefined });
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
      },
    );
    for (const value of [null, undefined, 42, "x", hostile]) {
      expect(readContext(value)).toEqual({ status: undefined, retryAfterMs: undefined });
    }
  });

  it("turns the stack off only for stack: false", () => {
    expect(readContext({ stack: false }).stack).toBe(false);
    for (const stack of [true, undefined, 0, "", null, "false"]) expect(readContext({ stack }).stack).toBeUndefined();
  });
});
