// The hosted gateway (FIELD-NOTES.md, third pass): its 13 codes on the `api`
// surface, and its errors in the middle of a stream, each read through every
// path a user has: text, bytes, decoded, fromResponse, openai-node and the AI SDK.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { ClientErrorCopy, isRetryable, retry } from "@wirefault/core";
import { type CannedServer, cannedServer, recordingClock, thrown } from "@wirefault/test-utils";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TealeRelayError } from "./error.js";
import { fromResponse, parseError } from "./protocol.js";

const body = (code: string, message: string, extra = "") =>
  `{"error":{"message":${JSON.stringify(message)},"type":"${code}","code":"${code}"${extra}}}`;

// code, status, message, retryable, action: the gateway's bodies as its error.rs writes them.
const GATEWAY = [
  ["unauthorized", 401, "invalid api key", "no", "user-action"],
  ["invalid_request", 400, "messages must not be empty", "no", "fix-request"],
  ["not_found", 404, "not found", "no", "fix-request"],
  ["forbidden", 403, "key may not use this model", "no", "user-action"],
  ["budget_exhausted", 402, "share-key budget exhausted", "no", "user-action"],
  ["insufficient_credits", 402, "insufficient credits: balance 5, need 12", "no", "user-action"],
  ["model_not_found", 404, "unknown model llama-9", "no", "fix-request"],
  ["model_unavailable", 503, "no eligible device for model llama", "yes", "retry"],
  ["upstream_error", 502, "upstream returned 500", "yes", "retry"],
  ["upstream_failed", 502, "all upstreams failed: device-1: reset", "yes", "retry"],
  ["timeout", 504, "timeout waiting for upstream", "yes", "retry"],
  ["relay_unavailable", 503, "relay unavailable", "yes", "retry"],
  ["internal_error", 500, "internal error", "yes", "retry"],
] as const;

const wireOf = (code: string, message: string) =>
  code === "insufficient_credits" ? body(code, message, ',"balance":5,"required":12') : body(code, message);
const exposed = (code: string) => (code === "insufficient_credits" ? { balance: 5, required: 12 } : {});

let server: CannedServer;
beforeAll(async () => {
  server = await cannedServer((path) => {
    const [, kind, code] = path.split("/");
    if (kind === "http") {
      const row = GATEWAY.find((r) => r[0] === code);
      // The gateway never sends Retry-After.
      return row && { status: row[1], body: wireOf(row[0], row[2]) };
    }
    if (kind === "stream") return { status: 200, body: STREAMS[code ?? ""] ?? "", headers: SSE };
    return undefined;
  });
});
afterAll(() => server.close());

const chat = { model: "llama", messages: [{ role: "user" as const, content: "hi" }] };
const openai = (path: string) => new OpenAI({ baseURL: `${server.url}/${path}/v1`, apiKey: "sk-test", maxRetries: 0 });
const aiModel = (path: string) =>
  createOpenAICompatible({ name: "teale", baseURL: `${server.url}/${path}/v1`, apiKey: "k" })("llama");

describe.each(GATEWAY)("gateway %s (%i)", (code, status, message, retryable, action) => {
  const wire = wireOf(code, message);
  const expected = { code, known: true, status, retryable, action, surface: "api", message, ...exposed(code) };
  const check = (err: TealeRelayError) => {
    expect(err).toMatchObject(expected);
    expect(err.midStream).toBeUndefined();
    expect(JSON.stringify(err.toWire())).toBe(wire);
  };

  it("as text, bytes and decoded", () => {
    check(parseError(wire, { status }));
    check(parseError(new TextEncoder().encode(wire), { status }));
    check(parseError(JSON.parse(wire), { status }));
  });

  it("through fromResponse", async () => {
    check(await fromResponse(new Response(wire, { status })));
  });

  it("through openai-node's error", async () => {
    const err = parseError(await thrown(() => openai(`http/${code}`).chat.completions.create(chat)));
    check(err);
  });

  it("through the AI SDK's error", async () => {
    const err = parseError(
      await thrown(() => generateText({ model: aiModel(`http/${code}`), prompt: "hi", maxRetries: 0 })),
    );
    check(err);
  });
});

describe("insufficient_credits", () => {
  it("exposes balance and required from the body, or else from the message", () => {
    const top =
      '{"error":{"message":"insufficient credits: balance 0.5, need 2","type":"insufficient_credits","code":"insufficient_credits"},"balance":0.5,"required":2}';
    expect(parseError(top, { status: 402 })).toMatchObject({ balance: 0.5, required: 2 });
    const said = body("insufficient_credits", "insufficient credits: balance 3, need 40");
    expect(parseError(said, { status: 402 })).toMatchObject({ balance: 3, required: 40 });
    const neither = body("insufficient_credits", "insufficient credits");
    const err = parseError(neither, { status: 402 });
    expect([err.balance, err.required]).toEqual([undefined, undefined]);
    expect(err.toJSON()).not.toHaveProperty("balance");
  });

  it("shows both in toJSON(), for a log line", () => {
    expect(
      parseError(wireOf("insufficient_credits", "insufficient credits: balance 5, need 12"), { status: 402 }).toJSON(),
    ).toMatchObject({
      balance: 5,
      required: 12,
    });
  });
});

// What the gateway streams: tokens, then one error event.
const SSE = { "content-type": "text/event-stream" };
const TOKEN =
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}\n\n';
const OPENAI_ERROR =
  '{"error":{"message":"all upstreams failed: device-1: reset","type":"upstream_failed","code":"upstream_failed"}}';
const anthropicError = (type: string, message: string) =>
  `{"type":"error","error":{"type":"${type}","message":"${message}"}}`;
const STREAMS: Record<string, string> = {
  openai: `${TOKEN}data: ${OPENAI_ERROR}\n\n`,
  anthropic: `${TOKEN}event: error\ndata: ${anthropicError("overloaded_error", "no eligible device for model llama")}\n\n`,
};

// Anthropic-style event types, as the gateway's messages.rs maps its codes.
const ANTHROPIC = [
  ["invalid_request_error", "messages must not be empty", "invalid_request", "no", "fix-request"],
  ["authentication_error", "invalid api key", "unauthorized", "no", "user-action"],
  ["billing_error", "share-key budget exhausted", "budget_exhausted", "no", "user-action"],
  ["billing_error", "insufficient credits: balance 5, need 12", "insufficient_credits", "no", "user-action"],
  ["not_found_error", "unknown model llama-9", "not_found", "no", "fix-request"],
  ["overloaded_error", "no eligible device for model llama", "model_unavailable", "yes", "retry"],
  ["api_error", "internal error", "internal_error", "yes", "retry"],
] as const;

describe('an OpenAI-style error event in a stream: data: {"error":…}', () => {
  const event = `data: ${OPENAI_ERROR}\n\n`;
  const expected = { code: "upstream_failed", known: true, retryable: "yes", action: "retry", midStream: true };
  const check = (err: TealeRelayError) => {
    expect(err).toMatchObject(expected);
    expect(JSON.stringify(err.toWire())).toBe(OPENAI_ERROR);
  };

  it("as text and bytes of the event, and of the chunk it came in", () => {
    for (const text of [event, STREAMS.openai as string, `${event.trimEnd()}\r\n\r\n`])
      for (const input of [text, new TextEncoder().encode(text), Buffer.from(text)]) check(parseError(input));
  });

  it("decoded, as an SSE parser hands over the event", () => {
    check(parseError({ event: undefined, data: OPENAI_ERROR }));
    check(parseError({ data: OPENAI_ERROR, id: "7" }));
  });

  it("through fromResponse of the streamed 200", async () => {
    const err = await fromResponse(new Response(STREAMS.openai, { status: 200, headers: SSE }));
    expect(err).toMatchObject({ ...expected, status: 200 });
  });

  it("through openai-node's mid-stream APIError (no status, the event's error as its body)", async () => {
    const stream = await openai("stream/openai").chat.completions.create({ ...chat, stream: true });
    const tokens: string[] = [];
    const caught = await thrown(async () => {
      for await (const chunk of stream) tokens.push(chunk.choices[0]?.delta.content ?? "");
    });
    expect(tokens).toEqual(["Hel"]);
    expect(caught).toMatchObject({ status: undefined });
    const err = parseError(caught);
    check(err);
    // The client's error is kept as a masked copy, never the live object.
    expect(err.cause).not.toBe(caught);
    expect(err.cause).toBeInstanceOf(ClientErrorCopy);
    expect(err.cause).toMatchObject({ name: (caught as Error).name });
  });

  it("through the AI SDK's stream error part", async () => {
    const parts: unknown[] = [];
    const result = streamText({ model: aiModel("stream/openai"), prompt: "hi", onError: () => {} });
    for await (const part of result.fullStream) if (part.type === "error") parts.push(part.error);
    expect(parts).toHaveLength(1);
    const err = parseError(parts[0]);
    expect(err).toMatchObject(expected);
    expect(err.message).toBe("all upstreams failed: device-1: reset");
  });

  it("a context can say so for any payload: parseError(body, { midStream: true })", () => {
    expect(parseError(JSON.parse(OPENAI_ERROR), { midStream: true })).toMatchObject(expected);
    expect(parseError(JSON.parse(OPENAI_ERROR)).midStream).toBeUndefined();
  });
});

describe('an Anthropic-style error event: event: error, then data: {"type":"error",…}', () => {
  it.each(ANTHROPIC)("%s (%s) reads as %s: %s, %s", (type, message, code, retryable, action) => {
    const data = anthropicError(type, message);
    const expected = { code, known: true, retryable, action, midStream: true, message };
    for (const input of [
      `event: error\ndata: ${data}\n\n`,
      new TextEncoder().encode(`event: error\ndata: ${data}\n\n`),
      { event: "error", data },
      JSON.parse(data),
    ]) {
      const err = parseError(input);
      expect(err).toMatchObject(expected);
      expect(JSON.stringify(err.toWire())).toBe(data);
    }
  });

  it("overloaded_error is retryable; authentication_error is a person's to fix", () => {
    expect(isRetryable(parseError(`event: error\ndata: ${anthropicError("overloaded_error", "m")}\n\n`))).toBe(true);
    expect(isRetryable(parseError(`event: error\ndata: ${anthropicError("authentication_error", "m")}\n\n`))).toBe(
      false,
    );
  });

  it("the same body over HTTP, with its status, did not arrive mid-stream", async () => {
    const data = anthropicError("overloaded_error", "no eligible device for model llama");
    const err = await fromResponse(new Response(data, { status: 503 }));
    expect(err).toMatchObject({ code: "model_unavailable", status: 503, retryable: "yes" });
    expect(err.midStream).toBeUndefined();
  });

  it("through fromResponse of the streamed 200", async () => {
    const err = await fromResponse(new Response(STREAMS.anthropic, { status: 200, headers: SSE }));
    expect(err).toMatchObject({ code: "model_unavailable", midStream: true, retryable: "yes" });
  });

  it("through openai-node, which throws the event as a status-less APIError", async () => {
    const stream = await openai("stream/anthropic").chat.completions.create({ ...chat, stream: true });
    const caught = await thrown(async () => {
      for await (const _ of stream);
    });
    expect(parseError(caught)).toMatchObject({ code: "model_unavailable", midStream: true, retryable: "yes" });
  });
});

describe("retry() and a mid-stream error", () => {
  const midStream = () => parseError(`data: ${OPENAI_ERROR}\n\n`);

  it("does not send the prompt again after output was delivered", async () => {
    let calls = 0;
    const err = await retry(
      () => {
        calls++;
        throw midStream();
      },
      { clock: recordingClock() },
    ).catch((e) => e);
    expect(calls).toBe(1);
    expect(err).toMatchObject({ code: "upstream_failed", midStream: true, attempts: 1 });
  });

  it("retries it when the caller says the call is idempotent", async () => {
    let calls = 0;
    const value = await retry(
      () => {
        if (++calls < 3) throw midStream();
        return "ok";
      },
      { idempotent: true, clock: recordingClock() },
    );
    expect([value, calls]).toEqual(["ok", 3]);
  });

  it("retries the same error before the first token, as the README shows", async () => {
    let calls = 0;
    const value = await retry(
      () => {
        if (++calls < 2) throw parseError(OPENAI_ERROR, { status: 502 });
        return "ok";
      },
      { clock: recordingClock() },
    );
    expect([value, calls]).toEqual(["ok", 2]);
  });
});

describe("SSE text that is not an error", () => {
  it("a token event with no error is not a Teale error", () => {
    expect(parseError(TOKEN)).toMatchObject({ code: "WIREFAULT_MALFORMED", known: false });
  });

  it("prose that merely starts like a field is not read as an event", () => {
    expect(parseError("database: down")).toMatchObject({ code: "WIREFAULT_MALFORMED" });
  });
});
