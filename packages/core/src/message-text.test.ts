import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messageText } from "./message-text.js";

const TEXT = '{"registerAck":{"nodeID":"n1","registeredAt":786000000.5,"ttlSeconds":300}} é ✓ 🚀';
const bytes = new TextEncoder().encode(TEXT);

describe("messageText", () => {
  it("gives the same text for every form WebSocket data comes in", () => {
    const buffer = Buffer.from(TEXT);
    const arrayBuffer = bytes.slice().buffer;
    // A view in the middle of a larger buffer: only its own bytes are read.
    const padded = new Uint8Array(bytes.byteLength + 8);
    padded.set(bytes, 4);
    const forms: unknown[] = [
      TEXT,
      buffer,
      arrayBuffer,
      bytes,
      new Uint8Array(padded.buffer, 4, bytes.byteLength),
      new DataView(padded.buffer, 4, bytes.byteLength),
      new Int8Array(arrayBuffer),
      [Buffer.from(bytes.subarray(0, 10)), Buffer.from(bytes.subarray(10))],
      // A multi-byte character split across two fragments.
      [Buffer.from(bytes.subarray(0, bytes.byteLength - 2)), Buffer.from(bytes.subarray(bytes.byteLength - 2))],
    ];
    for (const form of forms) expect(messageText(form)).toBe(TEXT);
  });

  it("with ws's isBinary, a binary frame is never text, even when its bytes are UTF-8", () => {
    const fixstr = Uint8Array.of(0xa2, 0x6f, 0x6b); // MessagePack "ok": 0xa2 is not UTF-8, but a fixint map of ASCII is
    expect(messageText(Buffer.from("{}"), true)).toBeUndefined();
    expect(messageText(Buffer.from("{}"), false)).toBe("{}");
    expect(messageText(fixstr)).toBeUndefined();
    expect(messageText(Uint8Array.of(0x01, 0x02), true)).toBeUndefined();
    expect(messageText(Uint8Array.of(0x01, 0x02))).toBe("\u0001\u0002");
  });

  it("reads shared memory by copying it", () => {
    const shared = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(shared).set(bytes);
    expect(messageText(shared)).toBe(TEXT);
    expect(messageText(new Uint8Array(shared))).toBe(TEXT);
  });

  it("is undefined for binary frames, Blobs and anything that is not data", () => {
    const msgpack = Uint8Array.of(0x81, 0xa4, 0x63, 0x6f, 0x64, 0x65, 0xcd, 0x0f, 0xa1); // {code: 4001}
    const flatbuffers = Uint8Array.of(0x0c, 0, 0, 0, 0xff, 0xfe, 0, 0);
    for (const value of [msgpack, flatbuffers, Buffer.from([0xc3, 0x28]), new Blob(["text"]), 1, null, undefined, {}])
      expect(messageText(value)).toBeUndefined();
    // A text frame with a BOM keeps it: the bytes are what was sent.
    expect(messageText(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe("\uFEFFa");
    expect(messageText(new Uint8Array(0))).toBe("");
    expect(messageText([])).toBeUndefined();
  });

  it("never throws, on detached buffers, revoked proxies and hostile getters", () => {
    const detached = new ArrayBuffer(8);
    const view = new Uint8Array(detached);
    structuredClone(detached, { transfer: [detached] });
    const { proxy, revoke } = Proxy.revocable([Buffer.from("x")], {});
    revoke();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("boom");
        },
        getPrototypeOf() {
          throw new Error("boom");
        },
      },
    );
    for (const value of [detached, view, proxy, hostile]) expect(() => messageText(value)).not.toThrow();
    expect(messageText(detached)).toBeUndefined(); // its bytes are gone
    expect(messageText(proxy)).toBeUndefined();
  });

  it("round-trips any string through every byte form", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.nat(), (text, cut) => {
        const encoded = Buffer.from(text);
        const at = encoded.byteLength === 0 ? 0 : cut % encoded.byteLength;
        expect(messageText(encoded)).toBe(text);
        expect(messageText(new Uint8Array(encoded).buffer)).toBe(text);
        expect(messageText([encoded.subarray(0, at), encoded.subarray(at)])).toBe(text);
      }),
    );
  });

  it("reads an 8 MiB relayData frame", () => {
    const big = JSON.stringify({ relayData: { fromNodeID: "n2", data: "a".repeat(8 * 1024 * 1024) } });
    expect(messageText(Buffer.from(big))?.length).toBe(big.length);
  });
});
