import { describe, expect, it } from "vitest";
import { echoWire } from "./echo.js";

describe("echoWire", () => {
  it("gives back the payload byte for byte: key order, types, nesting", () => {
    const text =
      '{"message":"Route GET:/v1/nope not found","error":"Not Found","statusCode":404,"x":[1,null,true,{"b":2,"a":1}]}';
    expect(JSON.stringify(echoWire(JSON.parse(text)))).toBe(text);
  });

  it("masks secrets in every string and keeps a received __proto__ as a key", () => {
    const echoed = echoWire(JSON.parse('{"__proto__":{"polluted":1},"m":"Bearer abc.def"}'));
    expect(JSON.stringify(echoed)).toBe('{"__proto__":{"polluted":1},"m":"Bearer [redacted]"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(echoed)).toBe(Object.prototype);
  });

  it("is undefined for what was never a JSON object", () => {
    for (const raw of [undefined, null, "text", 1, [1], new Date(), { big: 1n }, { f: () => 1 }, { n: Number.NaN }])
      expect(echoWire(raw)).toBeUndefined();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(echoWire(cyclic)).toBeUndefined();
    const hostile = Object.defineProperty({}, "k", {
      enumerable: true,
      get() {
        throw new Error("trap");
      },
    });
    expect(echoWire(hostile)).toBeUndefined();
  });
});
