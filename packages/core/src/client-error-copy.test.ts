// What a cause becomes: real errors from openai-node, the AI SDK and fetch,
// thrown against a loopback server that echoes the caller's Authorization
// header, sets cookies and names a request id.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { thrown } from "@wirefault/test-utils";
import { APICallError, generateText } from "ai";
import OpenAI, { APIError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientErrorCopy, isClientError, safeCause } from "./client-error-copy.js";

const KEY = "sk-proj-Qx7vR2mN8kL4pW9zT3yB6cD1fG5hJ0aS";
const COOKIE = "sess_9f8e7d6c5b4a39281706";
const QUERY_KEY = "qk_5a4b3c2d1e0f9a8b7c6d";
const PROMPT = "my private prompt text 31337";

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(401, {
        "content-type": "application/json",
        "set-cookie": `session=${COOKIE}; Path=/; HttpOnly`,
        "x-request-id": "req_abc123",
        "retry-after": "3",
      });
      res.end(
        JSON.stringify({
          error: {
            message: `Invalid header: Authorization: ${req.headers.authorization}`,
            type: "auth",
            code: "invalid_api_key",
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const openaiError = () =>
  thrown(() =>
    new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 }).chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: PROMPT }],
    }),
  );
const aiSdkError = () =>
  thrown(() =>
    generateText({
      model: createOpenAICompatible({
        name: "x",
        baseURL: `${url}/v1`,
        apiKey: KEY,
        queryParams: { api_key: QUERY_KEY },
      })("m"),
      prompt: PROMPT,
      maxRetries: 0,
    }),
  );

function printed(value: unknown): string {
  return [
    String(value),
    (value as Error).stack,
    inspect(value, { depth: 10, showHidden: true }),
    JSON.stringify(value),
  ].join("\n");
}

describe("safeCause on a client library's error", () => {
  it("openai-node: name, masked message, status, code, request id; no key, cookie or prompt", async () => {
    const error = await openaiError();
    expect(error).toBeInstanceOf(APIError);
    expect(printed(error)).toContain(KEY.slice(10)); // the live error shows it
    const copy = safeCause(error) as ClientErrorCopy;
    expect(copy).toBeInstanceOf(ClientErrorCopy);
    expect(copy).not.toBe(error);
    expect(copy.status).toBe(401);
    expect(copy.code).toBe("invalid_api_key");
    expect(copy.requestId).toBe("req_abc123");
    expect(copy.headers).toEqual({ "retry-after": "3", "x-request-id": "req_abc123" });
    expect(copy.message).toContain("Authorization: Bearer [redacted]");
    const text = printed(copy);
    for (const secret of [KEY.slice(10), COOKIE, PROMPT]) expect(text).not.toContain(secret);
  });

  it("the AI SDK: no request body, no headers beyond the allowlist, no query key in the URL", async () => {
    const error = await aiSdkError();
    expect(APICallError.isInstance(error)).toBe(true);
    const live = printed(error);
    expect(live).toContain(PROMPT);
    expect(live).toContain(QUERY_KEY);
    const copy = safeCause(error) as ClientErrorCopy;
    expect(copy.status).toBe(401);
    expect(copy.requestId).toBe("req_abc123");
    expect(copy.isRetryable).toBe(false);
    expect(copy.url).toContain("api_key=[redacted]");
    const text = printed(copy);
    for (const secret of [KEY.slice(10), COOKIE, PROMPT, QUERY_KEY]) expect(text).not.toContain(secret);
  });

  it("fetch: the cause chain is copied, each link masked", async () => {
    const error = await thrown(() => fetch(`http://user:p4ssw0rd-xyz@127.0.0.1:1/?token=${QUERY_KEY}`));
    const copy = safeCause(error) as Error;
    expect(copy).not.toBe(error);
    expect(copy).toBeInstanceOf(TypeError);
    const text = printed(copy);
    expect(text).not.toContain("p4ssw0rd-xyz");
    expect(text).not.toContain(QUERY_KEY);
  });

  it("a refused connection keeps its code down the chain", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await thrown(() => fetch(`http://127.0.0.1:${port}/`));
    const copy = safeCause(error) as Error & { cause: { code?: string } };
    expect(copy.cause?.code).toBe("ECONNREFUSED");
  });
});

describe("safeCause on anything else", () => {
  it("copies an error with its prototype, masking fields, Headers, Maps, AggregateError.errors and symbols", () => {
    const inner = Object.assign(new Error("token=abc123def"), {
      config: { headers: new Headers({ authorization: "Basic dXNlcjpwYXNz" }) },
      map: new Map([["password", "hunter2!"]]),
      [Symbol("apiKey")]: "zzz-symbol-secret",
    });
    const aggregate = new AggregateError([inner], "two failed");
    const copy = safeCause(new RangeError("outer", { cause: aggregate })) as RangeError & { cause: AggregateError };
    expect(copy).toBeInstanceOf(RangeError);
    expect(copy.cause).toBeInstanceOf(AggregateError);
    const text = printed(copy);
    for (const secret of ["abc123def", "dXNlcjpwYXNz", "hunter2!", "zzz-symbol-secret"])
      expect(text).not.toContain(secret);
    expect(text).toContain("token=[redacted]");
  });

  it("escapes a hostile message, keeps wirefault's own errors, never throws on a revoked proxy", () => {
    const copy = safeCause(new Error("a\x1b]0;evil\x07\u202eb")) as Error;
    expect(copy.message).toBe("a\\x1b]0;evil\\x07\\u202eb");
    const { proxy, revoke } = Proxy.revocable(new Error("x"), {});
    revoke();
    expect(() => safeCause(proxy)).not.toThrow();
    expect(safeCause("Bearer abcdefgh12345")).toBe("Bearer [redacted]");
  });

  it("isClientError reads by shape", async () => {
    expect(isClientError(await openaiError())).toBe(true);
    expect(isClientError(new Error("x"))).toBe(false);
  });
});

describe("an error held in another error's field", () => {
  it("is copied like a cause", () => {
    const inner = Object.assign(new Error("inner"), { password: "field-secret-99" });
    const outer = Object.assign(new Error("outer"), { original: inner });
    const copy = safeCause(outer) as Error & { original: Error };
    expect(copy.original).not.toBe(inner);
    expect(inspect(copy, { depth: 5 })).not.toContain("field-secret-99");
  });
});
