// Figure 3: what retry() costs around an operation that succeeds at once,
// beside p-retry and cockatiel, the contenders run in turn (turns.mjs); and
// how late its backoff timers fire.
import { retry } from "@wirefault/core";
import { retry as cockatielRetry, ExponentialBackoff, handleAll } from "cockatiel";
import pRetry from "p-retry";
import { inTurn, summary, versus } from "./turns.mjs";

async function lateness(sleeps) {
  // Backoff sleeps of 10 ms, measured from the failing attempt to the next.
  const late = [];
  let last = 0;
  await retry(
    async (attempt) => {
      const now = performance.now();
      if (attempt > 1) late.push(now - last - 10);
      last = now;
      if (attempt <= sleeps) throw Object.assign(new Error("transient"), { code: "ECONNRESET" });
    },
    { maxAttempts: sleeps + 1, policy: { baseMs: 10, factor: 1, jitter: "none" } },
  );
  return { sleeps: late.length, ...summary(late) };
}

export async function measure({ rounds, batch, sleeps }) {
  const op = async () => 42;
  const handler = () => 0;
  const policy = cockatielRetry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
  const ns = await inTurn(
    [
      { name: "direct", async: true, fn: () => op() },
      // The floor of any retry wrapper: it must observe a rejection, so it
      // attaches a handler, which costs a promise and a microtask tick.
      { name: "floor", async: true, fn: () => op().catch(handler) },
      { name: "ours", async: true, fn: () => retry(op) },
      { name: "pRetry", async: true, fn: () => pRetry(op, { retries: 2 }) },
      { name: "cockatiel", async: true, fn: () => policy.execute(op) },
    ],
    { rounds, batch: batch * 10 },
  );
  // Against the floor, in the same round.
  const { ns: medians, ratios } = versus(ns, "floor", ["ours", "pRetry", "cockatiel", "direct"]);
  return {
    ns: medians,
    vsFloor: ratios,
    lateness: await lateness(sleeps),
  };
}
