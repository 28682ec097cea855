// Figure 8: rateLimiter() against a loopback server that takes 100 requests a
// second and refuses the rest with a throttle error and no hint (issue 29).
// 20 callers send 15 requests each, one after another, through retry(); the
// contenders run in turn in this one process, each against a fresh server:
// no limiter (backoff only), a client paced at a fixed 100/s, ours, and
// smithy's DefaultRateLimiter (the AWS SDK's adaptive mode) behind the same
// retry(). Then the fleet simulation of core's tests, on virtual time.
import { createServer } from "node:http";
import { join } from "node:path";
import { DefaultRateLimiter } from "@smithy/util-retry";
import { ProtocolError, rateLimiter, retry } from "@wirefault/core";
import { build } from "esbuild";

const here = new URL(".", import.meta.url).pathname;
const root = join(here, "..", "..");

/** A server taking `rate` requests a second (a token bucket of `burst`), refusing the rest with 429 and no Retry-After. */
function startServer(rate, burst) {
  let tokens = burst;
  let last = performance.now();
  const server = createServer((req, res) => {
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - last) * rate) / 1000);
    last = now;
    req.resume();
    if (tokens >= 1) {
      tokens -= 1;
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    } else res.writeHead(429, { "content-type": "application/json" }).end('{"error":"rate_limited"}');
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })),
  );
}

const throttle = () =>
  new ProtocolError({
    protocol: "bench",
    code: "rate_limited",
    message: "Too many requests",
    retryable: "yes",
    action: "throttle",
    known: true,
  });

/** A pacer at a fixed rate, in the limiter's shape: it never adapts. */
function fixedRate(rate) {
  let nextAt = 0;
  return {
    rate,
    acquire() {
      const now = performance.now();
      const at = Math.max(now, nextAt);
      nextAt = at + 1000 / rate;
      return new Promise((resolve) => setTimeout(() => resolve(at), at - now));
    },
    succeeded() {},
    throttled() {},
  };
}

/** smithy's adaptive limiter behind retry()'s limiter shape. */
function smithy() {
  const limiter = new DefaultRateLimiter();
  return {
    rate: Number.NaN,
    acquire: () => limiter.getSendToken().then(() => performance.now()),
    succeeded: () => limiter.updateClientSendingRate({}),
    throttled: () => limiter.updateClientSendingRate({ errorType: "THROTTLING" }),
  };
}

const CONTENDERS = {
  none: () => undefined,
  fixed: () => fixedRate(100),
  ours: () => rateLimiter(),
  smithy,
};

async function run(name, { callers, requests, rate, burst }) {
  const { server, url } = await startServer(rate, burst);
  const limiter = CONTENDERS[name]();
  let attempts = 0;
  let refused = 0;
  let late = 0;
  let lateRefused = 0;
  const start = performance.now();
  const send = async () => {
    const sentAt = performance.now() - start;
    attempts++;
    if (sentAt >= 1000) late++;
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status === 429) {
      refused++;
      if (sentAt >= 1000) lateRefused++;
      throw throttle();
    }
  };
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let r = 0; r < requests; r++)
        await retry(send, { maxAttempts: 1000, policy: { baseMs: 100, capMs: 2000 }, ...(limiter && { limiter }) });
    }),
  );
  const ms = performance.now() - start;
  await new Promise((resolve) => server.close(resolve));
  const ideal = ((callers * requests) / rate) * 1000;
  return {
    attempts,
    refused,
    refusedAfterFirstSecond: late === 0 ? 0 : lateRefused / late,
    ms,
    vsIdeal: ms / ideal,
  };
}

/** core's fleet simulation (rate-limiter.simulation.ts), bundled as it is, on virtual time. */
async function simulation() {
  const bundle = async (file) => {
    const { outputFiles } = await build({
      entryPoints: [join(root, file)],
      bundle: true,
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString("base64")}`);
  };
  const { simulate } = await bundle("packages/core/src/rate-limiter.simulation.ts");
  const { seededRandom } = await bundle("tooling/test-utils/src/clock.ts");
  const rows = [];
  for (const [label, workload] of [
    ["1 process × 20 callers, adaptive", { processes: 1, callers: 20, limiter: "adaptive" }],
    ["1 process × 20 callers, no limiter", { processes: 1, callers: 20, limiter: "none" }],
    ["8 processes × 5 callers, adaptive", { processes: 8, callers: 5, limiter: "adaptive" }],
    ["8 processes × 5 callers, fixed 100/s each", { processes: 8, callers: 5, limiter: { fixed: 100 } }],
    ["8 processes × 5 callers, no limiter", { processes: 8, callers: 5, limiter: "none" }],
  ]) {
    const outcome = await simulate({ ...workload, requests: 15, rate: 100, random: seededRandom(1) });
    rows.push({ label, ...outcome });
  }
  return rows;
}

export async function measure({ rounds: _rounds, limiterRounds = 3, limiterCallers = 20, limiterRequests = 15 }) {
  const options = { callers: limiterCallers, requests: limiterRequests, rate: 100, burst: 10 };
  const names = Object.keys(CONTENDERS);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < limiterRounds; round++) {
    // Alternate the order, and let the server's bucket refill between contenders (each has its own server).
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) runs[name].push(await run(name, options));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows = names.map((name) => ({
    name,
    attempts: median(runs[name].map((r) => r.attempts)),
    refusedAfterFirstSecond: median(runs[name].map((r) => r.refusedAfterFirstSecond)),
    ms: median(runs[name].map((r) => r.ms)),
    vsIdeal: median(runs[name].map((r) => r.vsIdeal)),
    worstRefused: Math.max(...runs[name].map((r) => r.refusedAfterFirstSecond)),
    worstVsIdeal: Math.max(...runs[name].map((r) => r.vsIdeal)),
  }));
  return { ...options, rounds: limiterRounds, rows, simulation: await simulation() };
}
