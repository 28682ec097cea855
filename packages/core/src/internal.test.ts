import { byteAtATime, growth, LINEAR_GROWTH } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeMap } from "./catalog.js";
import { readContext } from "./context.js";
import { asBytes, decodeInput, utf8Length } from "./decode.js";
import { ProtocolError } from "./error.js";
import { field, pick } from "./field.js";
import { MAX_EMPTY_READS, readResponse } from "./response.js";
import { atCaller } from "./stack.js";
import { classifyStatus } from "./status.js";
import { closeReason, closeRow, standardCloses } from "./websocket.js";

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

describe("field", () => {
  it("reads own properties only, and never throws", () => {
    expect(field({ a: 1 }, "a")).toBe(1);
    expect(field(Object.create({ a: 1 }), "a")).toBeUndefined();
    expect(field([1], "0")).toBeUndefined();
    const hostile = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
      },
    );
    expect(field(hostile, "a")).toBeUndefined();
  });
});

describe("readResponse", () => {
  it("reads the body and the Retry-After header only", async () => {
    const res = new Response('{"error":"x"}', {
      status: 429,
      headers: { "retry-after": "8", authorization: "Bearer secret" },
    });
    const body = await readResponse(res, 1024);
    expect(body).toEqual({ status: 429, text: '{"error":"x"}', tooLarge: false, retryAfterMs: 8000, cause: undefined });
  });

  it("stops reading at the cap, even without a content-length", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const body = await readResponse(new Response(stream, { status: 500 }), 100_000);
    expect(body).toMatchObject({ status: 500, tooLarge: true, text: undefined });
    expect(pulled).toBeLessThan(5);
  });

  it("keeps a first chunk as it is and copies it once a second one comes, the same object included", async () => {
    const chunk = bytes("ab");
    // A body (a custom stream, not fetch's) that hands the same bytes over three times, after an empty chunk.
    const chunks = [new Uint8Array(0), chunk, chunk, chunk.subarray(1)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const body = await readResponse({ status: 500, body: stream }, 100);
    expect(body).toMatchObject({ text: "ababb", tooLarge: false });
    expect(chunk).toEqual(bytes("ab"));
    expect((await readResponse(new Response("one chunk"), 100)).text).toBe("one chunk");
  });

  it("refuses a declared oversize body without reading it", async () => {
    const res = new Response("x".repeat(10), { headers: { "content-length": "5000000" } });
    expect(await readResponse(res, 1000)).toMatchObject({ tooLarge: true });
  });

  it("keeps the cause when the body fails mid-stream", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('{"err'));
        controller.error(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
      },
    });
    const body = await readResponse(new Response(stream, { status: 503 }), 1000);
    expect(body.status).toBe(503);
    expect(body.text).toBeUndefined();
    expect(body.cause).toMatchObject({ code: "ECONNRESET" });
  });

  it("handles an empty body", async () => {
    expect(await readResponse(new Response(null, { status: 503 }), 10)).toMatchObject({ status: 503, text: "" });
  });

  it("decodes a body cut into 1-byte chunks, multi-byte characters split across them", async () => {
    const text = `{"error":"${"é☃😀".repeat(2000)}"}`;
    const body = await readResponse(new Response(byteAtATime(bytes(text)), { status: 500 }), 1 << 20);
    expect(body).toMatchObject({ text, tooLarge: false, cause: undefined });
  });

  it("counts the bytes of the chunks against the cap, not the decoded text", async () => {
    const encoded = bytes("☃".repeat(400)); // 1200 bytes, 400 chars
    expect(await readResponse(new Response(byteAtATime(encoded)), 1199)).toMatchObject({ tooLarge: true });
    expect(await readResponse(new Response(byteAtATime(encoded)), 1200)).toMatchObject({ tooLarge: false });
  });

  it("gives up on endless empty chunks, and lets timers run meanwhile", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(0)) });
    const body = await readResponse(new Response(stream, { status: 502 }), 1000);
    clearInterval(timer);
    expect(body.text).toBeUndefined();
    expect(String(body.cause)).toContain(`${MAX_EMPTY_READS} empty chunks`);
    expect(ticks).toBeGreaterThan(0);
  });

  it("yields to timers while a long body of tiny chunks is read", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const body = await readResponse(new Response(byteAtATime(new Uint8Array(20_000).fill(0x61))), 1 << 20);
    clearInterval(timer);
    expect(body.text).toHaveLength(20_000);
    expect(ticks).toBeGreaterThan(0);
  });

  it("stops a stalled body when the signal aborts", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(bytes('{"err')),
      pull: () => new Promise(() => {}),
    });
    const controller = new AbortController();
    const pending = readResponse(new Response(stream, { status: 504 }), 1000, Date.now(), {
      signal: controller.signal,
    });
    const reason = new Error("gave up waiting");
    setTimeout(() => controller.abort(reason), 5);
    expect(await pending).toMatchObject({ status: 504, text: undefined, cause: reason });
    expect(stream.locked).toBe(true);
    const already = await readResponse(new Response("{}"), 1000, Date.now(), { signal: AbortSignal.abort("no") });
    expect(already).toMatchObject({ text: undefined, cause: "no" });
  });

  it("never rejects on a stream of non-bytes, a hostile cancel or hostile options", async () => {
    const strings = new ReadableStream({ start: (c) => c.enqueue("text") });
    expect((await readResponse(new Response(strings as never), 1000)).cause).toBeInstanceOf(TypeError);
    const reader = {
      read: async () => ({ done: false, value: "x" }),
      cancel: () => {
        throw new Error("boom");
      },
    };
    const hostile = { status: 500, body: { getReader: () => reader } } as never;
    expect((await readResponse(hostile, 1000)).cause).toBeInstanceOf(TypeError);
    const options = new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
      },
    ) as never;
    expect(await readResponse(new Response("{}"), 1000, Date.now(), options)).toMatchObject({ text: "{}" });
  });
});

describe("classifyStatus", () => {
  it.each([
    [429, "yes", "throttle"],
    [503, "yes", "retry"],
    [502, "yes", "retry"],
    [408, "yes", "retry"],
    [500, "maybe", "retry"],
    [401, "no", "user-action"],
    [403, "no", "user-action"],
    [400, "no", "fix-request"],
    [200, "no", "abort"],
    [undefined, "no", "abort"],
  ] as const)("%s is %s / %s", (status, retryable, action) => {
    expect(classifyStatus(status)).toEqual({ retryable, action });
  });
});

describe("pick", () => {
  const text = {
    safeParse: (v: unknown) =>
      typeof v === "string" ? { success: true as const, data: v } : { success: false as const },
  };
  it("reads one own field through a schema, undefined when absent or wrong", () => {
    expect(pick(text, { code: "x" }, "code")).toBe("x");
    expect(pick(text, { code: 1 }, "code")).toBeUndefined();
    expect(pick(text, Object.create({ code: "inherited" }), "code")).toBeUndefined();
    expect(pick(text, null, "code")).toBeUndefined();
  });
});

describe("readContext", () => {
  it("keeps a valid status and hint, and drops everything else", () => {
    expect(readContext({ status: 503, retryAfterMs: 8000 })).toEqual({ status: 503, retryAfterMs: 8000 });
    expect(readContext({ status: 1.5, retryAfterMs: -1 })).toEqual({ status: undefined, retryAfterMs: undefined });
    expect(readContext({ status: 99 })).toEqual({ status: undefined, retryAfterMs: undefined });
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
      },
    );
    for (const value of [null, undefined, 42, "x", hostile]) {
      expect(readContext(value)).toEqual({ status: undefined, retryAfterMs: undefined });
    }
  });
});

describe("codeMap and the standard closes", () => {
  it("derives literal name-to-code constants from a catalog", () => {
    const codes = codeMap([
      { surface: "s", code: 3004, name: "AgentBusy", retryable: "maybe", action: "wait", summary: "" },
    ] as const);
    const busy: 3004 = codes.AgentBusy;
    expect(busy).toBe(3004);
    expect(Object.isFrozen(codes)).toBe(true);
  });

  it("reads a close reason from a string or a Buffer, capped at 123 bytes", () => {
    expect(closeReason("Replaced by newer session")).toBe("Replaced by newer session");
    expect(closeReason(Buffer.from("Replaced by newer session"))).toBe("Replaced by newer session");
    expect(closeReason("x".repeat(500))).toHaveLength(123);
    expect(closeReason(undefined)).toBe("");
    expect(closeReason({ toString: () => "nope" })).toBe("");
  });

  it("classifies standard close codes and leaves application codes to the protocol", () => {
    const closes = standardCloses();
    expect(closeRow(closes, 1006, "")).toMatchObject({
      name: "ABNORMAL_CLOSURE",
      retryable: "yes",
      action: "reconnect",
    });
    expect(closeRow(closes, 1008, "")?.action).toBe("user-action");
    expect(closeRow(closes, 4001, "")).toBeUndefined();
  });

  it("reads the last matching row, so a protocol's own row after the standard one wins", () => {
    const own = {
      code: 1012,
      reason: "Replaced",
      name: "REPLACED",
      retryable: "no",
      action: "abort",
      summary: "",
    } as const;
    const closes = [...standardCloses(), own];
    expect(closeRow(closes, 1012, "Replaced")).toBe(own);
    expect(closeRow(closes, 1012, "other")?.name).toBe("SERVICE_RESTART");
  });
});

describe("atCaller", () => {
  const make = () =>
    new ProtocolError({ protocol: "atlas", code: 1, message: "m", retryable: "no", action: "abort", known: false });
  function parseLike(build: () => ProtocolError = make): ProtocolError {
    return atCaller(build, parseLike);
  }
  function usersCode(): ProtocolError {
    return parseLike();
  }
  const frames = (err: Error) => String(err.stack).split("\n").slice(1);

  it("starts the stack at the caller of the entry, with the usual depth after it", () => {
    const err = usersCode();
    expect(err).toBeInstanceOf(ProtocolError);
    expect(frames(err)[0]).toContain("usersCode");
    expect(String(err.stack)).not.toMatch(/parseLike|atCaller|make/);
    expect(frames(err).length).toBeGreaterThan(1);
    expect(String(err.stack).split("\n")[0]).toBe("ProtocolError: m");
  });

  it("restores Error.stackTraceLimit, also when the builder throws", () => {
    const before = Error.stackTraceLimit;
    usersCode();
    expect(Error.stackTraceLimit).toBe(before);
    expect(() =>
      parseLike(() => {
        throw new RangeError("boom");
      }),
    ).toThrow(RangeError);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it("keeps the usual stack when the limit cannot be written or the engine has no captureStackTrace", () => {
    const limit = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
    Object.defineProperty(Error, "stackTraceLimit", {
      value: Error.stackTraceLimit,
      writable: false,
      configurable: true,
    });
    try {
      const err = usersCode();
      expect(String(err.stack)).toContain("parseLike");
    } finally {
      if (limit) Object.defineProperty(Error, "stackTraceLimit", limit);
    }
    const capture = Object.getOwnPropertyDescriptor(Error, "captureStackTrace");
    Reflect.deleteProperty(Error, "captureStackTrace");
    try {
      const err = usersCode();
      expect(String(err.stack)).toContain("parseLike");
      expect(Error.stackTraceLimit).toBe(limit?.value);
    } finally {
      if (capture) Object.defineProperty(Error, "captureStackTrace", capture);
    }
  });
});
