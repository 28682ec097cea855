// 1,000 concurrent callers against a failing server. Without a budget each
// retries on its own and multiplies the outage; with one shared retryBudget the
// server's own count stays within 1.1x the calls, and once the budget is spent
// every caller fails fast with exactly one request.

import { isProtocolError, type RetryOptions, retryBudget } from "@wirefault/core";
import { recordingClock } from "@wirefault/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CkgRelayPeer, startCkgRelayPeer } from "../peers/ckg-relay.js";
import { ckgWave, endedAs, type Wave } from "./ckg-callers.js";
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

/** Runs CALLERS concurrent callers against the failing relay. */
const wave = (options: RetryOptions): Promise<Wave> => ckgWave(relay, CALLERS, options);

describe(`${CALLERS} concurrent callers, failing server`, () => {
  it("without a budget, each caller retries on its own: 4x the load", async () => {
    const none = await wave({ clock: recordingClock() });
    const { attempts, requests, errors } = none;
    expect(endedAs(none, "RELAY_INTERNAL_ERROR")).toBe(true);
    expect(errors.every((e) => isProtocolError(e) && e.attempts === 4)).toBe(true);
    expect(attempts).toBe(CALLERS * 4);
    report("retry-budget-none", {
      scenario: `${CALLERS} concurrent callers, failing server, no budget`,
      faults: attempts,
      sent: CALLERS,
      serverRequests: requests,
      ratio: attempts / CALLERS,
      lost: 0,
      duplicated: 0,
    });
  });

  it("with a shared retryBudget, the server sees at most 1.1x the calls, then exactly 1x once it is spent", async () => {
    const budget = retryBudget({ capacity: 10 });
    const first = await wave({ clock: recordingClock(), budget });
    expect(first.attempts).toBeLessThanOrEqual(CALLERS * 1.1);
    expect(first.attempts).toBe(CALLERS + 10); // the 10 tokens, then fail fast
    expect(budget.tokens).toBeLessThan(1);
    // Every caller still ends with the server's typed error, not a hang or an unknown failure.
    expect(endedAs(first, "RELAY_INTERNAL_ERROR")).toBe(true);

    const spent = await wave({ clock: recordingClock(), budget });
    expect(spent.attempts).toBe(CALLERS);
    expect(spent.errors.every((e) => isProtocolError(e) && e.attempts === 1)).toBe(true);

    // The server recovers: successes refund the budget (0.1 token each), and calls succeed at once.
    relay.fault = undefined;
    const recovered = await wave({ clock: recordingClock(), budget });
    // Every call succeeds at once, unless its request was lost before an answer (retried only if a token is left).
    expect(recovered.attempts).toBeGreaterThanOrEqual(CALLERS);
    expect(recovered.attempts).toBeLessThanOrEqual(CALLERS + recovered.networkFailures);
    expect(endedAs(recovered, undefined)).toBe(true);
    expect(budget.tokens).toBe(10);

    report("retry-budget-shared", {
      scenario: `${CALLERS} concurrent callers, failing server, shared retryBudget (capacity 10)`,
      faults: first.attempts + spent.attempts,
      sent: CALLERS * 3,
      firstWaveRequests: first.attempts,
      firstWaveRatio: first.attempts / CALLERS,
      spentWaveRequests: spent.attempts,
      spentWaveRatio: spent.attempts / CALLERS,
      recoveredWaveRequests: recovered.attempts,
      lost: 0,
      duplicated: 0,
    });
  });
});
