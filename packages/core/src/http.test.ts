// fromResponse's error, made after the body is read: its stack is fromResponse's frame, then the caller's await;
// a body the caller's signal stopped is the caller's abort, whatever the signal's reason.
import { stackProblems } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { defineCatalog } from "./catalog.js";
import { ABORTED, ProtocolError, TIMEOUT } from "./error.js";
import { field } from "./field.js";
import { defineProtocol, overHttp } from "./protocol.js";

const catalog = defineCatalog([
  { surface: "api", code: "busy", name: "Busy", retryable: "yes", action: "retry", summary: "Try later." },
] as const);

const api = defineProtocol({
  name: "api",
  title: "API",
  maxBytes: 1024,
  catalog,
  http: overHttp("api"),
  readers: [
    (value) => {
      const code = field(value, "error");
      return typeof code === "string" ? { surface: "api", code, message: "busy now" } : undefined;
    },
  ],
  errorClass: () => ProtocolError,
});

async function callersOwnCode(body: string | null): Promise<Error> {
  return await api.fromResponse(new Response(body, { status: 503 }));
}

describe("fromResponse's stack", () => {
  it("is fromResponse's frame, then the caller's await, with none of core's other frames, whatever the body made", async () => {
    for (const body of ['{"error":"busy"}', "not json", null]) {
      const err = await callersOwnCode(body);
      // Between them, only the event loop's own (a microtask, or processTicksAndRejections).
      const shape = { entry: "fromResponse", caller: "async callersOwnCode", awaited: true };
      expect(stackProblems(err.stack, shape), String(body)).toEqual([]);
    }
  });
});

/** A 503 whose body sends a few bytes, then never another chunk nor its end. */
const stalled = (headers?: Record<string, string>) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode('{"err')),
      pull: () => new Promise(() => {}),
    }),
    { status: 503, headers },
  );

/** fromResponse on a stalled body, the signal aborted with `reason` once the read waits. */
async function abortedWith(reason: unknown): Promise<ProtocolError> {
  const controller = new AbortController();
  const pending = api.fromResponse(stalled({ "retry-after": "7" }), { signal: controller.signal });
  setImmediate(() => controller.abort(reason));
  return await pending;
}

describe("fromResponse and the caller's signal", () => {
  it("is WIREFAULT_ABORTED whatever the reason, the status and Retry-After kept", async () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const reason of [undefined, new Error("user left"), "bye", null, 0, false, Symbol("s"), revoked.proxy]) {
      const err = await abortedWith(reason);
      expect(err, typeof reason).toMatchObject({
        code: ABORTED,
        local: true,
        retryable: "no",
        action: "abort",
        status: 503,
        retryAfterMs: 7000,
        message: "HTTP 503 response body was aborted",
      });
    }
  });

  it("keeps the caller's reason as cause, a masked copy and never the live object", async () => {
    const reason = Object.assign(new Error("user left"), { apiKey: "k-123456", page: "/settings" });
    const err = await abortedWith(reason);
    expect(err.cause).not.toBe(reason);
    expect(err.cause).toBeInstanceOf(Error);
    expect(err.cause).toMatchObject({ message: "user left", apiKey: "[redacted]", page: "/settings" });
    expect(reason.apiKey).toBe("k-123456");
    expect((await abortedWith("left, Authorization: Bearer abcdefghijklmnop1234567890")).cause).toBe(
      "left, Authorization: Bearer [redacted]",
    );
    expect((await abortedWith(null)).cause).toBeNull();
    // controller.abort() with no reason: the platform's AbortError.
    expect((await abortedWith(undefined)).cause).toMatchObject({ name: "AbortError" });
  });

  it("is WIREFAULT_ABORTED for a signal aborted before the call, the body left unread", async () => {
    const res = new Response('{"error":"busy"}', { status: 503 });
    const err = await api.fromResponse(res, { signal: AbortSignal.abort(new Error("user left")) });
    expect(err).toMatchObject({ code: ABORTED, status: 503, cause: { message: "user left" } });
    expect(res.bodyUsed).toBe(false);
  });

  it("is WIREFAULT_TIMEOUT, retryable, when the signal is AbortSignal.timeout()", async () => {
    const err = await api.fromResponse(stalled(), { signal: AbortSignal.timeout(1) });
    expect(err).toMatchObject({ code: TIMEOUT, retryable: "yes", action: "retry", status: 503 });
    expect(err.cause).toMatchObject({ name: "TimeoutError" });
    // fromResponse's own time budget: the bytes before the stall ('{"err') are not read as the body.
    expect(await api.fromResponse(stalled(), { timeoutMs: 1 })).toMatchObject({ code: TIMEOUT, status: 503 });
  });

  it("reads a body that came whole as the body, the signal never aborted", async () => {
    const controller = new AbortController();
    const err = await api.fromResponse(new Response('{"error":"busy"}', { status: 503 }), {
      signal: controller.signal,
    });
    controller.abort("too late");
    expect(err).toMatchObject({ code: "busy", known: true });
  });
});
