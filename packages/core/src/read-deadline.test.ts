import { describe, expect, it } from "vitest";
import { clockNow, type Deadline, unwatch, watch } from "./read-deadline.js";
import { readResponse } from "./response.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Timers holding the process open. */
const timers = () => process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;

describe("a body read's deadline", () => {
  it("sets no timer for a read that ends within the turn it began in", async () => {
    const deadline: Deadline = { at: clockNow() + 30_000, expire: () => {} };
    watch(deadline);
    unwatch(deadline);
    await nextTurn();
    expect(deadline.timer).toBeUndefined();
  });

  it("sets one for a read that outlasts its turn, holding the process open until the read ends", async () => {
    const deadline: Deadline = { at: clockNow() + 30_000, expire: () => {} };
    watch(deadline);
    await nextTurn();
    expect(deadline.timer).toBeDefined();
    // Counted in one synchronous step: another test's timer may end during any await.
    const during = timers();
    unwatch(deadline);
    expect(timers()).toBe(during - 1);
  });

  it("expires each read at its time, never before, whatever the order they began in", async () => {
    const expired: string[] = [];
    const early: string[] = [];
    for (const [name, ms] of [
      ["late", 40],
      ["early", 5],
      ["middle", 20],
    ] as const) {
      const at = clockNow() + ms;
      watch({ at, expire: () => void (clockNow() < at ? early : expired).push(name) });
    }
    await after(60);
    expect(expired.sort()).toEqual(["early", "late", "middle"]);
    expect(early).toEqual([]);
  });

  it("stops a stalled read at its budget, and leaves nothing holding the process after", async () => {
    const held = timers();
    const stalled = new Response(new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) }));
    const out = await readResponse(stalled, 1000, 0, { timeoutMs: 5 });
    expect(out).toMatchObject({ cause: { name: "TimeoutError" }, aborted: false });
    // At most as many as before: another test's timer may have ended meanwhile (seen under load), none was added.
    expect(timers()).toBeLessThanOrEqual(held);
  });
});
