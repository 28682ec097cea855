import { byteAtATime } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { MAX_EMPTY_READS, readResponse } from "./response.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** A body that sends `first`, then never another chunk nor its end. */
const stalling = (first: string) =>
  new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(bytes(first)),
    pull: () => new Promise(() => {}),
  });

/** Aborts `controller` with `reason` once the read is waiting on the stalled stream. */
function abortWhileStalled(controller: AbortController, reason: unknown): void {
  setImmediate(() => controller.abort(reason));
}

describe("readResponse", () => {
  it("reads the body and the Retry-After header only", async () => {
    const res = new Response('{"error":"x"}', {
      status: 429,
      headers: { "retry-after": "8", authorization: "Bearer secret" },
    });
    const body = await readResponse(res, 1024);
    expect(body).toEqual({
      status: 429,
      text: '{"error":"x"}',
      tooLarge: false,
      retryAfterMs: 8000,
      cause: undefined,
      aborted: false,
    });
  });

  it("stops reading at the cap, even without a content-length", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const body = await readResponse(new Response(stream, { status: 500 }), 100_000);
    expect(body).toMatchObject({ status: 500, tooLarge: true, text: undefined });
    expect(pulled).toBeLessThan(5);
  });

  it("keeps a first chunk as it is and copies it once a second one comes, the same object included", async () => {
    const chunk = bytes("ab");
    // A body (a custom stream, not fetch's) that hands the same bytes over three times, after an empty chunk.
    const chunks = [new Uint8Array(0), chunk, chunk, chunk.subarray(1)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const body = await readResponse({ status: 500, body: stream }, 100);
    expect(body).toMatchObject({ text: "ababb", tooLarge: false });
    expect(chunk).toEqual(bytes("ab"));
    expect((await readResponse(new Response("one chunk"), 100)).text).toBe("one chunk");
  });

  it("refuses a declared oversize body without reading it", async () => {
    const res = new Response("x".repeat(10), { headers: { "content-length": "5000000" } });
    expect(await readResponse(res, 1000)).toMatchObject({ tooLarge: true });
  });

  it("keeps the cause when the body fails mid-stream", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('{"err'));
        controller.error(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
      },
    });
    const body = await readResponse(new Response(stream, { status: 503 }), 1000);
    expect(body.status).toBe(503);
    expect(body.text).toBeUndefined();
    expect(body.cause).toMatchObject({ code: "ECONNRESET" });
  });

  it("handles an empty body", async () => {
    expect(await readResponse(new Response(null, { status: 503 }), 10)).toMatchObject({ status: 503, text: "" });
  });

  it("decodes a body cut into 1-byte chunks, multi-byte characters split across them", async () => {
    const text = `{"error":"${"é☃😀".repeat(2000)}"}`;
    const body = await readResponse(new Response(byteAtATime(bytes(text)), { status: 500 }), 1 << 20);
    expect(body).toMatchObject({ text, tooLarge: false, cause: undefined });
  });

  it("counts the bytes of the chunks against the cap, not the decoded text", async () => {
    const encoded = bytes("☃".repeat(400)); // 1200 bytes, 400 chars
    expect(await readResponse(new Response(byteAtATime(encoded)), 1199)).toMatchObject({ tooLarge: true });
    expect(await readResponse(new Response(byteAtATime(encoded)), 1200)).toMatchObject({ tooLarge: false });
  });

  it("gives up on endless empty chunks, and lets timers run meanwhile", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(0)) });
    const body = await readResponse(new Response(stream, { status: 502 }), 1000);
    clearInterval(timer);
    expect(body.text).toBeUndefined();
    expect(String(body.cause)).toContain(`${MAX_EMPTY_READS} empty chunks`);
    expect(ticks).toBeGreaterThan(0);
  });

  it("yields to timers while a long body of tiny chunks is read", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const body = await readResponse(new Response(byteAtATime(new Uint8Array(20_000).fill(0x61))), 1 << 20);
    clearInterval(timer);
    expect(body.text).toHaveLength(20_000);
    expect(ticks).toBeGreaterThan(0);
  });

  it("stops a stalled body when the signal aborts", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(bytes('{"err')),
      pull: () => new Promise(() => {}),
    });
    const controller = new AbortController();
    const pending = readResponse(new Response(stream, { status: 504 }), 1000, Date.now(), {
      signal: controller.signal,
    });
    const reason = new Error("gave up waiting");
    setTimeout(() => controller.abort(reason), 5);
    expect(await pending).toMatchObject({ status: 504, text: undefined, cause: reason });
    expect(stream.locked).toBe(true);
    const already = await readResponse(new Response("{}"), 1000, Date.now(), { signal: AbortSignal.abort("no") });
    expect(already).toMatchObject({ text: undefined, cause: "no" });
  });

  it("says the caller's signal stopped it, whatever the reason value is", async () => {
    const hostile = Proxy.revocable({}, {});
    hostile.revoke();
    for (const reason of [new Error("user left"), "bye", null, 0, false, "", Symbol("s"), hostile.proxy]) {
      const controller = new AbortController();
      const pending = readResponse(new Response(stalling('{"err'), { status: 503 }), 1000, Date.now(), {
        signal: controller.signal,
      });
      abortWhileStalled(controller, reason);
      // A revoked proxy cannot be compared by toEqual: the cause is checked by identity.
      const { cause, ...rest } = await pending;
      expect(cause === reason, typeof reason).toBe(true);
      expect(rest).toEqual({ status: 503, text: undefined, tooLarge: false, retryAfterMs: undefined, aborted: true });
    }
  });

  it("says so for a signal aborted before the call, and for a text() body", async () => {
    const res = new Response("{}", { status: 503 });
    expect(await readResponse(res, 1000, 0, { signal: AbortSignal.abort(null) })).toMatchObject({
      cause: null,
      aborted: true,
    });
    expect(res.bodyUsed).toBe(false);
    const controller = new AbortController();
    const text = { status: 503, text: () => new Promise<string>(() => {}) };
    const pending = readResponse(text, 1000, 0, { signal: controller.signal });
    abortWhileStalled(controller, "bye");
    expect(await pending).toMatchObject({ text: undefined, cause: "bye", aborted: true });
  });

  it("keeps the signal's TimeoutError as it is, and its own time budget is no abort", async () => {
    const timedOut = await readResponse(new Response(stalling("{}")), 1000, 0, { signal: AbortSignal.timeout(1) });
    expect(timedOut).toMatchObject({ text: undefined, cause: { name: "TimeoutError" }, aborted: true });
    // The budget cancels the stream, which ends its pending read as done: the bytes so far ('{}') are not the body.
    const budget = await readResponse(new Response(stalling("{}")), 1000, 0, { timeoutMs: 1 });
    expect(budget).toMatchObject({ text: undefined, cause: { name: "TimeoutError" }, aborted: false });
  });

  it("is no abort when the stream failed by itself", async () => {
    const controller = new AbortController();
    const stream = new ReadableStream<Uint8Array>({ start: (c) => c.error(new Error("socket hang up")) });
    const body = await readResponse(new Response(stream), 1000, 0, { signal: controller.signal });
    expect(body).toMatchObject({ cause: { message: "socket hang up" }, aborted: false });
  });

  it("never rejects on a stream of non-bytes, a hostile cancel or hostile options", async () => {
    const strings = new ReadableStream({ start: (c) => c.enqueue("text") });
    expect((await readResponse(new Response(strings as never), 1000)).cause).toBeInstanceOf(TypeError);
    const reader = {
      read: async () => ({ done: false, value: "x" }),
      cancel: () => {
        throw new Error("boom");
      },
    };
    const hostile = { status: 500, body: { getReader: () => reader } } as never;
    expect((await readResponse(hostile, 1000)).cause).toBeInstanceOf(TypeError);
    const options = new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
      },
    ) as never;
    expect(await readResponse(new Response("{}"), 1000, Date.now(), options)).toMatchObject({ text: "{}" });
  });
});
