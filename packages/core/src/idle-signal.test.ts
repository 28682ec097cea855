import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { processEvents } from "@wirefault/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATION, idleSignal } from "./idle-signal.js";
import { retry } from "./retry.js";

const signalOf = (listen?: (signal: AbortSignal) => void) =>
  retry((_attempt: number, signal: AbortSignal) => {
    listen?.(signal);
    return signal;
  });

describe("the signal fn gets when the caller passes none", () => {
  it("is shared by calls that never listen on it, and never aborts", async () => {
    const first = await signalOf();
    const second = await signalOf();
    expect(second).toBe(first);
    expect(first).toBeInstanceOf(AbortSignal);
    expect(first.aborted).toBe(false);
  });

  it("is retired by its first listener, which it keeps: the next call gets another", async () => {
    const seen: AbortSignal[] = [];
    for (const listen of [
      (signal: AbortSignal) => signal.addEventListener("abort", () => {}),
      (signal: AbortSignal) => {
        signal.onabort = () => {};
      },
    ]) {
      const listened = await signalOf(listen);
      seen.push(listened);
      expect(getEventListeners(listened, "abort")).toHaveLength(1);
      expect(await signalOf()).not.toBe(listened);
    }
    expect(seen[0]).not.toBe(seen[1]);
  });

  it(`is handed out at most ${GENERATION} times, however it is used`, () => {
    const handed = new Set<AbortSignal>();
    for (let i = 0; i <= GENERATION; i++) handed.add(idleSignal());
    expect(handed.size).toBe(2);
  });

  it("composes with AbortSignal.any() like any signal", async () => {
    const timeout = new AbortController();
    const composite = await retry((_attempt: number, signal: AbortSignal) => AbortSignal.any([signal, timeout.signal]));
    expect(composite.aborted).toBe(false);
    timeout.abort(new Error("timed out"));
    expect(composite.aborted).toBe(true);
  });
});

// fetch adds an abort listener per request that goes only when the request is collected: on one
// shared signal, concurrent requests would pile up and warn. Every request here gets a signal of its own.
describe("fetch(url, { signal }) in many concurrent calls", () => {
  let server: Server;
  let url: string;
  const warnings = processEvents("warning");
  beforeAll(async () => {
    server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("one listener per signal, no MaxListenersExceededWarning", async () => {
    const signals: AbortSignal[] = [];
    const bodies = await Promise.all(
      Array.from({ length: 40 }, () =>
        retry(async (_attempt: number, signal: AbortSignal) => {
          signals.push(signal);
          return (await fetch(url, { signal })).text();
        }),
      ),
    );
    expect(bodies.every((body) => body === "ok")).toBe(true);
    expect(new Set(signals).size).toBe(40);
    expect(signals.every((signal) => getEventListeners(signal, "abort").length <= 1)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });
});
