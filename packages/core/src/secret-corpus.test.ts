// The masking corpus on every print path, for an error built from each place a
// secret arrives: a wire message, an HTTP body, a nested field, validation
// details, a real openai-node error, a real AI SDK error and a real fetch
// failure's cause chain. Every secret is absent from every path; every
// ordinary text prints unchanged.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { cannedServer, thrown } from "@wirefault/test-utils";
import { generateText } from "ai";
import OpenAI from "openai";
import { err as pinoErr, errWithCause as pinoErrWithCause } from "pino-std-serializers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineCatalog } from "./catalog.js";
import { isRetryable } from "./classify.js";
import { echoWire } from "./echo.js";
import { MALFORMED, ProtocolError } from "./error.js";
import { field } from "./field.js";
import { defineProtocol, overHttp } from "./protocol.js";
import { ORDINARY_TEXTS, SECRET_CASES } from "./secret-corpus.js";

class CorpusError extends ProtocolError {
  static {
    this.prototype.name = "CorpusError";
  }
  static readonly details = ["peerNodeId", "details", "meta"];
  declare readonly peerNodeId?: string;
  declare readonly details?: unknown;
}

// biome-ignore format: one row per code
const catalog = defineCatalog([
  { surface: "api", code: "bad_request", name: "BAD_REQUEST", status: 400, retryable: "no", action: "fix-request", summary: "The request is wrong." },
  { surface: "api", code: "validation_error", name: "VALIDATION_ERROR", status: 400, retryable: "no", action: "fix-request", summary: "The body failed validation." },
] as const);

const corpus = defineProtocol({
  name: "corpus",
  title: "Corpus",
  maxBytes: 1 << 20,
  catalog,
  http: overHttp("api"),
  readers: [
    (value) => {
      const error = field(value, "error");
      const code = field(error, "code");
      if (typeof code !== "string") return undefined;
      const details: Record<string, unknown> = {};
      for (const key of ["peerNodeId", "details", "meta"])
        if (field(error, key) !== undefined) details[key] = field(error, key);
      return { surface: "api", code, message: field(error, "message") as string | undefined, details };
    },
  ],
  errorClass: () => CorpusError,
});

/** Every way an error is printed or logged. */
function printed(err: ProtocolError): Record<string, string> {
  return {
    message: err.message,
    string: String(err),
    stack: String(err.stack),
    inspect: inspect(err, { depth: 10 }),
    toJSON: JSON.stringify(err),
    toWire: JSON.stringify(echoWire(err.raw) ?? null),
    pinoErr: JSON.stringify(pinoErr(err)),
    pinoErrWithCause: JSON.stringify(pinoErrWithCause(err)),
  };
}

let server: Server;
let url: string;
// The path's last segment is the index of the text the server answers with, in its message, echoed Authorization beside it.
const TEXTS = [...SECRET_CASES.map((c) => c.text), ...ORDINARY_TEXTS];
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const index = Number(/\/t(\d+)\//.exec(req.url ?? "")?.[1]);
      res.writeHead(400, { "content-type": "application/json", "set-cookie": "sid=cookie-secret-77; Path=/" });
      res.end(JSON.stringify({ error: { message: TEXTS[index], type: "invalid_request", code: "bad_request" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const openaiError = (index: number) =>
  thrown(() =>
    new OpenAI({
      baseURL: `${url}/t${index}/v1`,
      apiKey: "sk-corpus-not-a-key-0001",
      maxRetries: 0,
    }).chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "prompt" }],
    }),
  );
const aiSdkError = (index: number) =>
  thrown(() =>
    generateText({
      model: createOpenAICompatible({ name: "c", baseURL: `${url}/t${index}/v1`, apiKey: "k" })("m"),
      prompt: "prompt",
      maxRetries: 0,
    }),
  );
let closedPort = 0;
beforeAll(async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
/** A real fetch failure (connection refused), its inner cause carrying the text as a proxy's message would. */
async function fetchFailure(text: string): Promise<unknown> {
  const error = (await thrown(() => fetch(`http://127.0.0.1:${closedPort}/`))) as Error & { cause: Error };
  error.cause.message = `${error.cause.message} via ${text}`;
  return error;
}

/** Each place a secret arrives, as the error built from it. */
const PLACES: Record<string, (text: string, index: number) => Promise<ProtocolError>> = {
  "wire message": async (text) => corpus.parseError({ error: { code: "bad_request", message: text } }),
  "HTTP body": async (text) =>
    corpus.fromResponse(
      new Response(JSON.stringify({ error: { code: "bad_request", message: text } }), { status: 400 }),
    ),
  "HTTP body, not JSON": async (text) => corpus.fromResponse(new Response(text, { status: 401 })),
  "nested field": async (text) =>
    corpus.parseError({ error: { code: "bad_request", message: "m", peerNodeId: text, meta: { a: { b: [text] } } } }),
  "validation details": async (text) =>
    corpus.parseError({
      error: { code: "validation_error", message: "invalid body", details: [{ path: ["x"], message: text }] },
    }),
  "openai error": async (_text, index) => corpus.parseError(await openaiError(index)),
  "AI SDK error": async (_text, index) => corpus.parseError(await aiSdkError(index)),
  "fetch failure cause chain": async (text) =>
    corpus.localError(MALFORMED, "request failed", undefined, await fetchFailure(text)),
};

describe("the corpus on every print path", () => {
  it("counts at least 80 secret forms and 30 ordinary texts", () => {
    expect(SECRET_CASES.length).toBeGreaterThanOrEqual(80);
    expect(ORDINARY_TEXTS.length).toBeGreaterThanOrEqual(30);
  });

  for (const [place, build] of Object.entries(PLACES)) {
    it(`${place}: no secret on any path`, async () => {
      const leaks: string[] = [];
      for (const [index, c] of SECRET_CASES.entries()) {
        const err = await build(c.text, index);
        for (const [path, text] of Object.entries(printed(err)))
          if (text.includes(c.secret)) leaks.push(`${c.name} via ${path}`);
      }
      expect(leaks).toEqual([]);
    });

    it(`${place}: every ordinary text prints unchanged on every path that shows it`, async () => {
      const lost: string[] = [];
      for (const [i, text] of ORDINARY_TEXTS.entries()) {
        const err = await build(text, SECRET_CASES.length + i);
        const paths = printed(err);
        // JSON paths show the text JSON-escaped; the others as it is.
        const json = JSON.stringify(text).slice(1, -1);
        for (const path of ["inspect", "toJSON", "pinoErrWithCause"] as const)
          if (!paths[path]?.includes(path === "inspect" ? text : json)) lost.push(`${text} via ${path}`);
      }
      // A body that is not JSON is not shown at all (V8's SyntaxError quotes it): nothing to keep there.
      expect(place === "HTTP body, not JSON" ? [] : lost).toEqual([]);
    });
  }
});

describe("the keep list prints unchanged", () => {
  it("a telemetry signature, a deviceId and an ownerPubkey, on every path", () => {
    const kept = { signature: "ab".repeat(64), deviceId: "dev-4f2a9c", ownerPubkey: "cd".repeat(32) };
    const err = corpus.parseError({ error: { code: "bad_request", message: "m", meta: kept } });
    expect(echoWire(err.raw)).toEqual({ error: { code: "bad_request", message: "m", meta: kept } });
    for (const [path, text] of Object.entries(printed(err)))
      if (path !== "message" && path !== "string" && path !== "stack")
        for (const value of Object.values(kept)) expect(text, path).toContain(value);
  });
});

describe("a client library's error, printed", () => {
  it("console.log shows status, code, masked message and request id; no header, body or query secret", async () => {
    const error = await openaiError(0);
    const err = corpus.parseError(error);
    const shown = inspect(err, { depth: 10 });
    expect(err.status).toBe(400);
    expect(err.code).toBe("bad_request");
    expect(shown).toContain("status: 400");
    expect(shown).not.toContain("cookie-secret-77");
    expect(shown).not.toContain("sk-corpus-not-a-key-0001");
    expect(shown).not.toContain("prompt");
    expect(err.cause).not.toBe(error);
  });
});

describe("an HTTP error keeps its classification with the masked cause", () => {
  it("code, status, retryAfterMs and isRetryable, for openai-node and the AI SDK", async () => {
    const limited = await cannedServer(() => ({
      status: 429,
      body: JSON.stringify({ error: { code: "bad_request", message: "slow down", type: "rate_limit" } }),
      headers: { "retry-after": "7" },
    }));
    try {
      const fromOpenai = corpus.parseError(
        await thrown(() =>
          new OpenAI({ baseURL: `${limited.url}/v1`, apiKey: "k", maxRetries: 0 }).chat.completions.create({
            model: "m",
            messages: [{ role: "user", content: "x" }],
          }),
        ),
      );
      const fromAiSdk = corpus.parseError(
        await thrown(() =>
          generateText({
            model: createOpenAICompatible({ name: "c", baseURL: `${limited.url}/v1`, apiKey: "k" })("m"),
            prompt: "x",
            maxRetries: 0,
          }),
        ),
      );
      for (const err of [fromOpenai, fromAiSdk]) {
        expect([err.code, err.status, err.retryAfterMs]).toEqual(["bad_request", 429, 7000]);
        expect(isRetryable(err)).toBe(false);
        expect((err.cause as { status?: number }).status).toBe(429);
      }
    } finally {
      await limited.close();
    }
  });
});
