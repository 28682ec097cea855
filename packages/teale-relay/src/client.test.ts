// parseError on what openai-node and the AI SDK throw when they call the local
// API, each error produced by a real request to a loopback server that sends
// the real app's bytes.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { MALFORMED } from "@wirefault/core";
import { type CannedServer, cannedServer, thrown } from "@wirefault/test-utils";
import { generateText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseError } from "./protocol.js";

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
    expect(err.cause).toBe(thrownError);
  });

  it("the broken-JSON 401 is read by its status, never as MALFORMED, and echoes no key", async () => {
    const err = parseError(await call("broken401"));
    expect(err).toMatchObject({ code: "unauthorized", known: true, status: 401, retryable: "no" });
    expect(JSON.stringify(err)).not.toContain("sk-live-4f9a2c7e81b3");
  });

  it("a model error is a 400 invalid_request with its message", async () => {
    const err = parseError(await call("400"));
    expect(err).toMatchObject({ code: "invalid_request", status: 400, message: "Model llama is not loaded" });
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

  it("openai's lost connection is a retryable local failure, not 'Not a Teale error'", async () => {
    const closed = await cannedServer(() => undefined);
    await closed.close();
    const err = parseError(
      await thrown(() => new OpenAI({ baseURL: closed.url, apiKey: "k", maxRetries: 0 }).chat.completions.create(chat)),
    );
    expect(err).toMatchObject({ code: MALFORMED, retryable: "yes", action: "retry" });
    expect(err.message).toBe("Connection error.");
  });

  it("openai's timeout is retryable; a user's abort is not", async () => {
    const hang = await cannedServer(() => undefined);
    try {
      const timedOut = parseError(
        await thrown(() =>
          new OpenAI({ baseURL: hang.url, apiKey: "k", maxRetries: 0, timeout: 50 }).chat.completions.create(chat),
        ),
      );
      expect(timedOut).toMatchObject({ retryable: "yes", action: "retry" });
      const controller = new AbortController();
      const pending = thrown(() =>
        new OpenAI({ baseURL: hang.url, apiKey: "k", maxRetries: 0 }).chat.completions.create(chat, {
          signal: controller.signal,
        }),
      );
      setTimeout(() => controller.abort(), 20);
      expect(parseError(await pending)).toMatchObject({ retryable: "no", action: "abort" });
    } finally {
      await hang.close();
    }
  });
});
