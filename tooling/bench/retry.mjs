// Figure 4: what retry() costs around an operation that succeeds at once,
// and how late its backoff timers fire.
import { retry } from "@wirefault/core";
import { Bench } from "tinybench";

const BATCH = 200;

export async function measure({ time, sleeps }) {
  const bench = new Bench({ time, warmupTime: Math.max(1, time / 4), iterations: 8 });
  const op = async () => 42;
  bench.add("direct await fn()", async () => {
    for (let i = 0; i < BATCH; i++) await op();
  });
  bench.add("await retry(fn)", async () => {
    for (let i = 0; i < BATCH; i++) await retry(op);
  });
  // The floor of any retry wrapper: it must observe a rejection, so it attaches
  // a handler, which costs a promise and a microtask tick whatever the code.
  bench.add("await fn().catch(h)", async () => {
    for (let i = 0; i < BATCH; i++) await op().catch(() => 0);
  });
  await bench.run();
  const [direct, wrapped, caught] = bench.tasks.map((task) => (task.result.latency.p50 * 1e6) / BATCH);

  // Backoff sleeps of 10 ms, measured from the failing attempt to the next.
  const lateness = [];
  let last = 0;
  await retry(
    async (attempt) => {
      const now = performance.now();
      if (attempt > 1) lateness.push(now - last - 10);
      last = now;
      if (attempt <= sleeps) throw Object.assign(new Error("transient"), { code: "ECONNRESET" });
    },
    { maxAttempts: sleeps + 1, policy: { baseMs: 10, factor: 1, jitter: "none" } },
  );
  lateness.sort((a, b) => a - b);
  return {
    directNs: direct,
    retryNs: wrapped,
    ratio: wrapped / direct,
    catchNs: caught,
    catchRatio: caught / direct,
    sleeps: lateness.length,
    medianLatenessMs: lateness[Math.floor(lateness.length / 2)] ?? 0,
    p90LatenessMs: lateness[Math.floor(lateness.length * 0.9)] ?? 0,
  };
}
