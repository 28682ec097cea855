import { growth, LINEAR_GROWTH } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asBytes, decodeInput, utf8Length } from "./decode.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("decodeInput", () => {
  it("parses JSON text, bytes and ArrayBuffers; passes objects through", () => {
    expect(decodeInput('{"a":1}', 100)).toEqual({ kind: "value", value: { a: 1 } });
    expect(decodeInput(bytes('{"a":1}'), 100)).toEqual({ kind: "value", value: { a: 1 } });
    expect(decodeInput(bytes('{"a":1}').buffer, 100)).toEqual({ kind: "value", value: { a: 1 } });
    const object = { a: 1 };
    expect(decodeInput(object, 100)).toEqual({ kind: "value", value: object });
  });

  it("refuses oversize input before decoding, counting UTF-8 bytes", () => {
    expect(decodeInput("x".repeat(10 * 1024 * 1024), 65_536)).toEqual({ kind: "too-large", size: 10 * 1024 * 1024 });
    expect(decodeInput("é".repeat(40), 79)).toEqual({ kind: "too-large", size: 80 });
    expect(decodeInput(`"${"é".repeat(39)}"`, 80).kind).toBe("value");
    expect(decodeInput(new Uint8Array(11), 10)).toEqual({ kind: "too-large", size: 11 });
  });

  it("reports text that is not JSON, keeping it", () => {
    const result = decodeInput("{nope", 100);
    expect(result).toMatchObject({ kind: "not-json", text: "{nope" });
  });

  it("hands bytes back untouched for binary protocols", () => {
    const b = new Uint8Array([0x81, 0xa1]);
    expect(decodeInput(b, 100, { binary: true })).toEqual({ kind: "bytes", bytes: b, text: undefined });
  });

  it("refuses JSON nested deeper than MAX_DEPTH before parsing it, in linear time", () => {
    const deep = (scale: number) => `${"[".repeat(37_500 * scale)}${"]".repeat(37_500 * scale)}`;
    expect(decodeInput(deep(16), 2_000_000)).toMatchObject({ kind: "not-json" });
    // A cap under three bytes a character makes every size count its UTF-8 bytes: the linear part.
    expect(
      growth((scale) =>
        (
          (text) => () =>
            decodeInput(text, text.length * 2)
        )(deep(scale)),
      ),
    ).toBeLessThan(LINEAR_GROWTH);
    const nested64 = `${"[".repeat(64)}${"]".repeat(64)}${" ".repeat(5000)}`;
    expect(decodeInput(nested64, 10_000).kind).toBe("value");
    const inStrings = `["${"[".repeat(10_000)}", "\\"[["]`;
    expect(decodeInput(inStrings, 100_000).kind).toBe("value");
  });

  it("survives deep nesting", () => {
    expect(decodeInput("[".repeat(200_000), 1_000_000).kind).toBe("not-json");
    expect(() => decodeInput(`${"[".repeat(100_000)}${"]".repeat(100_000)}`, 1_000_000)).not.toThrow();
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array(), fc.anything()), (input) => {
        expect(() => decodeInput(input, 1024)).not.toThrow();
      }),
    );
  });

  it("keeps __proto__ as data, never as a prototype", () => {
    const result = decodeInput('{"__proto__":{"polluted":1}}', 100);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(result.kind === "value" && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
  });
});

describe("utf8Length and asBytes", () => {
  it("counts UTF-8 bytes", () => {
    expect(utf8Length("aé€😀")).toBe(1 + 2 + 3 + 4);
  });
  it("views any ArrayBufferView as bytes", () => {
    expect(asBytes(new DataView(new ArrayBuffer(4), 1, 2))?.byteLength).toBe(2);
    expect(asBytes("text")).toBeUndefined();
  });
});
