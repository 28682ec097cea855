import { describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES } from "./catalog.js";
import { isFrame, readLength, toUint64 } from "./wire.js";

describe("readLength and isFrame", () => {
  it("reads the little-endian prefix as a uint32", () => {
    expect(readLength(new Uint8Array([0x54, 0, 0, 0]))).toBe(84);
    expect(readLength(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toBe(4_294_967_295);
    expect(readLength(new Uint8Array([9, 9, 9, 0, 0, 0x10, 0]), 3)).toBe(MAX_FRAME_BYTES);
  });

  it("knows a frame from JSON text", () => {
    expect(isFrame(new Uint8Array([2, 0, 0, 0, 1, 2]))).toBe(true);
    expect(isFrame(new Uint8Array([0, 0, 0, 0]))).toBe(true);
    expect(isFrame(new Uint8Array([3, 0, 0, 0, 1, 2]))).toBe(false);
    expect(isFrame(new Uint8Array([0, 0, 0]))).toBe(false);
    expect(isFrame(new TextEncoder().encode('{"code":3004,"message":"busy"}'))).toBe(false);
    expect(isFrame(new TextEncoder().encode('    {"code":1}'))).toBe(false);
  });
});

describe("toUint64", () => {
  it("takes bigints, safe integers and decimal strings within uint64", () => {
    expect(toUint64(0)).toBe(0n);
    expect(toUint64(Number.MAX_SAFE_INTEGER)).toBe(9_007_199_254_740_991n);
    expect(toUint64(18_446_744_073_709_551_615n)).toBe(18_446_744_073_709_551_615n);
    expect(toUint64("18446744073709551615")).toBe(18_446_744_073_709_551_615n);
    expect(toUint64("007")).toBe(7n);
  });

  it("refuses everything else", () => {
    for (const bad of [
      -1,
      0.5,
      2 ** 53,
      Number.NaN,
      -1n,
      2n ** 64n,
      "18446744073709551616",
      "1e3",
      " 1",
      "",
      null,
      true,
      {},
    ])
      expect(toUint64(bad)).toBeUndefined();
  });
});
