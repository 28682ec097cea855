import { describe, expect, it } from "vitest";
import { defineCatalog } from "./catalog.js";
import { ProtocolError } from "./error.js";
import { field } from "./field.js";
import { keptRaw, MAX_RAW_VALUES, shareCode } from "./kept-raw.js";
import { defineProtocol } from "./protocol.js";

/** `value` behind a proxy that records every key written. */
function watched<T extends object>(value: T, writes: string[]): T {
  return new Proxy(value, {
    set(target, key, next) {
      writes.push(String(key));
      return Reflect.set(target, key, next);
    },
    get: (target, key) => {
      const inner = Reflect.get(target, key);
      return typeof inner === "object" && inner !== null ? watched(inner, writes) : inner;
    },
  });
}

describe("keptRaw", () => {
  it("keeps a small decoded payload, and the input past MAX_RAW_VALUES values", () => {
    const small = { error: { code: "x", message: "m" } };
    expect(keptRaw(JSON.stringify(small), small)).toBe(small);
    const wide = Array.from({ length: MAX_RAW_VALUES }, () => ({}));
    const wideText = JSON.stringify(wide);
    expect(keptRaw(wideText, wide)).toBe(wideText);
    const wideBytes = new TextEncoder().encode(wideText);
    expect(keptRaw(wideBytes, wide)).toBe(wideBytes);
    const deep = { a: Array.from({ length: MAX_RAW_VALUES / 2 }, () => [1]) };
    expect(keptRaw(JSON.stringify(deep), deep)).toBe(JSON.stringify(deep));
  });

  it("does not walk what an input of at most MAX_RAW_VALUES characters or bytes decoded to", () => {
    // A value cannot hold more values than its text has characters; the getter tells whether it was walked.
    let walked = 0;
    const watched = Object.defineProperty({}, "x", {
      enumerable: true,
      get() {
        walked++;
        return 1;
      },
    });
    expect(keptRaw("x".repeat(MAX_RAW_VALUES), watched)).toBe(watched);
    expect(keptRaw(new Uint8Array(MAX_RAW_VALUES), watched)).toBe(watched);
    expect(walked).toBe(0);
    expect(keptRaw("x".repeat(MAX_RAW_VALUES + 1), watched)).toBe(watched);
    expect(walked).toBe(1);
  });

  it("keeps a value given already decoded, whatever its size", () => {
    const given = Array.from({ length: 2 * MAX_RAW_VALUES }, () => 1);
    expect(keptRaw(given, given)).toBe(given);
  });
});

describe("shareCode", () => {
  const code = "model_not_loaded";

  it("gives the strings that spell the code, two levels deep, the code's own string; the payload reads the same", () => {
    const body = { code, error: { type: code, code, message: "m", list: [code] }, other: "x" };
    const writes: string[] = [];
    const raw = watched(structuredClone(body), writes);
    shareCode(raw, code);
    expect(writes).toEqual(["code", "type", "code"]);
    expect(raw).toEqual(body);
  });

  it("leaves a short code alone (V8's JSON.parse shares those), and a frozen value without throwing", () => {
    const writes: string[] = [];
    shareCode(watched({ error: { code: "busy" } }, writes), "busy");
    expect(writes).toEqual([]);
    expect(() => shareCode(Object.freeze({ code }), code)).not.toThrow();
  });

  it("is never applied to an object the caller handed parseError, only to what core decoded", () => {
    const catalog = defineCatalog([
      { surface: "api", code, name: "NotLoaded", retryable: "no", action: "abort", summary: "Not loaded." },
    ] as const);
    const api = defineProtocol({
      name: "api",
      title: "API",
      maxBytes: 1024,
      catalog,
      readers: [(value) => ({ surface: "api", code: field(field(value, "error"), "code") as string })],
      errorClass: () => ProtocolError,
    });
    const writes: string[] = [];
    const given = watched({ error: { type: code, code } }, writes);
    expect(api.parseError(given)).toMatchObject({ code, known: true });
    expect(writes).toEqual([]);
    const text = JSON.stringify({ error: { type: code, code } });
    expect(api.parseError(text).raw).toEqual(JSON.parse(text));
  });
});
