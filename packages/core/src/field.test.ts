import { describe, expect, it } from "vitest";
import { field, pick } from "./field.js";

describe("field", () => {
  it("reads own properties only, and never throws", () => {
    expect(field({ a: 1 }, "a")).toBe(1);
    expect(field(Object.create({ a: 1 }), "a")).toBeUndefined();
    expect(field([1], "0")).toBeUndefined();
    const hostile = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
      },
    );
    expect(field(hostile, "a")).toBeUndefined();
  });
});

describe("pick", () => {
  const text = {
    safeParse: (v: unknown) =>
      typeof v === "string" ? { success: true as const, data: v } : { success: false as const },
  };
  it("reads one own field through a schema, undefined when absent or wrong", () => {
    expect(pick(text, { code: "x" }, "code")).toBe("x");
    expect(pick(text, { code: 1 }, "code")).toBeUndefined();
    expect(pick(text, Object.create({ code: "inherited" }), "code")).toBeUndefined();
    expect(pick(text, null, "code")).toBeUndefined();
  });
});
