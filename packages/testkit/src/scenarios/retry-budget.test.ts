// 1,000 concurrent callers against a failing server. Without a budget each
// retries on its own and multiplies the outage; with one shared retryBudget the
// server's own count stays within 1.1x the calls, and once the budget is spent
// every caller fails fast with exactly one request.

import { fromResponse, validateEvent } from "@wirefault/ckg-relay";
import { isProtocolError, retry, retryBudget } from "@wirefault/core";
import { recordingClock } from "@wirefault/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CkgRelayPeer, startCkgRelayPeer } from "../peers/ckg-relay.js";
import { report } from "./clients.js";

const CALLERS = 1_000;
let relay: CkgRelayPeer;

beforeAll(async () => {
  relay = await startCkgRelayPeer({ seed: 4 });
  // The relay is failing: every request gets RELAY_INTERNAL_ERROR (500, retryable, up to 4 attempts).
  relay.fault = { kind: "error", code: "RELAY_INTERNAL_ERROR", message: "database unavailable" };
});
afterAll(async () => {
  await relay.close();
});

/** One caller: one event, sent with retry(); resolves to the error it ended with. */
async function call(i: number, options: Parameters<typeof retry>[1]): Promise<unknown> {
  const body = validateEvent({ event_id: `evt_${i}`, agent_id: "athena", thread_id: "t", payload: { i } });
  try {
    await retry(async () => {
      const res = await fetch(`${relay.url}/v1/events`, { method: "POST", body });
      if (!res.ok) throw await fromResponse(res);
      return res.json();
    }, options);
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Runs CALLERS concurrent callers and returns the requests the relay counted for them. */
async function wave(options: Parameters<typeof retry>[1]): Promise<{ requests: number; errors: unknown[] }> {
  const before = relay.requests;
  const errors = await Promise.all(Array.from({ length: CALLERS }, (_, i) => call(i, options)));
  return { requests: relay.requests - before, errors };
}

describe(`${CALLERS} concurrent callers, failing server`, () => {
  it("without a budget, each caller retries on its own: 4x the load", async () => {
    const { requests, errors } = await wave({ clock: recordingClock() });
    expect(errors.every((e) => isProtocolError(e) && e.code === "RELAY_INTERNAL_ERROR" && e.attempts === 4)).toBe(true);
    expect(requests).toBe(CALLERS * 4);
    report("retry-budget-none", {
      scenario: `${CALLERS} concurrent callers, failing server, no budget`,
      faults: requests,
      sent: CALLERS,
      serverRequests: requests,
      ratio: requests / CALLERS,
      lost: 0,
      duplicated: 0,
    });
  });

  it("with a shared retryBudget, the server sees at most 1.1x the calls, then exactly 1x once it is spent", async () => {
    const budget = retryBudget({ capacity: 10 });
    const first = await wave({ clock: recordingClock(), budget });
    expect(first.requests).toBeLessThanOrEqual(CALLERS * 1.1);
    expect(first.requests).toBe(CALLERS + 10); // the 10 tokens, then fail fast
    expect(budget.tokens).toBeLessThan(1);
    // Every caller still ends with the server's typed error, not a hang or an unknown failure.
    expect(first.errors.every((e) => isProtocolError(e) && e.code === "RELAY_INTERNAL_ERROR")).toBe(true);

    const spent = await wave({ clock: recordingClock(), budget });
    expect(spent.requests).toBe(CALLERS);
    expect(spent.errors.every((e) => isProtocolError(e) && e.attempts === 1)).toBe(true);

    // The server recovers: successes refund the budget (0.1 token each), and calls succeed at once.
    relay.fault = undefined;
    const recovered = await wave({ clock: recordingClock(), budget });
    expect(recovered.requests).toBe(CALLERS);
    expect(recovered.errors.every((e) => e === undefined)).toBe(true);
    expect(budget.tokens).toBe(10);

    report("retry-budget-shared", {
      scenario: `${CALLERS} concurrent callers, failing server, shared retryBudget (capacity 10)`,
      faults: first.requests + spent.requests,
      sent: CALLERS * 3,
      firstWaveRequests: first.requests,
      firstWaveRatio: first.requests / CALLERS,
      spentWaveRequests: spent.requests,
      spentWaveRatio: spent.requests / CALLERS,
      recoveredWaveRequests: recovered.requests,
      lost: 0,
      duplicated: 0,
    });
  });
});
