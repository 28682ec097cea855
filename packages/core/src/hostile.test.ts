import { cyclicCause, revokedProxy, throwingGetters, trapProxy } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRetryable } from "./classify.js";
import { isProtocolError } from "./error.js";

const builders = [() => throwingGetters(), trapProxy, cyclicCause, revokedProxy, () => Object.create(null)];
// Built inside the property: fast-check inspects generated values itself,
// which a trap-everything proxy would not survive.
const hostile = fc.oneof(
  fc.anything({ withNullPrototype: true, withObjectString: true, withBigInt: true, withMap: true, withSet: true }),
  fc.integer({ min: 0, max: builders.length - 1 }).map((i) => ({ build: i })),
);
const materialise = (value: unknown) =>
  typeof value === "object" && value !== null && "build" in value && typeof value.build === "number"
    ? builders[value.build]?.()
    : value;

describe("classification never throws", () => {
  it("isRetryable and isProtocolError on any value", () => {
    fc.assert(
      fc.property(hostile, (generated) => {
        const value = materialise(generated);
        expect(typeof isRetryable(value)).toBe("boolean");
        expect(typeof isProtocolError(value)).toBe("boolean");
        expect(typeof isRetryable({ cause: value })).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });

  it("the built hostile values are false", () => {
    for (const value of [throwingGetters(), trapProxy(), cyclicCause(), revokedProxy()]) {
      expect(isRetryable(value)).toBe(false);
      expect(isProtocolError(value)).toBe(false);
    }
  });
});
