// isRetryable and readClientError on the errors the real client libraries
// throw, each produced by a real request to a loopback server.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { type CannedAnswer, type CannedServer, cannedServer, thrown } from "@wirefault/test-utils";
import { APICallError, generateText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRetryable } from "./classify.js";
import { readClientError } from "./client.js";

let server: CannedServer;
// The path says what to answer: /<status>/v1/... ; /hang/v1/... never answers.
beforeAll(async () => {
  server = await cannedServer((path): CannedAnswer | undefined => {
    const head = path.split("/")[1] ?? "";
    if (head === "hang") return undefined;
    if (head === "fast503")
      return { status: 503, body: '{"error":{"message":"busy"}}', headers: { "retry-after-ms": "0" } };
    const status = Number(head);
    return {
      status,
      body: JSON.stringify({ error: { message: `status ${status}`, type: "server_error" } }),
      headers: status === 429 || status === 503 ? { "retry-after": "7" } : {},
    };
  });
});
afterAll(() => server.close());

const openai = (prefix: string, options: { timeout?: number } = {}) =>
  new OpenAI({ baseURL: `${server.url}/${prefix}/v1`, apiKey: "sk-test-key", maxRetries: 0, ...options });
const chat = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
const openaiError = (prefix: string, signal?: AbortSignal, timeout?: number) =>
  thrown(() => openai(prefix, { timeout }).chat.completions.create(chat, { signal }));

const aiSdkError = (prefix: string, maxRetries = 0, abortSignal?: AbortSignal) =>
  thrown(() =>
    generateText({
      model: createOpenAICompatible({ name: "teale", baseURL: `${server.url}/${prefix}/v1`, apiKey: "k" })("m"),
      prompt: "hi",
      maxRetries,
      abortSignal,
    }),
  );

const STATUSES: readonly [number, boolean][] = [
  [400, false],
  [401, false],
  [403, false],
  [404, false],
  [408, true],
  [409, true],
  [422, false],
  [429, true],
  [500, true],
  [502, true],
  [503, true],
];

describe("isRetryable on openai-node's errors", () => {
  it.each(STATUSES)("status %i is retryable: %s", async (status, expected) => {
    const error = await openaiError(String(status));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(isRetryable(error)).toBe(expected);
  });

  it("a lost connection (APIConnectionError) is retried", async () => {
    const closed = await cannedServer(() => ({ status: 200 }));
    await closed.close();
    const error = await thrown(() =>
      new OpenAI({ baseURL: closed.url, apiKey: "k", maxRetries: 0 }).chat.completions.create(chat),
    );
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(isRetryable(error)).toBe(true);
    expect(readClientError(error)?.kind).toBe("connection");
  });

  it("a timeout (APIConnectionTimeoutError) is retried", async () => {
    const error = await openaiError("hang", undefined, 50);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(isRetryable(error)).toBe(true);
    expect(readClientError(error)?.kind).toBe("timeout");
  });

  it("a user's abort (APIUserAbortError) is never retried", async () => {
    const controller = new AbortController();
    const pending = openaiError("hang", controller.signal);
    setTimeout(() => controller.abort(), 20);
    const error = await pending;
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(isRetryable(error)).toBe(false);
    expect(readClientError(error)?.kind).toBe("abort");
  });

  it("reads status, body and Retry-After from the Headers object", async () => {
    const failure = readClientError(await openaiError("503"));
    expect(failure).toMatchObject({ kind: "http", status: 503, retryAfterMs: 7000 });
    expect(failure?.body).toEqual({ error: { message: "status 503", type: "server_error" } });
  });
});

describe("isRetryable on the AI SDK's errors", () => {
  it.each(STATUSES)("APICallError with status %i is retryable: %s", async (status, expected) => {
    const error = await aiSdkError(String(status));
    expect(APICallError.isInstance(error)).toBe(true);
    expect(isRetryable(error)).toBe(expected);
  });

  it("honours the error's own isRetryable over its status", () => {
    const error = new APICallError({
      message: "no",
      url: "http://x",
      requestBodyValues: {},
      statusCode: 503,
      isRetryable: false,
    });
    expect(isRetryable(error)).toBe(false);
  });

  it("reads a RetryError through its last error, and Retry-After from the plain record", async () => {
    // retry-after-ms 0 makes the SDK's own retry immediate.
    const error = await aiSdkError("fast503", 1);
    expect(error).toMatchObject({ name: "AI_RetryError", reason: "maxRetriesExceeded" });
    expect(isRetryable(error)).toBe(true);
    expect(readClientError(error)).toMatchObject({ kind: "http", status: 503, retryAfterMs: 0, retryable: true });
    expect(readClientError(await aiSdkError("503"))).toMatchObject({ status: 503, retryAfterMs: 7000 });
  });

  it("a user's abort is never retried", async () => {
    const controller = new AbortController();
    const pending = aiSdkError("hang", 0, controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect(isRetryable(await pending)).toBe(false);
  });
});
