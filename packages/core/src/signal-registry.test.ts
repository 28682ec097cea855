import { getEventListeners } from "node:events";
import { manualClock, processEvents } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { retry } from "./retry.js";
import { isAbortSignal, onAbort, waitersOn } from "./signal-registry.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("signal registry", () => {
  it("holds one listener per signal, however many wait, and lets each leave in O(1)", () => {
    const controller = new AbortController();
    const fired: number[] = [];
    const leaves = Array.from({ length: 1000 }, (_, i) => onAbort(controller.signal, () => fired.push(i)));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    expect(waitersOn(controller.signal)).toBe(1000);
    for (const leave of leaves.slice(0, 990)) leave();
    expect(waitersOn(controller.signal)).toBe(10);
    controller.abort();
    expect(fired).toEqual([990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("takes its listener off when the last waiter leaves", () => {
    const { signal } = new AbortController();
    const leave = onAbort(signal, () => {});
    leave();
    leave();
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
    expect(waitersOn(signal)).toBe(0);
  });

  it("one throwing callback does not keep the others from running", () => {
    const controller = new AbortController();
    const fired: string[] = [];
    onAbort(controller.signal, () => {
      throw new Error("bad");
    });
    onAbort(controller.signal, () => fired.push("second"));
    controller.abort();
    expect(fired).toEqual(["second"]);
  });

  it("isAbortSignal tells a signal from a controller or a hostile object", () => {
    const controller = new AbortController();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    );
    expect([controller.signal, AbortSignal.abort()].every(isAbortSignal)).toBe(true);
    expect([controller, {}, null, "signal", hostile].some(isAbortSignal)).toBe(false);
  });
});

// Issue 27: 8,000 concurrent retry() calls on one signal took 10–22 s against about 1 s with
// none, growing ~4x per doubling, and eleven callers printed a false MaxListenersExceededWarning.
describe("a shared signal costs O(1) per call", () => {
  const warnings = processEvents("warning");

  /** N concurrent calls that each fail once, sleep on a virtual clock, then succeed; ms of work. */
  async function calls(n: number, signal: (i: number) => AbortSignal | undefined): Promise<number> {
    // Timers fire together when told: all N calls sleep on the signal at once.
    const timers: (() => void)[] = [];
    const clock = { setTimeout: (callback: () => void) => timers.push(callback), clearTimeout() {} };
    // CPU time, not wall time: load does not inflate it, so the ratio holds on a busy machine.
    const start = process.cpuUsage();
    const all = Array.from({ length: n }, (_, i) =>
      retry(
        (attempt) => {
          if (attempt === 1) throw Object.assign(new Error("reset"), { code: "ECONNRESET" });
          return attempt;
        },
        { signal: signal(i), clock, jitter: "none", policy: { baseMs: 10 } },
      ),
    );
    await tick();
    // Every call is now parked on the shared signal (a sleep); the registry holds them all.
    for (const fire of timers.splice(0)) fire();
    await Promise.all(all);
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1000;
  }

  it("10,000 callers on one signal: one listener, no MaxListenersExceededWarning", async () => {
    const controller = new AbortController();
    const clock = manualClock();
    const pending = Array.from({ length: 10_000 }, () =>
      retry(() => new Promise(() => {}), { signal: controller.signal, clock }).catch((e: unknown) => e),
    );
    await tick();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    expect(waitersOn(controller.signal)).toBe(10_000);
    controller.abort(new Error("shutdown"));
    const results = await Promise.all(pending);
    expect(results.every((e) => (e as Error).message === "shutdown")).toBe(true);
    await tick();
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("8,000 calls on one signal cost within 3x of 8,000 calls with no signal (the issue's measure)", async () => {
    const n = 8000;
    const shared = new AbortController().signal;
    // Warm up both paths, then take the best of three of each (noise only ever adds time).
    await calls(500, () => shared);
    await calls(500, () => undefined);
    const best = async (run: () => Promise<number>) => Math.min(await run(), await run(), await run());
    const noneMs = await best(() => calls(n, () => undefined));
    const sharedMs = await best(() => calls(n, () => shared));
    // Before the registry: 10-20x, growing about 4x per doubling of N.
    expect(sharedMs / noneMs).toBeLessThan(3);
  }, 60_000);
});
