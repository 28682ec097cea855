// Each function of a protocol built on its own from one pipeline answers as
// defineProtocol's does, and a protocol handed them holds the very same ones.
import { stackProblems } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { defineCatalog } from "./catalog.js";
import { MALFORMED, NETWORK, ProtocolError, TOO_LARGE } from "./error.js";
import {
  assembleProtocol,
  decodeOf,
  definePipeline,
  defineProtocol,
  fromCloseOf,
  fromResponseOf,
  fromSocketErrorOf,
  localErrorOf,
  overHttp,
  overSocket,
  overWebSocket,
  parseDecodedOf,
  parseErrorAsyncOf,
  parseErrorOf,
  unreadBodyOf,
} from "./protocol.js";

// biome-ignore format: one row per code
const catalog = defineCatalog([
  { surface: "api", code: "busy", name: "Busy", status: 503, retryable: "yes", action: "retry", summary: "Busy." },
  { surface: "api", code: 7, name: "Seven", retryable: "no", action: "abort", summary: "Seven." },
] as const);

const closeCodes = [
  { code: 4001, name: "BAD_TOKEN", retryable: "no", action: "user-action", summary: "Bad token." },
] as const;

// No transport in what the pipeline is built from: only parseError's needs.
const bare = {
  name: "sample",
  title: "Sample",
  maxBytes: 1024,
  catalog,
  readers: [(value: unknown) => ({ surface: "api", code: (value as { code?: string | number })?.code })],
  errorClass: () => ProtocolError,
};
const http = { ...bare, http: overHttp("api") };
const websocket = overWebSocket({ closeCodes });
const socket = overSocket({ surface: "api", unreachable: 7, dropped: 7, timeout: 7, other: "busy" });

const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
const answer = (err: ProtocolError) => ({ ...err.toJSON(), stack: undefined, local: err.local });

describe("a protocol's functions, each built on its own", () => {
  const pipeline = definePipeline(http);
  const whole = defineProtocol({ ...http, websocket, socket });

  it("answer as defineProtocol's do", async () => {
    const parseError = parseErrorOf(pipeline);
    for (const input of [{ code: "busy" }, '{"code":7}', "not json", new Uint8Array([1]), { code: "other" }])
      expect(answer(parseError(input, { status: 503 }))).toEqual(answer(whole.parseError(input, { status: 503 })));
    expect(answer(await parseErrorAsyncOf(pipeline)(new Blob(['{"code":"busy"}'])))).toEqual(
      answer(whole.parseError({ code: "busy" })),
    );
    const res = () => new Response('{"code":"busy"}', { status: 503, headers: { "retry-after": "2" } });
    expect(answer(await fromResponseOf(pipeline)(res()))).toEqual(answer(await whole.fromResponse(res())));
    expect(answer(fromCloseOf(pipeline, websocket)(4001, "bad"))).toEqual(answer(whole.fromClose(4001, "bad")));
    expect(answer(fromSocketErrorOf(pipeline, socket)(reset))).toEqual(answer(whole.fromSocketError(reset)));
    const lost = { status: 503, text: undefined, tooLarge: false, retryAfterMs: undefined, cause: reset };
    expect(unreadBodyOf(pipeline)(lost)?.code).toBe(NETWORK);
    expect(answer(unreadBodyOf(pipeline)(lost) as ProtocolError)).toEqual(
      answer(whole.unreadBody(lost) as ProtocolError),
    );
    expect(decodeOf(pipeline)('{"code":7}')).toEqual(whole.decode('{"code":7}'));
    expect(answer(localErrorOf(pipeline)(MALFORMED, "no"))).toEqual(answer(whole.localError(MALFORMED, "no")));
  });

  it("parseDecodedOf reads a decoded value as parseError does, keeps it as raw, and never throws", () => {
    const parseError = parseErrorOf(pipeline);
    const parseDecoded = parseDecodedOf(pipeline);
    for (const value of [{ code: "busy" }, { code: 7 }, { code: "other" }, {}, null, [1]])
      for (const context of [{ status: 503 }, { status: 503, stack: false }, undefined])
        expect(answer(parseDecoded(value, context))).toEqual(answer(parseError(value, context)));
    const value = { code: "busy" };
    expect(parseDecoded(value).raw).toBe(value);
    expect(parseDecoded(value, { stack: false }).stack).toBe("ProtocolError: Busy.");
    function callersFrame(): ProtocolError {
      return parseDecoded(value);
    }
    expect(stackProblems(callersFrame().stack, { entry: "parseDecoded", caller: "callersFrame" })).toEqual([]);
    const throwing = definePipeline({
      ...bare,
      readers: [
        () => {
          throw new Error("reader");
        },
      ],
    });
    const err = parseDecodedOf(throwing)(value);
    expect([err.code, err.message, err.raw]).toEqual([MALFORMED, "Could not read a Sample error", value]);
  });

  it("a parseError built alone still starts its stack at its own frame, then the caller's", () => {
    const parseError = parseErrorOf(pipeline);
    function callersFrame(): ProtocolError {
      return parseError({ code: "busy" });
    }
    expect(stackProblems(callersFrame().stack, { entry: "parseError", caller: "callersFrame" })).toEqual([]);
  });

  it("a protocol handed them holds the very same functions and transports", () => {
    const parseError = parseErrorOf(pipeline);
    const parseErrorAsync = parseErrorAsyncOf(pipeline, parseError);
    const fromResponse = fromResponseOf(pipeline);
    const fromClose = fromCloseOf(pipeline, websocket);
    const fromSocketError = fromSocketErrorOf(pipeline, socket);
    const unreadBody = unreadBodyOf(pipeline);
    const protocol = assembleProtocol(http, {
      pipeline,
      websocket,
      socket,
      parseError,
      parseErrorAsync,
      fromResponse,
      unreadBody,
      fromClose,
      fromSocketError,
    });
    expect(protocol).toMatchObject({
      parseError,
      parseErrorAsync,
      fromResponse,
      unreadBody,
      fromClose,
      fromSocketError,
    });
    expect(protocol.index).toBe(pipeline.index);
    expect(protocol.websocket).toBe(websocket);
    expect(protocol.socket).toBe(socket);
    expect(protocol.closeCodes).toEqual(closeCodes);
    expect(protocol.closes.at(-1)).toEqual(closeCodes[0]);
  });

  it("assembleProtocol refuses a transport without its function, and a function without its transport", () => {
    const parseError = parseErrorOf(pipeline);
    const parsers = { pipeline, parseError, parseErrorAsync: parseErrorAsyncOf(pipeline, parseError) };
    expect(() => assembleProtocol(http, parsers)).toThrow(
      'assembleProtocol("sample"): each transport needs its function, and each function its transport',
    );
    expect(() => assembleProtocol(bare, { ...parsers, websocket })).toThrow(TypeError);
    expect(() => assembleProtocol(bare, { ...parsers, fromSocketError: fromSocketErrorOf(pipeline, socket) })).toThrow(
      TypeError,
    );
  });

  it("without a transport, its function answers a misuse with MALFORMED, never a throw or a rejection", async () => {
    const p = definePipeline(bare);
    const parseError = parseErrorOf(p);
    const lean = assembleProtocol(bare, { pipeline: p, parseError, parseErrorAsync: parseErrorAsyncOf(p, parseError) });
    for (const protocol of [lean, defineProtocol(bare)]) {
      expect((await protocol.fromResponse(new Response("{}", { status: 503 }))).message).toBe(
        "Sample does not answer over HTTP",
      );
      expect(
        protocol.unreadBody({ status: 503, text: undefined, tooLarge: false, retryAfterMs: 1, cause: reset }),
      ).toBe(undefined);
      expect(protocol.fromClose(4001).message).toBe("Sample has no WebSocket closes");
      expect(protocol.fromSocketError(reset).message).toBe("Sample has no socket binding");
    }
    const res = await fromResponseOf(p)(new Response("{}", { status: 503 }));
    expect([res.code, res.message]).toEqual([MALFORMED, "Sample does not answer over HTTP"]);
    expect(
      unreadBodyOf(p)({ status: 503, text: undefined, tooLarge: false, retryAfterMs: 1, cause: reset }),
    ).toBeUndefined();
    expect(fromCloseOf(p, undefined)(4001).message).toBe("Sample has no WebSocket closes");
    expect(fromCloseOf(p, undefined)(99).message).toBe("Not a WebSocket close code");
    expect(fromSocketErrorOf(p, undefined)(new Error("x")).message).toBe("Sample has no socket binding");
  });

  it("definePipeline checks the definition as defineProtocol does", () => {
    expect(() => definePipeline({ ...bare, maxBytes: 0 })).toThrow(
      /^defineProtocol\("sample"\): maxBytes must be a positive integer/,
    );
  });
  it("a refine that throws leaves the init as core made it, built by the protocol's own class", () => {
    class SampleError extends ProtocolError {}
    const refine = (): never => {
      throw new Error("the package's refine is broken");
    };
    const refined = defineProtocol({ ...bare, errorClass: () => SampleError, refine });
    const plain = defineProtocol({ ...bare, errorClass: () => SampleError });
    for (const input of [{ code: "busy" }, "not json"]) {
      const err = refined.parseError(input, { status: 503 });
      expect(err).toBeInstanceOf(SampleError);
      expect(answer(err)).toEqual(answer(plain.parseError(input, { status: 503 })));
    }
    expect(refined.localError(MALFORMED, "m")).toBeInstanceOf(SampleError);
  });
});

describe("parseErrorAsyncOf never rejects, and awaits nothing but a Blob it reads", () => {
  const parseErrorAsync = parseErrorAsyncOf(definePipeline(bare));
  const settle = (input: unknown, context?: unknown) =>
    parseErrorAsync(input, context as never).then(
      (err) => err,
      (rejected: unknown) => ({ rejected }),
    );

  it("answers a revoked Proxy, a throwing then getter and a hostile context with MALFORMED", async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    // biome-ignore lint/suspicious/noThenProperty: the hostile input under test.
    const throwingThen = Object.defineProperty({}, "then", {
      get() {
        throw new Error("then getter");
      },
    });
    for (const input of [proxy, throwingThen]) expect(await settle(input)).toMatchObject({ code: MALFORMED });
    // A context that cannot be read is no context: the payload is still read.
    expect(await settle({ code: "busy" }, proxy)).toMatchObject({ code: "busy", known: true });
  });

  it("parses a thenable as the object it is, never calling then, even when it would resolve to an error", async () => {
    let calls = 0;
    const thenable = {
      code: 7,
      // biome-ignore lint/suspicious/noThenProperty: the hostile input under test.
      then(resolve: (value: unknown) => void) {
        calls++;
        resolve({ code: "busy" });
      },
    };
    expect(await settle(thenable)).toMatchObject({ code: 7, known: true });
    expect(calls).toBe(0);
  });

  it("answers a Blob-like whose read fails, throws or never starts with an error, not a rejection", async () => {
    const blobLike = (arrayBuffer: () => unknown, size: unknown = 4) => ({
      [Symbol.toStringTag]: "Blob",
      size,
      arrayBuffer,
    });
    const inputs = [
      blobLike(() => Promise.reject(new Error("read failed"))),
      blobLike(() => {
        throw new Error("sync throw");
      }),
      // biome-ignore lint/suspicious/noThenProperty: a read that resolves to a thenable, under test.
      blobLike(async () => ({ then: (resolve: (v: unknown) => void) => resolve(new ArrayBuffer(1)) })),
      blobLike(() => Promise.resolve(new ArrayBuffer(0)), Number.NaN),
      Object.defineProperty(
        blobLike(() => Promise.resolve(new ArrayBuffer(0))),
        "size",
        {
          get() {
            throw new Error("size getter");
          },
        },
      ),
    ];
    for (const input of inputs) {
      const err = await settle(input);
      expect(err).toBeInstanceOf(ProtocolError);
      expect(err).toMatchObject({ local: true });
    }
  });

  it("refuses a Blob over the cap by its size, without reading it", async () => {
    const big = new Blob([new Uint8Array(2048)]);
    let read = 0;
    big.arrayBuffer = () => {
      read++;
      return Promise.resolve(new ArrayBuffer(0));
    };
    expect(await settle(big)).toMatchObject({ code: TOO_LARGE });
    expect(read).toBe(0);
    expect(await settle(new Blob(['{"code":"busy"}']))).toMatchObject({ code: "busy", known: true });
  });
});
