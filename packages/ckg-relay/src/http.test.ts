import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { cutOffResponse } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { CkgRelayError } from "./error.js";
import { fromResponse } from "./http.js";
import { MAX_ERROR_BYTES } from "./parse.js";

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("fromResponse", () => {
  it("reads a JSON body, with the response's status", async () => {
    const error = await fromResponse(json({ code: "AGENT_ERROR", message: "agent crashed", event_id: "evt_5" }, 500));
    expect(error).toBeInstanceOf(CkgRelayError);
    expect(error).toMatchObject({
      code: "AGENT_ERROR",
      message: "agent crashed",
      eventId: "evt_5",
      status: 500,
      retryable: "maybe",
      known: true,
    });
  });

  it("reads the WebSocket shapes over HTTP too", async () => {
    const error = await fromResponse(
      json({ type: "error", event_id: "e", error: "too big", code: "PAYLOAD_TOO_LARGE" }, 413),
    );
    expect(error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: "too big", status: 413, retryable: "no" });
  });

  it("a 503 with no body is AGENT_OFFLINE", async () => {
    const error = await fromResponse(new Response(null, { status: 503 }));
    expect(error).toMatchObject({
      code: "AGENT_OFFLINE",
      codeName: "AGENT_OFFLINE",
      status: 503,
      retryable: "yes",
      action: "retry",
      known: true,
    });
    expect(error.policy?.maxAttempts).toBe(4);
  });

  it.each([
    [400, "INVALID_MESSAGE"],
    [403, "NOT_ALLOWED"],
    [404, "AGENT_NOT_FOUND"],
    [413, "PAYLOAD_TOO_LARGE"],
    [429, "RATE_LIMITED"],
    [500, "RELAY_INTERNAL_ERROR"],
    [503, "AGENT_OFFLINE"],
    [504, "AGENT_TIMEOUT"],
  ])("a bare %i is %s", async (status, code) => {
    expect(await fromResponse(new Response("", { status }))).toMatchObject({ code, status, known: true });
    expect(await fromResponse(new Response("   \n", { status }))).toMatchObject({ code, status });
  });

  it("falls back to the status when the body is not JSON, keeping why", async () => {
    const error = await fromResponse(new Response("<html>Service Unavailable</html>", { status: 503 }));
    expect(error).toMatchObject({ code: "AGENT_OFFLINE", status: 503, known: true });
    expect(error.cause).toMatchObject({ code: MALFORMED, message: "error message is not JSON" });
  });

  it("falls back to the status when a JSON body names no code", async () => {
    expect(await fromResponse(json({ detail: "nope" }, 404))).toMatchObject({ code: "AGENT_NOT_FOUND", status: 404 });
  });

  it("a status the catalog lacks gets the generic verdict", async () => {
    expect(await fromResponse(new Response("Bad Gateway", { status: 502 }))).toMatchObject({
      code: MALFORMED,
      known: false,
      status: 502,
      retryable: "yes",
      action: "retry",
      message: "HTTP 502 without a CKG Relay error body",
    });
    expect(await fromResponse(new Response("", { status: 401 }))).toMatchObject({
      code: MALFORMED,
      retryable: "no",
      action: "user-action",
    });
  });

  it("reads Retry-After, and no other header", async () => {
    const error = await fromResponse(
      json({ code: "RATE_LIMITED", message: "slow" }, 429, { "retry-after": "7", "x-api-key": "sk-secret" }),
    );
    expect(error.retryAfterMs).toBe(7000);
    expect(JSON.stringify(error.toJSON())).not.toContain("sk-secret");
    expect(
      (await fromResponse(new Response(null, { status: 429, headers: { "retry-after": "3" } }))).retryAfterMs,
    ).toBe(3000);
  });

  it("stops reading a body over 1 MiB and falls back to the status", async () => {
    const error = await fromResponse(new Response("x".repeat(MAX_ERROR_BYTES + 1), { status: 503 }));
    expect(error).toMatchObject({ code: "AGENT_OFFLINE", status: 503 });
    expect(error.cause).toMatchObject({ code: TOO_LARGE });
  });

  it("survives a body that breaks mid-read", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"code":'));
        controller.error(new Error("connection reset"));
      },
    });
    const error = await fromResponse(new Response(body, { status: 504 }));
    expect(error).toMatchObject({ code: "AGENT_TIMEOUT", status: 504 });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("never rejects, even on a hostile response", async () => {
    const hostile = {
      get status(): number {
        throw new Error("gotcha");
      },
    } as unknown as Response;
    const error = await fromResponse(hostile);
    expect(error).toBeInstanceOf(CkgRelayError);
    expect(error).toMatchObject({ code: MALFORMED, known: false, status: undefined });
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
