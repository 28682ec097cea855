import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectPayload } from "./payload.js";

const text = (s: string) => new TextEncoder().encode(s);

describe("detectPayload", () => {
  it("tells JSON, hex, base64 and binary apart", () => {
    expect(detectPayload(text(' {"a":1}\n'))).toEqual({ kind: "json", value: { a: 1 } });
    expect(detectPayload(text("0a0B ff"))).toEqual({ kind: "hex", bytes: new Uint8Array([10, 11, 255]) });
    expect(detectPayload(text("AQID"))).toEqual({ kind: "base64", bytes: new Uint8Array([1, 2, 3]) });
    expect(detectPayload(new Uint8Array([0x83, 0xff]))).toMatchObject({ kind: "binary" });
    expect(detectPayload(text("  \n"))).toEqual({ kind: "empty" });
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(() => detectPayload(bytes)).not.toThrow();
      }),
    );
  });
});
