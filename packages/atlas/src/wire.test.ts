import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_SIZE } from "./catalog.js";
import { ERROR_MESSAGE_FRAME_TYPE, errorMessage, isU32, zoneErrorMessage } from "./wire.js";

describe("wire constants", () => {
  it("match the page: frame type 0xE0, a 4 MB payload limit", () => {
    expect(ERROR_MESSAGE_FRAME_TYPE).toBe(224);
    expect(MAX_PAYLOAD_SIZE).toBe(4_194_304);
  });
});

describe("isU32", () => {
  it("accepts integers from 0 to 2^32-1 only", () => {
    for (const ok of [0, 1, 4001, 0xffff_ffff]) expect(isU32(ok)).toBe(true);
    for (const bad of [-1, 0.5, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY, "4001", 4001n, null, undefined])
      expect(isU32(bad)).toBe(false);
  });
});

describe("payload builders", () => {
  it("write the page's key order and leave absent ids out", () => {
    expect(Object.keys(errorMessage(4001, "m", "id"))).toEqual(["code", "message", "ref_msg_id"]);
    expect(errorMessage(4001, "m")).toEqual({ code: 4001, message: "m" });
    expect("ref_msg_id" in errorMessage(4001, "m")).toBe(false);
    expect(Object.keys(zoneErrorMessage("full", "m", "r"))).toEqual(["type", "request_id", "code", "message"]);
    expect(zoneErrorMessage("full", "m")).toEqual({ type: "zone.error", code: "full", message: "m" });
    expect("request_id" in zoneErrorMessage("full", "m")).toBe(false);
  });
});
