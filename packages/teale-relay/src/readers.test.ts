import { isProtocolError, MALFORMED, TOO_LARGE } from "@wirefault/core";
import { growth, LINEAR_GROWTH, trapProxy } from "@wirefault/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { catalog, MAX_BYTES } from "./catalog.js";
import { TealeRelayError } from "./error.js";
import { parseError } from "./protocol.js";
import { peerNodeIdOf } from "./readers.js";

// The page's own payloads, byte for byte.
const PEER_NOT_FOUND = '{\n"error": {\n"code": "peer_not_found",\n"message": "Peer abc... is not connected"\n}\n}';
const RATE_LIMITED =
  '{\n"error": {\n"code": "rate_limited",\n"message": "Discover rate limited, retry after 8s",\n"retryAfterSeconds": 8\n}\n}';
const MODEL_NOT_LOADED =
  '{\n"error": {\n"message": "Model mlx-community/Qwen3-8B-4bit is not loaded",\n"type": "model_not_loaded",\n"code": "model_not_loaded"\n}\n}';

const bytes = (text: string) => new TextEncoder().encode(text);

const expectMalformed = (error: TealeRelayError, raw: unknown) => {
  expect(error).toBeInstanceOf(TealeRelayError);
  expect(error).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort", status: undefined });
  expect(error.raw).toBe(raw);
};

describe("the page's payloads", () => {
  it("peer_not_found: exact fields, and toWire gives the frame back", () => {
    const error = parseError(PEER_NOT_FOUND);
    expect(error.toJSON()).toEqual({
      name: "TealeRelayError",
      message: "Peer abc... is not connected",
      protocol: "teale-relay",
      surface: "relay",
      code: "peer_not_found",
      codeName: "peer_not_found",
      status: undefined,
      retryable: "maybe",
      action: "reset",
      retryAfterMs: undefined,
      known: true,
      peerNodeId: "abc...",
      cause: undefined,
    });
    expect(error.toWire()).toEqual(JSON.parse(PEER_NOT_FOUND));
    expect(JSON.stringify(error.toWire())).toBe(JSON.stringify(JSON.parse(PEER_NOT_FOUND)));
  });

  it("rate_limited: retryAfterSeconds becomes retryAfterMs, and the frame round-trips key for key", () => {
    const error = parseError(RATE_LIMITED);
    expect(error).toMatchObject({
      code: "rate_limited",
      message: "Discover rate limited, retry after 8s",
      retryable: "yes",
      action: "throttle",
      retryAfterMs: 8000,
      retryAfterSeconds: 8,
      known: true,
      surface: "relay",
    });
    expect(error.policy).toEqual({ baseMs: 10_000, minDelayMs: 10_000 });
    expect(error.toWire()).toEqual(JSON.parse(RATE_LIMITED));
    expect(JSON.stringify(error.toWire())).toBe(JSON.stringify(JSON.parse(RATE_LIMITED)));
  });

  it("model_not_loaded: the OpenAI envelope, with and without the HTTP status", () => {
    for (const error of [parseError(MODEL_NOT_LOADED), parseError(MODEL_NOT_LOADED, { status: 503 })]) {
      expect(error).toMatchObject({
        code: "model_not_loaded",
        message: "Model mlx-community/Qwen3-8B-4bit is not loaded",
        status: 503,
        retryable: "maybe",
        action: "reset",
        surface: "api",
        known: true,
      });
      expect(error.toWire()).toEqual(JSON.parse(MODEL_NOT_LOADED));
      expect(JSON.stringify(error.toWire())).toBe(JSON.stringify(JSON.parse(MODEL_NOT_LOADED)));
    }
  });

  it("accepts the frame as a string, bytes, an ArrayBuffer or an object, alike", () => {
    const inputs = [RATE_LIMITED, bytes(RATE_LIMITED), bytes(RATE_LIMITED).buffer, JSON.parse(RATE_LIMITED)];
    const seen = inputs.map((input) => parseError(input).toJSON());
    for (const json of seen) expect(json).toEqual(seen[0]);
  });

  it("keeps the decoded payload as non-enumerable raw", () => {
    const error = parseError(PEER_NOT_FOUND);
    expect(error.raw).toEqual(JSON.parse(PEER_NOT_FOUND));
    expect(Object.keys(error)).not.toContain("raw");
    expect(JSON.stringify(error)).not.toContain('"raw"');
  });
});

describe("field-notes variants: the relay", () => {
  it.each([
    ["invalid_register", "Missing nodeID in register payload"],
    ["invalid_json", "Could not decode relay message"],
    ["invalid_message", "Empty relay message"],
    ["unsupported_message", "Unsupported relay message: 0"],
    ["unsupported_message", "Unsupported relay message: teleport"],
  ])("%s: %s", (code, message) => {
    const error = parseError(JSON.stringify({ error: { code, message } }));
    expect(error).toMatchObject({
      code,
      message,
      known: true,
      surface: "relay",
      retryable: "no",
      action: "fix-request",
    });
    expect(error.status).toBeUndefined();
    expect(error.toWire()).toEqual({ error: { code, message } });
  });

  it("reads the peer id off the message, treating `undefined` as absent", () => {
    const frame = (id: string) => ({ error: { code: "peer_not_found", message: `Peer ${id} is not connected` } });
    expect(parseError(frame("9f3ac0de")).peerNodeId).toBe("9f3ac0de");
    const absent = parseError(frame("undefined"));
    expect(absent.peerNodeId).toBeUndefined();
    expect("peerNodeId" in absent.toJSON()).toBe(false);
    expect(absent.toWire()).toEqual(frame("undefined"));
  });

  it("only peer_not_found carries a peer id", () => {
    expect(
      parseError({ error: { code: "invalid_json", message: "Peer x is not connected" } }).peerNodeId,
    ).toBeUndefined();
  });

  it("a frame without message takes the catalog summary", () => {
    const error = parseError({ error: { code: "invalid_json" } });
    expect(error.message).toBe("The relay could not parse the message as JSON.");
    expect(error.known).toBe(true);
  });
});

describe("peerNodeIdOf", () => {
  it.each([
    ["Peer abc is not connected", "abc"],
    ["Peer a b is not connected", "a b"],
    ["Peer undefined is not connected", undefined],
    ["Peer  is not connected", undefined],
    ["Peer is not connected", undefined],
    ["peer abc is not connected", undefined],
    ["Peer abc is connected", undefined],
    ["", undefined],
  ])("%j gives %j", (message, id) => {
    expect(peerNodeIdOf(message)).toBe(id);
  });

  it("runs in linear time on adversarial text", () => {
    const evil = (scale: number) => `Peer ${" is not connected".repeat(3_125 * scale)}x`;
    expect(peerNodeIdOf(evil(16))).toBeUndefined();
    expect(peerNodeIdOf(`${evil(16)} is not connected`)?.length).toBe(evil(16).length - 5);
    const texts = (scale: number) => [evil(scale), `${evil(scale)} is not connected`];
    // Built once per size, outside what is timed: only the reading grows.
    expect(
      growth((scale) =>
        (
          (both) => () =>
            both.map(peerNodeIdOf)
        )(texts(scale)),
      ),
    ).toBeLessThan(LINEAR_GROWTH);
  });
});

describe("field-notes variants: the local API", () => {
  it("401 authentication_error / invalid_api_key is unauthorized", () => {
    const body = '{"error":{"message":"Invalid API key","type":"authentication_error","code":"invalid_api_key"}}';
    const error = parseError(body, { status: 401 });
    expect(error).toMatchObject({
      code: "unauthorized",
      codeName: "unauthorized",
      status: 401,
      message: "Invalid API key",
      retryable: "no",
      action: "user-action",
      known: true,
      surface: "api",
    });
    // Read as unauthorized, given back as the server sent it.
    expect(JSON.stringify(error.toWire())).toBe(body);
  });

  it("400 invalid_request_error with no code is invalid_request", () => {
    const body = '{"error":{"message":"Model qwen-x is not available","type":"invalid_request_error"}}';
    expect(parseError(body, { status: 400 })).toMatchObject({
      code: "invalid_request",
      status: 400,
      message: "Model qwen-x is not available",
      retryable: "no",
      action: "fix-request",
      known: true,
    });
  });

  it('accepts "code": null as no code', () => {
    const body = '{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":null}}';
    expect(parseError(body, { status: 400 })).toMatchObject({ code: "invalid_request", known: true });
  });

  it("503 service_unavailable (the privacy filter) keeps its type as code and is classified by status", () => {
    const body = '{"error":{"message":"Privacy filter failed","type":"service_unavailable"}}';
    expect(parseError(body, { status: 503 })).toMatchObject({
      code: "service_unavailable",
      codeName: undefined,
      status: 503,
      message: "Privacy filter failed",
      retryable: "yes",
      action: "retry",
      known: false,
      surface: "api",
    });
  });

  it("an unknown code keeps the code, classified by status when there is one", () => {
    const body = '{"error":{"message":"too long","type":"invalid_request_error","code":"context_length_exceeded"}}';
    expect(parseError(body, { status: 400 })).toMatchObject({
      code: "context_length_exceeded",
      known: false,
      status: 400,
      retryable: "no",
      action: "fix-request",
    });
    expect(parseError('{"error":{"message":"m","type":"weird"}}')).toMatchObject({
      code: "weird",
      known: false,
      status: undefined,
      retryable: "no",
      action: "abort",
    });
  });

  it("the 401 body that is not JSON (a quote in the message) falls back to the status", () => {
    const body = '{"error":{"message":"Invalid key "abc"","type":"authentication_error","code":"invalid_api_key"}}';
    const error = parseError(body, { status: 401 });
    expect(error).toMatchObject({ code: "unauthorized", status: 401, known: true, action: "user-action" });
    expect(error.message).toBe("The API key is missing or invalid.");
    expect(error.raw).toBe(body);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(JSON.stringify(error)).not.toContain("abc");
  });

  it.each([
    [401, "unauthorized", "no", "user-action"],
    [400, "invalid_request", "no", "fix-request"],
    [500, "internal_error", "yes", "retry"],
    [503, "model_not_loaded", "maybe", "reset"],
  ])("a non-JSON %i body is %s", (status, code, retryable, action) => {
    expect(parseError("<html>oops</html>", { status })).toMatchObject({ code, status, retryable, action, known: true });
    expect(parseError("", { status })).toMatchObject({ code, status, known: true });
  });

  it("an undocumented status without a readable body is MALFORMED, classified by status", () => {
    expect(parseError("Bad Gateway", { status: 502 })).toMatchObject({
      code: MALFORMED,
      known: false,
      status: 502,
      surface: "api",
      retryable: "yes",
      action: "retry",
    });
    expect(parseError('{"detail":"nope"}', { status: 404 })).toMatchObject({
      code: MALFORMED,
      status: 404,
      retryable: "no",
      action: "fix-request",
    });
  });

  it("an envelope naming nothing keeps its message and takes the status's code", () => {
    expect(parseError('{"error":{"message":"missing messages"}}', { status: 400 })).toMatchObject({
      code: "invalid_request",
      message: "missing messages",
      known: true,
    });
  });

  it("keeps a Retry-After hint from the context", () => {
    expect(parseError(MODEL_NOT_LOADED, { status: 503, retryAfterMs: 2000 }).retryAfterMs).toBe(2000);
    expect(parseError("", { status: 503, retryAfterMs: -5 }).retryAfterMs).toBeUndefined();
  });

  it("ignores a status that is not an HTTP status", () => {
    for (const status of [0, 99, 600, 401.5, Number.NaN]) {
      expect(parseError(PEER_NOT_FOUND, { status }).code).toBe("peer_not_found");
    }
  });

  it("masks a bearer token the server echoed into its message", () => {
    const body = '{"error":{"message":"Bad key Bearer sk-live-123abc","type":"authentication_error"}}';
    const error = parseError(body, { status: 401 });
    expect(error.message).toBe("Bad key Bearer [redacted]");
    expect(JSON.stringify(error)).not.toContain("sk-live-123abc");
  });
});

describe("relayed inferenceError", () => {
  it("a page code inside: model_not_loaded, with the request id", () => {
    const frame = {
      inferenceError: { requestID: "r-1", errorMessage: "Model x is not loaded", code: "model_not_loaded" },
    };
    const error = parseError(JSON.stringify(frame));
    expect(error).toMatchObject({
      code: "model_not_loaded",
      message: "Model x is not loaded",
      requestId: "r-1",
      status: 503,
      retryable: "maybe",
      action: "reset",
      known: true,
    });
    expect(error.toWire()).toEqual(frame);
  });

  it.each([
    ["queue_full", "yes", "throttle"],
    ["unavailable", "maybe", "retry"],
    // Now a documented code: the gateway's 504 row.
    ["timeout", "yes", "retry"],
    ["cancelled", "no", "abort"],
    ["internal_error", "yes", "retry"],
  ])("sibling code %s: %s, %s", (code, retryable, action) => {
    const error = parseError({ inferenceError: { requestID: "r", errorMessage: "m", code } });
    expect(error).toMatchObject({ code, retryable, action, known: code === "internal_error" || code === "timeout" });
  });

  it("no code means the provider's internal_error", () => {
    const error = parseError({ inferenceError: { requestID: "r", errorMessage: "crashed" } });
    expect(error).toMatchObject({ code: "internal_error", requestId: "r", known: true, retryable: "yes" });
  });

  it("an unknown code inside is kept, known: false; __proto__ or toString are not sibling codes", () => {
    for (const code of ["mystery", "__proto__", "toString", "constructor"]) {
      const error = parseError({ inferenceError: { requestID: "r", errorMessage: "m", code } });
      expect(error).toMatchObject({ code, known: false, retryable: "no", action: "abort" });
    }
  });

  it("a malformed inferenceError is MALFORMED", () => {
    const value = { inferenceError: { requestID: 7, errorMessage: "m" } };
    expectMalformed(parseError(value), value);
  });
});

describe("bad input", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("malformed JSON", () => {
    for (const text of ['{"error":', "{nope", "", " ", "\u0000"]) {
      const error = parseError(text);
      expectMalformed(error, text);
      expect(error.cause).toBeInstanceOf(SyntaxError);
    }
    const broken = bytes('{"error":{"code"');
    expectMalformed(parseError(broken), broken);
  });

  it("a field of the wrong type is dropped, never the code beside it", () => {
    const error = parseError('{"error":{"code":"peer_not_found","message":7}}');
    expect(error).toMatchObject({ code: "peer_not_found", known: true, action: "reset" });
    expect(error.message).toBe(catalog.find((e) => e.code === "peer_not_found")?.summary);
  });

  it("valid JSON that is not an error (including what the relay answers [] 123 true with)", () => {
    const values = [
      '{"registerAck":{"nodeID":"n1","registeredAt":785000000.5,"ttlSeconds":300}}',
      '{"offer":{"toNodeID":"n2","sdp":"v=0"}}',
      '{"relayData":{"toNodeID":"n2","data":"AAAA"}}',
      "[]",
      "123",
      "true",
      "null",
      '"offer"',
      "{}",
      '{"error":null}',
      '{"error":"peer_not_found"}',
      '{"error":["peer_not_found"]}',
      '{"error":{"message":"no code"}}',
    ];
    for (const text of values) {
      const error = parseError(text);
      expect(error).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort" });
      expect(error.raw).toEqual(JSON.parse(text));
      expect(error.message).toBe("Not a Teale error");
    }
    for (const value of [undefined, null, 0, Symbol("x"), () => 1, new Map(), new Date(0), new Blob(["{}"])]) {
      expectMalformed(parseError(value), value);
    }
  });

  it("an unknown code is kept, known: false", () => {
    const error = parseError('{"error":{"code":"brand_new_code","message":"Something new"}}');
    expect(error).toMatchObject({
      code: "brand_new_code",
      codeName: undefined,
      message: "Something new",
      known: false,
      surface: "relay",
      retryable: "no",
      action: "abort",
    });
    expect(error.toWire()).toEqual({ error: { code: "brand_new_code", message: "Something new" } });
  });

  it("an api code on the relay surface is unknown there", () => {
    expect(parseError({ error: { code: "model_not_loaded", message: "m" } })).toMatchObject({
      code: "model_not_loaded",
      known: false,
      surface: "relay",
    });
  });

  it("a non-string or empty code", () => {
    for (const code of [42, null, true, {}, [], "", ["peer_not_found"]]) {
      const value = { error: { code, message: "m" } };
      expectMalformed(parseError(value), value);
      const text = JSON.stringify(value);
      expect(parseError(text).code).toBe(MALFORMED);
    }
  });

  it.each([
    ["negative", -8],
    ["NaN", Number.NaN],
    ["a string", "8"],
    ["null", null],
    ["an object", { seconds: 8 }],
  ])("retryAfterSeconds that is %s is ignored", (_, retryAfterSeconds) => {
    const error = parseError({ error: { code: "rate_limited", message: "m", retryAfterSeconds } });
    expect(error).toMatchObject({ code: "rate_limited", known: true, retryable: "yes", action: "throttle" });
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.retryAfterSeconds).toBeUndefined();
    // toWire() gives back what was received; a value no JSON wire carries (NaN, Infinity) gets the page's shape.
    const json = typeof retryAfterSeconds !== "number" || Number.isFinite(retryAfterSeconds);
    expect(error.toWire()).toEqual({
      error: { code: "rate_limited", message: "m", ...(json && { retryAfterSeconds }) },
    });
  });

  // Issue 27: a hint too large for a number of ms (1e300, 9007199254741 s) was dropped, so the code's own
  // 10 s backoff applied: a larger value meant a shorter wait. Clamped now, as the Retry-After header is.
  it.each([
    ["9007199254741", "9007199254741", 9007199254741],
    ["1e300", "1e300", 1e300],
    ["15 digits", "999999999999999", 999999999999999],
  ])("retryAfterSeconds of %s is clamped to 2^53-1 ms, never dropped, and kept as sent", (_, text, seconds) => {
    const error = parseError(`{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":${text}}}`);
    expect(error.retryAfterMs).toBe(Number.MAX_SAFE_INTEGER);
    expect(error.retryAfterSeconds).toBe(seconds);
    expect(error.toWire()).toEqual({ error: { code: "rate_limited", message: "m", retryAfterSeconds: seconds } });
  });

  it("retryAfterSeconds of 1e400 (Infinity once parsed) is clamped too; no JSON wire carries Infinity back", () => {
    for (const input of [
      '{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":1e400}}',
      { error: { code: "rate_limited", message: "m", retryAfterSeconds: Number.POSITIVE_INFINITY } },
    ]) {
      const error = parseError(input);
      expect(error.retryAfterMs).toBe(Number.MAX_SAFE_INTEGER);
      expect(error.retryAfterSeconds).toBeUndefined();
      expect(JSON.stringify(error.toJSON())).not.toContain("null");
    }
  });

  it("retryAfterSeconds of 1e12 is kept as the server's hint (retry() clamps it)", () => {
    const error = parseError('{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":1e12}}');
    expect(error.retryAfterMs).toBe(1e15);
    expect(error.retryAfterSeconds).toBe(1e12);
  });

  it("retryAfterSeconds of 0 and -0 are both 0", () => {
    expect(parseError({ error: { code: "rate_limited", message: "m", retryAfterSeconds: -0 } }).retryAfterSeconds).toBe(
      0,
    );
    expect(parseError('{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":0}}').retryAfterMs).toBe(0);
  });

  it("__proto__ keys are data: never read through, never polluting", () => {
    const text =
      '{"__proto__":{"polluted":1},"error":{"code":"rate_limited","message":"m","__proto__":{"retryAfterSeconds":5,"polluted":2}}}';
    const error = parseError(text);
    expect(error).toMatchObject({ code: "rate_limited", known: true });
    expect(error.retryAfterMs).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(error, "polluted")).toBe(false);

    const inherited = '{"__proto__":{"error":{"code":"peer_not_found","message":"m"}}}';
    expect(parseError(inherited).code).toBe(MALFORMED);
    const protoCode = parseError('{"error":{"code":"__proto__","message":"m"}}');
    expect(protoCode).toMatchObject({ code: "__proto__", known: false, retryable: "no", action: "abort" });
    expect(parseError('{"error":{"message":"m","type":"__proto__"}}', { status: 400 })).toMatchObject({
      code: "__proto__",
      known: false,
    });
  });

  it("a 17 MiB string is refused by the size cap before any parsing", () => {
    const huge = `{"error":{"code":"rate_limited","message":"${"x".repeat(17 * 1024 * 1024)}"}}`;
    const parse = vi.spyOn(JSON, "parse");
    const error = parseError(huge);
    expect(parse).not.toHaveBeenCalled();
    expect(error).toMatchObject({ code: TOO_LARGE, known: false, retryable: "no", action: "abort" });
    expect(error.message).toBe(`Input of ${huge.length} bytes exceeds the 16777216-byte cap`);
    expect(parseError(bytes(huge)).code).toBe(TOO_LARGE);
    expect(parseError(huge, { status: 500 })).toMatchObject({ code: TOO_LARGE, status: 500 });
  });

  it("a frame just under the cap is read", () => {
    const message = "x".repeat(16_777_216 - 64);
    const text = JSON.stringify({ error: { code: "invalid_json", message } });
    expect(text.length).toBeLessThanOrEqual(16_777_216);
    expect(parseError(text).code).toBe("invalid_json");
  });

  it("deep nesting", () => {
    const deepArray = `{"error":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(parseError(deepArray).code).toBe(MALFORMED);
    expect(parseError("[".repeat(500_000)).code).toBe(MALFORMED);
    // Nesting past 64 levels is refused before JSON.parse, even in a field nobody reads:
    // parsing that much nesting costs 50-200 ms.
    const deepInside = `{"error":{"code":"invalid_json","message":"m","extra":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    expect(parseError(deepInside).code).toBe(MALFORMED);
    let nested: Record<string, unknown> = { code: "x" };
    for (let i = 0; i < 100_000; i++) nested = { error: nested };
    expect(parseError(nested).code).toBe(MALFORMED);
  });

  it("hostile objects: throwing getters, traps, revoked proxies", () => {
    // A throwing getter is read as an absent field: the code beside it still counts.
    const throwing = {
      error: {
        code: "rate_limited",
        get message(): string {
          throw new Error("getter");
        },
      },
    };
    expect(parseError(throwing)).toMatchObject({ code: "rate_limited", known: true, action: "throttle" });

    const trap = trapProxy();
    expectMalformed(parseError(trap), trap);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expectMalformed(parseError(proxy), proxy);

    const context = {
      get status(): number {
        throw new Error("context");
      },
    };
    // A hostile context is ignored: it must not spoil a valid error.
    expect(parseError(PEER_NOT_FOUND, context).code).toBe("peer_not_found");
  });

  it("every result is this package's class and a ProtocolError", () => {
    const error = parseError("junk");
    expect(error).toBeInstanceOf(TealeRelayError);
    expect(isProtocolError(error)).toBe(true);
    expect(error.name).toBe("TealeRelayError");
    expect(error.protocol).toBe("teale-relay");
  });
});

describe("decoded objects under the cap", () => {
  it("refuses a decoded error whose text is over the 1 MiB cap, keeping none of it", () => {
    const big = "x".repeat(MAX_BYTES + 1);
    for (const body of [
      { error: { code: "rate_limited", message: big } },
      { error: { code: big } },
      { error: { type: "invalid_request_error", message: big } },
      { inferenceError: { requestID: "r", errorMessage: big } },
    ]) {
      const err = parseError(body);
      expect(err.code).toBe(TOO_LARGE);
      expect(err.raw).toBeUndefined();
    }
    expect(parseError({ error: { code: "rate_limited", message: "x".repeat(1000) } }).code).toBe("rate_limited");
  });
});
