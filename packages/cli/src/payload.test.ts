import { MAX_DEPTH } from "@wirefault/core/protocol";
import { costRatio } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeText, detectPayload } from "./payload.js";

const text = (s: string) => new TextEncoder().encode(s);

describe("detectPayload", () => {
  it("tells JSON, hex, base64, binary and text apart", () => {
    expect(detectPayload(text(' {"a":1}\n'))).toEqual({ kind: "json", value: { a: 1 } });
    expect(detectPayload(text("0a0B ff"))).toMatchObject({ kind: "hex", bytes: new Uint8Array([10, 11, 255]) });
    expect(detectPayload(text("AQIDBA=="))).toMatchObject({ kind: "base64", bytes: new Uint8Array([1, 2, 3, 4]) });
    expect(detectPayload(new Uint8Array([0x83, 0xff]))).toMatchObject({ kind: "binary" });
    expect(detectPayload(text("  \n"))).toEqual({ kind: "empty" });
  });

  it("keeps plain text text: words, sentences, an HTML error page, JSON cut off", () => {
    for (const plain of [
      "hello world",
      "helloworld",
      "cafe",
      "deadbeef",
      "test",
      "AQID",
      "Bad Gateway",
      "<html><body><h1>502 Bad Gateway</h1></body></html>",
      '{"code":4001,"mess',
      "upstream connect error or disconnect/reset before headers",
    ]) {
      expect(detectPayload(text(plain))).toEqual({ kind: "text", text: plain });
    }
  });

  it("still decodes a word that spells bytes, for a caller that wants to try it", () => {
    expect(decodeText("cafe")).toEqual({ kind: "base64", bytes: new Uint8Array([0x71, 0xa7, 0xde]) });
    expect(decodeText("hello world")).toBeUndefined();
  });

  it("calls bytes with control characters binary, even when they are valid UTF-8", () => {
    expect(detectPayload(new Uint8Array([0x1c, 0x00, 0x00, 0x00, 0x41]))).toMatchObject({ kind: "binary" });
  });

  // Regression: atob threw InvalidCharacterError on padding in the wrong place,
  // and the CLI exited 1 with the DOMException's message (seed -2018022220 of the CLI fuzz test).
  it("reads badly padded base64 as text instead of throwing", () => {
    for (const input of ["abcde=", "ab=", "a===", "AQID=", "AQ=D", "=", "AQ\nID==", "Zm9v\n=="]) {
      expect(() => detectPayload(text(input))).not.toThrow();
      expect(detectPayload(text(input)).kind).toBe("text");
    }
  });

  it("reads base64 wrapped in lines, padded or not, standard or URL-safe", () => {
    expect(detectPayload(text("AQIDBA==\n"))).toMatchObject({ kind: "base64", bytes: new Uint8Array([1, 2, 3, 4]) });
    expect(detectPayload(text("AQID\nBA"))).toMatchObject({ kind: "base64", bytes: new Uint8Array([1, 2, 3, 4]) });
    expect(detectPayload(text("-_-_"))).toMatchObject({ kind: "base64", bytes: new Uint8Array([0xfb, 0xff, 0xbf]) });
  });

  it("reads back any bytes Node encodes as base64 or hex", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 64 }), (bytes) => {
        const b64 = Buffer.from(bytes).toString("base64");
        // The two documented exceptions: one-case words stay text, and hex is read as hex first.
        fc.pre(!/^(?:[a-z]+|[A-Z]+)$/.test(b64) && !/^[0-9a-f]+$/i.test(b64));
        const wrapped = b64.replace(/.{1,16}/g, "$&\n");
        for (const form of [b64, wrapped, Buffer.from(bytes).toString("base64url")])
          expect(detectPayload(text(form))).toMatchObject({ kind: "base64", bytes });
        const hex = Buffer.from(bytes).toString("hex");
        if (/[0-9]/.test(hex)) expect(detectPayload(text(hex))).toMatchObject({ kind: "hex", bytes });
      }),
    );
  });

  it("never throws, on bytes or on text made of the base64 and hex alphabets", () => {
    const alphabet = fc.constantFrom(...'AQIDab01+/-_= \n\r\t{}"'.split(""));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array(), fc.string({ unit: alphabet }).map(text)), (bytes) => {
        expect(() => detectPayload(bytes)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
  it("parses JSON only up to maxJsonBytes; longer, the same text stays text", () => {
    const body = new TextEncoder().encode('{"code":4001}');
    expect(detectPayload(body, body.byteLength)).toEqual({ kind: "json", value: { code: 4001 } });
    expect(detectPayload(body, body.byteLength - 1)).toEqual({ kind: "text", text: '{"code":4001}' });
  });
});

// Issue 27: 15 MiB of "[" on stdin took seconds before it was refused, nearly all of it
// detectPayload's JSON.parse of the nesting (about 1 s of CPU against 10 ms for the protocols).
describe("detectPayload on hostile nesting", () => {
  const MiB = 1 << 20;
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("reads JSON up to core's MAX_DEPTH, and deeper nesting as text, unparsed", () => {
    // Long enough (over 4,096 characters) that core scans it; shorter, JSON.parse is fast whatever the nesting.
    const nested = (depth: number) => bytes(`${"[".repeat(depth)}"${"x".repeat(5000)}"${"]".repeat(depth)}`);
    expect(detectPayload(nested(MAX_DEPTH)).kind).toBe("json");
    expect(detectPayload(nested(MAX_DEPTH + 1)).kind).toBe("text");
  });

  it("1 MiB of '[' costs about what 1 MiB of ordinary JSON does", () => {
    const hostile = bytes("[".repeat(MiB));
    const ordinary = bytes(JSON.stringify({ error: { message: "m".repeat(MiB - 40), code: "internal_error" } }));
    expect(detectPayload(hostile).kind).toBe("text");
    expect(detectPayload(ordinary).kind).toBe("json");
    // Was 5x and more (JSON.parse walks the nesting before it fails); a linear scan and a refusal now.
    expect(
      costRatio(
        () => detectPayload(ordinary),
        () => detectPayload(hostile),
        { rounds: 3 },
      ),
    ).toBeLessThan(3);
  });
});
