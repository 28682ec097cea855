import { describe, expect, it } from "vitest";
import { clockNow, unwatch, watch, watching } from "./read-deadline.js";
import { readResponse } from "./response.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A deadline `ms` from now that records its name when it expires. */
function deadline(expired: string[], name: string, ms: number) {
  return { at: clockNow() + ms, expire: () => void expired.push(name) };
}

describe("the reads' shared deadline timer", () => {
  it("is never armed for a body read within the turn it began in", async () => {
    for (let i = 0; i < 3; i++) expect((await readResponse(new Response('{"a":1}'), 1000)).text).toBe('{"a":1}');
    await nextTurn();
    expect(watching()).toEqual({ reads: 0, timer: "none" });
  });

  it("is armed for a read that outlasts its turn, holds the process while it waits, and lets it go after", async () => {
    const controller = new AbortController();
    const stalled = new Response(new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) }));
    const pending = readResponse(stalled, 1000, 0, { signal: controller.signal });
    await nextTurn();
    expect(watching()).toEqual({ reads: 1, timer: "held" });
    controller.abort("done");
    expect(await pending).toMatchObject({ cause: "done", aborted: true });
    expect(watching()).toEqual({ reads: 0, timer: "released" });
  });

  it("expires each deadline at its time, never before, whatever the order they joined in", async () => {
    const expired: string[] = [];
    const early: string[] = [];
    for (const [name, ms] of [
      ["late", 40],
      ["early", 5],
      ["middle", 20],
    ] as const) {
      const at = clockNow() + ms;
      watch({ at, expire: () => void (clockNow() < at - 1 ? early : expired).push(name) });
    }
    await after(60);
    expect(expired.sort()).toEqual(["early", "late", "middle"]);
    expect(early).toEqual([]);
    expect(watching()).toEqual({ reads: 0, timer: "none" });
  });

  it("never expires a deadline dropped first, and one that throws keeps no other from expiring", async () => {
    const expired: string[] = [];
    const dropped = deadline(expired, "dropped", 5);
    watch(deadline(expired, "first", 5));
    watch({
      at: clockNow() + 5,
      expire: () => {
        throw new Error("boom");
      },
    });
    watch(dropped);
    watch(deadline(expired, "last", 10));
    unwatch(dropped);
    await after(30);
    expect(expired).toEqual(["first", "last"]);
  });
});
