import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { ABORTED, isRetryable, MALFORMED, NETWORK, retry, TIMEOUT } from "@wirefault/core";
import { type CannedServer, cannedServer, dataForms, recordingClock, thrown } from "@wirefault/test-utils";
import { describeConformance } from "@wirefault/test-utils/conformance";
import { generateText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPLACED_BY_NEWER_SESSION, TealeRelayCloseEvent } from "./catalog.js";
import { TealeRelayError } from "./error.js";
import { fromClose, fromResponse, isErrorFrame, isInferenceError, parseError, protocol } from "./protocol.js";

// What the real implementations send (FIELD-NOTES.md), with the status each came with; a secret echoed is masked.
// Every JSON shape FIELD-NOTES.md records, with the status it came with (relay frames have none).
const FIELD_NOTES: readonly (readonly [body: string, status?: number, masked?: string])[] = [
  ['{"error":{"code":"peer_not_found","message":"Peer node-7 is not connected"}}'],
  ['{"error":{"code":"peer_not_found","message":"Peer undefined is not connected"}}'],
  ['{"error":{"code":"invalid_register","message":"Missing nodeID in register payload"}}'],
  ['{"error":{"code":"invalid_json","message":"Could not decode relay message"}}'],
  ['{"error":{"code":"invalid_message","message":"Empty relay message"}}'],
  ['{"error":{"code":"unsupported_message","message":"Unsupported relay message: 0"}}'],
  ['{"error":{"code":"rate_limited","message":"Too many discover requests","retryAfterSeconds":10}}'],
  ['{"error":{"message":"Invalid API key","type":"authentication_error","code":"invalid_api_key"}}', 401],
  ['{"error":{"message":"Model llama is not loaded","type":"invalid_request_error"}}', 400],
  ['{"error":{"message":"Privacy filter unavailable","type":"service_unavailable"}}', 503],
  ['{"error":{"message":"Model llama is not loaded","type":"model_not_loaded","code":null}}', 503],
  [
    '{"inferenceError":{"_0":{"requestID":"req-1","errorMessage":"Model llama is not loaded","code":"model_not_loaded"}}}',
  ],
  ['{"inferenceError":{"_0":{"requestID":"req-1","errorMessage":"Provider crashed"}}}'],
  ['{"inferenceError":{"requestID":"req-2","errorMessage":"Queue is full","code":"queue_full"}}'],
  [
    '{"error":{"message":"Invalid API key sk-live-abc123","type":"authentication_error"}}',
    401,
    '{"error":{"message":"Invalid API key sk-[redacted]","type":"authentication_error"}}',
  ],
];

describeConformance(protocol, {
  details: [
    {
      payload: { inferenceError: { requestID: "req token=abc123", errorMessage: "m", code: "model_not_loaded" } },
      expected: { requestId: "req token=[redacted]" },
      without: { error: { code: "model_not_loaded", message: "m" } },
    },
    {
      payload: { error: { code: "rate_limited", message: "Slow down", retryAfterSeconds: 8 } },
      expected: { retryAfterSeconds: 8 },
      without: { error: { code: "rate_limited", message: "Slow down" } },
    },
  ],
  fieldNotes: FIELD_NOTES,
  // Real relay messages, traffic among them.
  messages: [
    '{"error":{"code":"peer_not_found","message":"Peer node-7 is not connected"}}',
    '{"error":{"code":"rate_limited","message":"Slow down","retryAfterSeconds":12}}',
    '{"error":{"code":"invalid_json","message":"Could not decode relay message"}}',
    '{"inferenceError":{"requestID":"req-1","errorMessage":"Model llama is not loaded","code":"model_not_loaded"}}',
    '{"inferenceError":{"_0":{"requestID":"req-2","errorMessage":"Queue is full","code":"queue_full"}}}',
    '{"offer":{"fromNodeID":"a","toNodeID":"b","sdp":"v=0"}}',
    '{"offer":{"_0":{"fromNodeID":"a","toNodeID":"b","sdp":"v=0"}}}',
  ],
  // The gateway's errors after a stream began: OpenAI-style and Anthropic-style events.
  streams: [
    'data: {"error":{"message":"all upstreams failed: device-1: reset","type":"upstream_failed","code":"upstream_failed"}}\n\n',
    'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"no eligible device for model llama"}}\n\n',
    'event: error\ndata: {"type":"error","error":{"type":"billing_error","message":"insufficient credits: balance 5, need 12"}}\n\n',
    'data: {"error":{"message":"timeout waiting for upstream","type":"timeout","code":"timeout"}}\r\n\r\n',
  ],
  predicates: { isErrorFrame, isInferenceError },
  dir: new URL(".", import.meta.url),
  // PTN and Noise errors are raised by a node itself; no peer sends them.
  wire: (entry, code) =>
    entry.surface === "relay"
      ? { error: { code, message: `relay said ${code}` } }
      : entry.surface === "api"
        ? { error: { message: `api said ${code}`, type: code, code } }
        : undefined,
});

// A CloseEvent keeps code and reason as prototype getters, not own properties.
class FakeCloseEvent {
  readonly #code: number;
  readonly #reason: string;
  constructor(code: number, reason: string) {
    this.#code = code;
    this.#reason = reason;
  }
  get code() {
    return this.#code;
  }
  get reason() {
    return this.#reason;
  }
}

describe("fromClose", () => {
  it("1012 `Replaced by newer session`: the session moved; do not reconnect", () => {
    const error = fromClose(1012, "Replaced by newer session");
    expect(error).toBeInstanceOf(TealeRelayError);
    expect(error.toJSON()).toEqual({
      name: "TealeRelayError",
      message: "Replaced by newer session",
      protocol: "teale-relay",
      surface: "close",
      code: 1012,
      codeName: "SESSION_REPLACED",
      status: undefined,
      retryable: "no",
      action: "abort",
      retryAfterMs: undefined,
      known: true,
      cause: undefined,
    });
    expect(isRetryable(error)).toBe(false);
    expect(REPLACED_BY_NEWER_SESSION).toBe("Replaced by newer session");
  });

  it.each([
    [1000, "NORMAL_CLOSURE", "maybe", "reconnect"],
    [1001, "GOING_AWAY", "yes", "reconnect"],
    [1006, "ABNORMAL_CLOSURE", "yes", "reconnect"],
    [1011, "INTERNAL_ERROR", "yes", "reconnect"],
    [1012, "SERVICE_RESTART", "yes", "reconnect"],
    [1002, "PROTOCOL_ERROR", "no", "abort"],
    [1008, "POLICY_VIOLATION", "no", "user-action"],
  ])("%i is %s: %s, %s", (code, codeName, retryable, action) => {
    const error = fromClose(code, "");
    expect(error).toMatchObject({ code, codeName, retryable, action, known: true, surface: "close" });
    expect(error.message).toBe(`WebSocket closed with code ${code} (${codeName})`);
    expect(error.policy).toEqual(action === "reconnect" ? { baseMs: 1000, capMs: 60_000 } : undefined);
  });

  it("reads a CloseEvent, whose fields are prototype getters", () => {
    expect(fromClose(new FakeCloseEvent(1012, "Replaced by newer session"))).toMatchObject({
      code: 1012,
      action: "abort",
    });
    expect(fromClose({ code: 1006, reason: "" })).toMatchObject({ code: 1006, action: "reconnect" });
    expect(fromClose({ code: 1012 }, "Replaced by newer session").action).toBe("abort");
  });

  it("1012 with any other reason is a plain service restart", () => {
    expect(fromClose(1012, "restarting").action).toBe("reconnect");
    expect(fromClose(1012, "replaced by newer session").action).toBe("reconnect");
  });

  it("keeps the reason as the message, capped at the protocol's 123 bytes", () => {
    expect(fromClose(1011, "relay crashed").message).toBe("relay crashed");
    expect(fromClose(1011, "r".repeat(10_000)).message).toHaveLength(123);
  });

  it("an application code the relay does not document is unknown: no, abort", () => {
    expect(fromClose(4001, "bad token")).toMatchObject({
      code: 4001,
      codeName: undefined,
      known: false,
      retryable: "no",
      action: "abort",
      message: "bad token",
    });
    expect(fromClose(4999).message).toBe("WebSocket closed with code 4999");
  });

  it("anything that is not a close code is MALFORMED, never a throw", () => {
    const hostile = {
      get code(): number {
        throw new Error("getter");
      },
    };
    for (const value of [Number.NaN, 1.5, -1, 5000, "1006", null, undefined, {}, hostile]) {
      const error = fromClose(value as never);
      expect(error).toBeInstanceOf(TealeRelayError);
      expect(error).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort" });
    }
    expect(fromClose(hostile as never).cause).toBeInstanceOf(Error);
  });

  it("1006 reconnects with backoff from 1 s up to 60 s", async () => {
    const clock = recordingClock();
    const error = await retry(
      () => {
        throw fromClose(1006);
      },
      { clock, jitter: "none", maxAttempts: 10 },
    ).catch((e) => e);
    expect(error.attempts).toBe(10);
    expect(clock.delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it("a replaced session is never retried", async () => {
    const clock = recordingClock();
    const error = await retry(
      () => {
        throw fromClose(1012, "Replaced by newer session");
      },
      { clock },
    ).catch((e) => e);
    expect(error.attempts).toBe(1);
    expect(clock.delays).toEqual([]);
  });
});

describe("TealeRelayCloseEvent", () => {
  it("is what fromClose reads: each event classifies under its own name, the bare code does not", () => {
    for (const [name, { code, reason }] of Object.entries(TealeRelayCloseEvent)) {
      expect(fromClose(code, reason)).toMatchObject({ code, codeName: name, known: true });
      expect(fromClose(code).codeName).not.toBe(name);
    }
    expect(TealeRelayCloseEvent.SESSION_REPLACED).toEqual({ code: 1012, reason: REPLACED_BY_NEWER_SESSION });
  });
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("fromResponse", () => {
  it("reads the page's envelope with the response's status", async () => {
    const body = {
      error: {
        message: "Model mlx-community/Qwen3-8B-4bit is not loaded",
        type: "model_not_loaded",
        code: "model_not_loaded",
      },
    };
    const error = await fromResponse(json(503, body));
    expect(error).toBeInstanceOf(TealeRelayError);
    expect(error).toMatchObject({
      code: "model_not_loaded",
      status: 503,
      retryable: "maybe",
      action: "reset",
      known: true,
    });
    expect(error.toWire()).toEqual(body);
  });

  it.each([
    [
      401,
      { error: { message: "Invalid API key", type: "authentication_error", code: "invalid_api_key" } },
      "unauthorized",
      true,
    ],
    [400, { error: { message: "Model foo is not available", type: "invalid_request_error" } }, "invalid_request", true],
    [503, { error: { message: "Privacy filter failed", type: "service_unavailable" } }, "service_unavailable", false],
    [500, { error: { message: "boom", type: "internal_error", code: "internal_error" } }, "internal_error", true],
  ])("the real app's %i envelope", async (status, body, code, known) => {
    const error = await fromResponse(json(status, body));
    expect(error).toMatchObject({ code, status, known, message: body.error.message });
  });

  it("the 401 body that is not JSON falls back to the status", async () => {
    const res = new Response('{"error":{"message":"Key "x" rejected","type":"authentication_error"}}', { status: 401 });
    expect(await fromResponse(res)).toMatchObject({
      code: "unauthorized",
      status: 401,
      known: true,
      action: "user-action",
    });
  });

  it("empty and HTML bodies fall back to the status", async () => {
    expect(await fromResponse(new Response(null, { status: 500 }))).toMatchObject({
      code: "internal_error",
      status: 500,
    });
    expect(await fromResponse(new Response("<h1>Bad Gateway</h1>", { status: 502 }))).toMatchObject({
      code: MALFORMED,
      status: 502,
      retryable: "yes",
      action: "retry",
    });
  });

  it("honours Retry-After, in seconds or as a date", async () => {
    const body = { error: { message: "m", type: "model_not_loaded", code: "model_not_loaded" } };
    expect((await fromResponse(json(503, body, { "retry-after": "7" }))).retryAfterMs).toBe(7000);
    const later = new Date(Date.now() + 120_000).toUTCString();
    const ms = (await fromResponse(json(503, body, { "retry-after": later }))).retryAfterMs;
    expect(ms).toBeGreaterThan(100_000);
    expect(ms).toBeLessThanOrEqual(120_000);
  });

  it("never reads or echoes the Authorization header", async () => {
    const read: string[] = [];
    const secret = "Bearer sk-teale-SECRET-42";
    const headers = new Headers({ authorization: secret, "retry-after": "1" });
    const res = new Response('{"error":{"message":"bad key","type":"authentication_error"}}', { status: 401 });
    Object.defineProperty(res, "headers", {
      value: {
        get(name: string) {
          read.push(name.toLowerCase());
          return headers.get(name);
        },
      },
    });
    const error = await fromResponse(res);
    expect(read.every((name) => name === "retry-after" || name === "content-length")).toBe(true);
    expect(read).toContain("retry-after");
    expect(read).not.toContain("authorization");
    for (const text of [JSON.stringify(error), error.message, String(error), JSON.stringify(error.toWire())]) {
      expect(text).not.toContain("SECRET");
    }
  });

  it("masks a key the server echoed into its message", async () => {
    const body = { error: { message: "Invalid key Bearer sk-teale-SECRET-42", type: "authentication_error" } };
    const error = await fromResponse(json(401, body));
    expect(error.message).toBe("Invalid key Bearer [redacted]");
    expect(JSON.stringify(error)).not.toContain("SECRET");
  });

  it("a body that fails mid-read falls back to the status, with the failure as cause", async () => {
    const failure = new Error("socket hang up");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.error(failure);
      },
    });
    const error = await fromResponse(new Response(stream, { status: 503 }));
    expect(error).toMatchObject({ code: "model_not_loaded", status: 503 });
    // A cause is kept as a masked copy, never the live object (issue 26).
    expect(error.cause).not.toBe(failure);
    expect(error.cause).toMatchObject({ name: (failure as Error).name, message: (failure as Error).message });
  });
});

// parseError on what openai-node and the AI SDK throw when they call the local
// API, each error produced by a real request to a loopback server that sends
// the real app's bytes.

// The real 401 is built by string concatenation: a quote in the message breaks the JSON.
const BROKEN_401 = '{"error":{"message":"Invalid API key "sk-live-4f9a2c7e81b3"","type":"authentication_error"}}';
const ANSWERS: Record<string, { status: number; body: string; headers?: Record<string, string> }> = {
  "401": {
    status: 401,
    body: '{"error":{"message":"Invalid API key","type":"authentication_error","code":"invalid_api_key"}}',
  },
  broken401: { status: 401, body: BROKEN_401 },
  "400": { status: 400, body: '{"error":{"message":"Model llama is not loaded","type":"invalid_request_error"}}' },
  "503": {
    status: 503,
    body: '{"error":{"message":"Privacy filter unavailable","type":"service_unavailable"}}',
    headers: { "retry-after": "5" },
  },
  "500": {
    status: 500,
    body: '{"error":{"message":"Inference failed","type":"internal_error","code":"internal_error"}}',
  },
  fast503: {
    status: 503,
    body: '{"error":{"message":"Model llama is not loaded","type":"model_not_loaded","code":"model_not_loaded"}}',
    headers: { "retry-after-ms": "0" },
  },
};

let server: CannedServer;
beforeAll(async () => {
  server = await cannedServer((path) => ANSWERS[path.split("/")[1] ?? ""]);
});
afterAll(() => server.close());

const chat = { model: "llama", messages: [{ role: "user" as const, content: "hi" }] };
const viaOpenai = (answer: string, options: { timeout?: number; signal?: AbortSignal } = {}) =>
  thrown(() =>
    new OpenAI({
      baseURL: `${server.url}/${answer}/v1`,
      apiKey: "sk-test",
      maxRetries: 0,
      timeout: options.timeout,
    }).chat.completions.create(chat, { signal: options.signal }),
  );
const viaAiSdk = (answer: string, maxRetries = 0) =>
  thrown(() =>
    generateText({
      model: createOpenAICompatible({ name: "teale", baseURL: `${server.url}/${answer}/v1`, apiKey: "k" })("llama"),
      prompt: "hi",
      maxRetries,
    }),
  );

describe.each([
  ["openai", viaOpenai],
  ["the AI SDK", viaAiSdk],
] as const)("parseError on %s's errors", (_, call) => {
  it("the real 401 is unauthorized with the server's message", async () => {
    const thrownError = await call("401");
    const err = parseError(thrownError);
    expect(err).toMatchObject({ code: "unauthorized", known: true, status: 401, message: "Invalid API key" });
    // A cause is kept as a masked copy, never the live object (issue 26).
    expect(err.cause).not.toBe(thrownError);
    expect(err.cause).toMatchObject({ name: (thrownError as Error).name, message: (thrownError as Error).message });
  });

  it("the broken-JSON 401 is read by its status, never as MALFORMED, and echoes no key", async () => {
    const err = parseError(await call("broken401"));
    expect(err).toMatchObject({ code: "unauthorized", known: true, status: 401, retryable: "no" });
    expect(JSON.stringify(err)).not.toContain("sk-live-4f9a2c7e81b3");
  });

  it("a `Model <id> is not loaded` 400 is model_not_loaded: load the model, not fix the request", async () => {
    const err = parseError(await call("400"));
    expect(err).toMatchObject({
      code: "model_not_loaded",
      known: true,
      status: 400,
      retryable: "maybe",
      action: "reset",
      message: "Model llama is not loaded",
    });
    expect(JSON.stringify(err.toWire())).toBe(ANSWERS["400"]?.body);
  });

  it("keeps a 503's Retry-After and classifies the undocumented type by status", async () => {
    const err = parseError(await call("503"));
    expect(err).toMatchObject({ code: "service_unavailable", known: false, status: 503, retryAfterMs: 5000 });
    expect(err.retryable).toBe("yes");
  });

  it("a 500 is internal_error, retryable", async () => {
    const err = parseError(await call("500"));
    expect(err).toMatchObject({ code: "internal_error", status: 500, retryable: "yes", message: "Inference failed" });
  });
});

describe("request failures and retries", () => {
  it("the AI SDK's RetryError is read through its last error", async () => {
    const thrownError = await viaAiSdk("fast503", 1);
    expect(thrownError).toMatchObject({ name: "AI_RetryError" });
    const err = parseError(thrownError);
    expect(err).toMatchObject({ code: "model_not_loaded", status: 503, retryAfterMs: 0, action: "reset" });
  });

  it("openai's lost connection is WIREFAULT_NETWORK, retryable, not 'Not a Teale error'", async () => {
    const closed = await cannedServer(() => undefined);
    await closed.close();
    const err = parseError(
      await thrown(() => new OpenAI({ baseURL: closed.url, apiKey: "k", maxRetries: 0 }).chat.completions.create(chat)),
    );
    expect(err).toMatchObject({ code: NETWORK, retryable: "yes", action: "retry" });
    expect(err.message).toBe("Connection error.");
  });

  it("openai's timeout is WIREFAULT_TIMEOUT, retryable; a user's abort is WIREFAULT_ABORTED, not", async () => {
    const hang = await cannedServer(() => undefined);
    try {
      const timedOut = parseError(
        await thrown(() =>
          new OpenAI({ baseURL: hang.url, apiKey: "k", maxRetries: 0, timeout: 50 }).chat.completions.create(chat),
        ),
      );
      expect(timedOut).toMatchObject({ code: TIMEOUT, retryable: "yes", action: "retry" });
      const controller = new AbortController();
      const pending = thrown(() =>
        new OpenAI({ baseURL: hang.url, apiKey: "k", maxRetries: 0 }).chat.completions.create(chat, {
          signal: controller.signal,
        }),
      );
      setTimeout(() => controller.abort(), 20);
      expect(parseError(await pending)).toMatchObject({ code: ABORTED, retryable: "no", action: "abort" });
    } finally {
      await hang.close();
    }
  });
});

describe("a real peer_not_found up to 16 MiB (the relay echoes any id, up to Bun's 16 MiB)", () => {
  const frame = (id: string) =>
    JSON.stringify({ error: { code: "peer_not_found", message: `Peer ${id} is not connected` } });
  // The biggest frame Bun lets through: 16 MiB in all, nearly all of it the id.
  const id = "n".repeat(16 * 1024 * 1024 - frame("").length - 8);
  const real = frame(id);
  it.each(dataForms(real))("a 16 MiB frame as %s is read as what it is", (_, data) => {
    expect(parseError(data)).toMatchObject({ code: "peer_not_found", known: true, action: "reset" });
    expect(parseError(data).peerNodeId?.length).toBe(id.length);
    expect(isErrorFrame(data)).toBe(true);
  });

  // Over Bun's limit the relay closes the socket (1009): no such frame is real.
  const over = frame("n".repeat(16 * 1024 * 1024));
  it.each(dataForms(over))("over 16 MiB, as %s, it is refused by size", (_, data) => {
    const { code, known, retryable, action } = parseError(data);
    expect({ code, known, retryable, action }).toEqual({
      code: "WIREFAULT_TOO_LARGE",
      known: false,
      retryable: "no",
      action: "abort",
    });
    expect(isErrorFrame(data)).toBe(false);
  });

  // 6 bytes a char escaped: the cheap pre-check must not pass an object whose JSON is over the cap.
  const escaped = frame("\u0001".repeat(2_900_000));
  it.each(dataForms(escaped))("escaped text over the cap as %s gets the same answer", (_, data) => {
    expect(parseError(data).code).toBe("WIREFAULT_TOO_LARGE");
  });
});
