import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ClientErrorCopy } from "./client-error-copy.js";
import { ProtocolError } from "./error.js";
import { setPrototype } from "./prototype.js";

describe("setPrototype", () => {
  it("sets the name and each key on the prototype, none enumerable, and returns the name", () => {
    const key = Symbol("k");
    class Thing {}
    expect(setPrototype(Thing, { name: "Thing", define: [[key, { value: 1 }]] })).toBe("Thing");
    const thing = new Thing() as { name?: string; [key]?: number };
    expect(thing.name).toBe("Thing");
    expect(thing[key]).toBe(1);
    expect(Object.keys(thing)).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(Thing.prototype, key)).toMatchObject({ writable: false, enumerable: false });
  });

  it("gave core's classes their names, brand and inspect hook as their static blocks did", () => {
    const err = new ProtocolError({
      protocol: "atlas",
      code: 1,
      message: "m",
      retryable: "no",
      action: "abort",
      known: false,
    });
    expect(Object.hasOwn(ProtocolError.prototype, "name")).toBe(true);
    expect(err.name).toBe("ProtocolError");
    expect(Object.keys(err)).not.toContain("name");
    const brand = Object.getOwnPropertyDescriptor(ProtocolError.prototype, Symbol.for("wirefault.ProtocolError"));
    expect(brand).toMatchObject({ value: true, writable: false, enumerable: false, configurable: false });
    expect(inspect(err)).toContain("ProtocolError: m");
    expect(ClientErrorCopy.prototype.name).toBe("ClientErrorCopy");
  });
});
