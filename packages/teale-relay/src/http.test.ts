import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { cutOffResponse } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { MAX_BYTES } from "./catalog.js";
import { TealeRelayError } from "./error.js";
import { fromResponse } from "./protocol.js";

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

  it("refuses an oversize body under the cap, keeping the status", async () => {
    const big = new Response("x".repeat(MAX_BYTES + 1), { status: 500 });
    expect(await fromResponse(big)).toMatchObject({ code: TOO_LARGE, status: 500, known: false });
    const declared = new Response("{}", { status: 503, headers: { "content-length": String(MAX_BYTES * 10) } });
    expect((await fromResponse(declared)).code).toBe(TOO_LARGE);
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
    expect(error.cause).toBe(failure);
  });

  it("never rejects, even on values that are not responses", async () => {
    for (const value of [
      null,
      undefined,
      {},
      { status: "x" },
      {
        get status(): number {
          throw new Error("no");
        },
      },
    ]) {
      const error = await fromResponse(value as never);
      expect(error).toBeInstanceOf(TealeRelayError);
      expect(error.code).toBe(MALFORMED);
    }
  });
});

describe("a body cut off by the network", () => {
  it("is retried whatever the status said, keeping the status and the cause", async () => {
    const { response, reset } = cutOffResponse(200);
    const error = await fromResponse(response);
    expect(error).toMatchObject({ code: MALFORMED, status: 200, retryable: "yes", action: "retry", known: false });
    expect(error.cause).toBe(reset);
  });
});
