import { describe, expect, it } from "vitest";
import { readBlob } from "./data.js";
import { decodeInput } from "./decode.js";

describe("decodeInput on WebSocket data forms", () => {
  it("joins ws's Buffer[] fragments, sizing them before the join", () => {
    const parts = [Buffer.from('{"a":'), Buffer.from("1}")];
    expect(decodeInput(parts, 100)).toEqual({ kind: "value", value: { a: 1 } });
    expect(decodeInput(parts, 6)).toEqual({ kind: "too-large", size: 7 });
    // An array that is not all bytes is a decoded JSON array, left as it is.
    expect(decodeInput([Buffer.from("x"), 1], 100)).toEqual({ kind: "value", value: [Buffer.from("x"), 1] });
    expect(decodeInput([], 100)).toEqual({ kind: "value", value: [] });
  });

  it("never throws on a hostile array", () => {
    const { proxy, revoke } = Proxy.revocable([Buffer.from("{}")], {});
    revoke();
    expect(decodeInput(proxy, 100).kind).toBe("value");
  });

  it("sizes a Blob without reading it; readBlob reads one within the cap", async () => {
    const blob = new Blob(["12345"]);
    expect(decodeInput(blob, 4)).toEqual({ kind: "too-large", size: 5 });
    expect(decodeInput(blob, 5)).toEqual({ kind: "value", value: blob });
    expect(await readBlob(blob, 5)).toEqual(new TextEncoder().encode("12345"));
    expect(await readBlob(blob, 4)).toBe(blob);
    expect(await readBlob("text", 4)).toBe("text");
  });
});
