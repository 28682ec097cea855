// Issue 27: a body that trickles is read within a total budget of reads and
// time, and a read that never settles honours the signal.
import { describe, expect, it } from "vitest";
import { BODY_TIMEOUT_MS, MAX_BODY_READS, readResponse } from "./response.js";

/** A body stream: 4,095 empty chunks, then one byte, over and over; counts its reads. */
function trickle() {
  let reads = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      reads++;
      controller.enqueue(reads % 4096 === 0 ? Uint8Array.of(0x20) : new Uint8Array(0));
    },
  });
  return { body, reads: () => reads };
}

/** A Response stand-in whose body read never settles, and ignores cancel. */
const stalled = () => ({
  status: 503,
  headers: new Headers(),
  body: {
    getReader: () => ({
      read: () => new Promise<never>(() => {}),
      cancel: () => new Promise<never>(() => {}),
    }),
  } as unknown as ReadableStream<Uint8Array>,
});

describe("readResponse's budget", () => {
  it("documents its defaults", () => {
    expect([MAX_BODY_READS, BODY_TIMEOUT_MS]).toEqual([65_536, 30_000]);
  });

  it("gives up a trickling body after its budget of reads, not at its size (was ~1.3 h to reach 1 MiB)", async () => {
    const { body, reads } = trickle();
    const out = await readResponse({ status: 500, body }, 1_048_576, 0, { maxReads: 10_000 });
    expect(out.text).toBeUndefined();
    expect(String(out.cause)).toContain("more than 10000 reads");
    expect(reads()).toBeLessThanOrEqual(10_000 + 2);
  });

  it("the default budget stops it too", async () => {
    const { body, reads } = trickle();
    const out = await readResponse({ status: 500, body }, 1_048_576);
    expect(String(out.cause)).toContain(`more than ${MAX_BODY_READS} reads`);
    expect(reads()).toBeLessThanOrEqual(MAX_BODY_READS + 2);
  });

  it("an ordinary body read a byte at a time is within the budget", async () => {
    const text = '{"error":"internal"}'.padEnd(4096, " ");
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at === text.length) controller.close();
        else controller.enqueue(new TextEncoder().encode(text[at++]));
      },
    });
    expect((await readResponse({ status: 500, body }, 1_048_576)).text).toBe(text);
  });

  it("a read that never settles honours the signal", async () => {
    const controller = new AbortController();
    const pending = readResponse(stalled(), 1_048_576, 0, { signal: controller.signal });
    const reason = new Error("caller gave up");
    setTimeout(() => controller.abort(reason), 5);
    const out = await pending;
    expect(out.cause).toBe(reason);
    expect(out.text).toBeUndefined();
  });

  it("and the time budget, without a signal", async () => {
    const out = await readResponse(stalled(), 1_048_576, 0, { timeoutMs: 5 });
    expect(out.cause).toMatchObject({ name: "TimeoutError" });
  });

  it("a text() that never settles gives way too", async () => {
    const out = await readResponse({ status: 500, text: () => new Promise<string>(() => {}) }, 1024, 0, {
      timeoutMs: 5,
    });
    expect(out.cause).toMatchObject({ name: "TimeoutError" });
  });

  it("a native stream's read is not raced, yet gives way when its source ignores the cancel", async () => {
    // Cancelling a native reader ends its pending read, whatever the source's cancel does.
    const stuck = () =>
      new Response(
        new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}), cancel: () => new Promise(() => {}) }),
        { status: 503 },
      );
    expect(await readResponse(stuck(), 1024, 0, { timeoutMs: 5 })).toMatchObject({
      text: undefined,
      cause: { name: "TimeoutError" },
      aborted: false,
    });
    const controller = new AbortController();
    const pending = readResponse(stuck(), 1024, 0, { signal: controller.signal });
    setTimeout(() => controller.abort("bye"), 5);
    expect(await pending).toMatchObject({ text: undefined, cause: "bye", aborted: true });
  });

  it("reads a native reader through the native methods, whatever the object says they are", async () => {
    const never = () => new Promise<never>(() => {});
    // A native reader whose own read and cancel never settle: the native ones are used.
    const stream = new ReadableStream<Uint8Array>({ pull: never });
    const hijacked = stream.getReader();
    Object.assign(hijacked, { read: never, cancel: never });
    const res = { status: 503, body: { getReader: () => hijacked } } as never;
    expect(await readResponse(res, 1024, 0, { timeoutMs: 5 })).toMatchObject({ cause: { name: "TimeoutError" } });
    // A Proxy passes for one but is no reader to the native methods: an error, not a hang.
    const proxied = new Proxy(new Response("{}").body!.getReader(), { get: () => never });
    const out = await readResponse({ status: 503, body: { getReader: () => proxied } } as never, 1024, 0, {
      timeoutMs: 5,
    });
    expect(out).toMatchObject({ text: undefined, cause: { name: "TypeError" } });
  });

  it("a signal aborted while the body is asked for stops the read, the stream's first read never made", async () => {
    const controller = new AbortController();
    const res = {
      status: 503,
      get body() {
        controller.abort("left");
        return new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
      },
    } as never;
    expect(await readResponse(res, 1024, 0, { signal: controller.signal })).toMatchObject({
      text: undefined,
      cause: "left",
      aborted: true,
    });
  });
});
