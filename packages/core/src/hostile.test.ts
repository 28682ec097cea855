import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRetryable } from "./classify.js";
import { isProtocolError } from "./error.js";

// Values built to break naive property access.
const throwingGetters = () => {
  const o = {};
  for (const key of ["name", "code", "message", "cause", "retryable"]) {
    Object.defineProperty(o, key, {
      get() {
        throw new Error(`getter ${key}`);
      },
    });
  }
  return o;
};
const trapAll = () =>
  new Proxy(
    {},
    new Proxy(
      {},
      {
        get: () => () => {
          throw new Error("trap");
        },
      },
    ),
  );
const cyclic = () => {
  const a: { name: string; cause?: unknown } = { name: "Error" };
  const b = { name: "Error", cause: a };
  a.cause = b;
  return a;
};
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

const builders = [throwingGetters, trapAll, cyclic, revoked, () => Object.create(null)];
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
    for (const value of [throwingGetters(), trapAll(), cyclic(), revoked()]) {
      expect(isRetryable(value)).toBe(false);
      expect(isProtocolError(value)).toBe(false);
    }
  });
});
