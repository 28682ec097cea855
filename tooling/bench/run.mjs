// `npm run bench`: every figure in its own process, then BENCHMARKS.md, made
// whole from this one run (and before.json, the figures of 2026-11-22 kept for
// comparison), so that a re-run regenerates it without hand edits.
// `--smoke` runs each figure with minimal work and prints the markdown instead.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const root = join(here, "..", "..");
export const FIGURES = ["parse", "response", "retry", "memory", "mask", "size", "coldstart", "limiter"];
/** Node flags a figure needs. */
const FLAGS = { memory: ["--expose-gc"] };
/** The goals of issue 18, each a bound on a median. */
export const GOALS = { parse: 1.2, response: 1.2, retry: 1.2, maskMs: 10, noStack: 0.5, parseAloneBytes: 8500 };
const FULL = { rounds: 60, batch: 100, sleeps: 40, errors: 10_000, runs: 15, maskRuns: 5, limiterRounds: 3 };
export const SMOKE = {
  rounds: 2,
  batch: 2,
  sleeps: 2,
  errors: 50,
  runs: 1,
  maskRuns: 1,
  limiterRounds: 1,
  limiterCallers: 2,
  limiterRequests: 2,
};

/** Runs one figure in a fresh process and returns its JSON result. */
export function figure(name, options) {
  const code = `import(${JSON.stringify(join(here, `${name}.mjs`))}).then(async (m) => console.log(JSON.stringify(await m.measure(${JSON.stringify({ ...options, runs: name === "mask" ? options.maskRuns : options.runs })}))))`;
  const args = [...(FLAGS[name] ?? []), "-e", code];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 }));
}

/** The figures of 2026-11-22, before issue 15 took zod/mini out of every dist. */
export const BEFORE = JSON.parse(readFileSync(join(here, "before.json"), "utf8"));

const f = (n, digits = 0) =>
  n === undefined ? "-" : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const x = (r) => `${r.toFixed(2)}×`;
/** A per-round ratio: its median, then the p10-p90 spread. */
const spread = (s) => `${x(s.median)} (${s.p10.toFixed(2)}–${s.p90.toFixed(2)})`;
const verdict = (ok) => (ok ? "met" : "**missed**");
const worst = (rows, pick) => rows.reduce((a, b) => (pick(b) > pick(a) ? b : a));

export function markdown(results, meta, before = BEFORE) {
  const { parse, response, retry, memory, mask, size, coldstart } = results;
  const worstParse = worst(parse.rows, (r) => r.vsOpenai.ours.median);
  const worstBare = worst(parse.rows, (r) => r.vsOpenai.noStack.median);
  const worstAlone = worst(
    size.alone.filter((r) => r.name.startsWith("parseError")),
    (r) => r.gzip,
  );
  const worstResponse = worst(response.rows, (r) => r.vsOpenai.ours.median);
  const worstCold = worst(coldstart.rows, (r) => r.ratio.median);
  const worstCodec = worst(coldstart.codecs, (r) => r.excess.median);
  const worstMask = worst(mask.rows, (r) => r.median);
  const mem = memory.rows;
  const lines = [
    "# Benchmarks",
    "",
    `Made by \`npm run bench\` on ${meta.date} in one run. Machine: ${meta.cpu}, ${meta.cores} cores, Node ${meta.node};`,
    `load average ${meta.load} at the start (other processes share the cores, so absolute times are context only).`,
    "",
    "How to read it: the contenders of a figure run **in turn** in one process. Each round times one batch of",
    "every contender back to back, in alternating order, and a ratio is taken between two contenders of the",
    "same round. A figure is the **median of those per-round ratios**, with the p10–p90 of the ratios beside it.",
    `Parse and fromResponse: ${parse.rounds} rounds; batches of ${parse.batch} calls (fromResponse ${Math.max(1, Math.round(parse.batch / 4))}, retry ${parse.batch * 10}).`,
    "Reproduce: `npm install && npm run bench` (it builds first; `node tooling/bench/run.mjs --smoke` checks it runs).",
    "",
    "## Goals",
    "",
    "| goal | measured | verdict |",
    "|---|---|---|",
    `| \`parseError(text)\` at most ${GOALS.parse}× openai's \`APIError.generate\` on the same body, every payload | worst ${x(worstParse.vsOpenai.ours.median)} (${worstParse.protocol}, ${worstParse.payload}) | ${verdict(worstParse.vsOpenai.ours.median <= GOALS.parse)} |`,
    `| \`parseError(text, { stack: false })\` at most ${GOALS.noStack}× openai's generate, every payload | worst ${x(worstBare.vsOpenai.noStack.median)} (${worstBare.protocol}, ${worstBare.payload}) | ${verdict(worstBare.vsOpenai.noStack.median <= GOALS.noStack)} |`,
    `| one protocol's \`parseError\` alone, with core, at most ${f(GOALS.parseAloneBytes)} B gzip | worst ${f(worstAlone.gzip)} B (${worstAlone.name}) | ${verdict(worstAlone.gzip <= GOALS.parseAloneBytes)} |`,
    `| \`fromResponse(res)\` at most ${GOALS.response}× \`await res.json()\` plus generate | worst ${x(worstResponse.vsOpenai.ours.median)} (${worstResponse.protocol}, ${worstResponse.payload}) | ${verdict(worstResponse.vsOpenai.ours.median <= GOALS.response)} |`,
    `| \`retry(fn)\` on success at most ${GOALS.retry}× \`await fn().catch(h)\` | ${x(retry.vsFloor.ours.median)} | ${verdict(retry.vsFloor.ours.median <= GOALS.retry)} |`,
    `| memory per error no more than openai's \`APIError\` (${f(mem.openai.builtBytes)} B) | ${f(mem.ours.builtBytes)} B (the stack is the caller's, taken by core's \`atCaller\`) | ${verdict(mem.ours.builtBytes <= mem.openai.builtBytes)} |`,
    `| \`redactSecrets\` under ${GOALS.maskMs} ms on 1 MiB of every hostile input (median) | worst ${f(worstMask.median, 1)} ms (${worstMask.label}) | ${verdict(worstMask.median < GOALS.maskMs)} |`,
    `| cold start of every main entry at most ${coldstart.goals.main}× a bare \`node\` start | worst ${x(worstCold.ratio.median)} (${worstCold.name}) | ${verdict(worstCold.ratio.median <= coldstart.goals.main)} |`,
    `| a codec subpath's cold start at most ${coldstart.goals.codecExcess}× above its codec alone | worst +${worstCodec.excess.median.toFixed(2)}× (${worstCodec.name}) | ${verdict(worstCodec.excess.median <= coldstart.goals.codecExcess)} |`,
    "| stack traces stay and point at the caller's code | `atCaller` tests in `packages/core/src/stack.test.ts` | met (by test) |",
    "",
    "## 1. `parseError(text)` beside the peers",
    "",
    "Each peer gets the same body text and does what its client does with an error body: `JSON.parse`, then",
    "openai's and anthropic's `APIError.generate(status, body, undefined, headers)`, stripe's",
    "`StripeError.generate(body.error)` with `statusCode` and `headers` set. Status: the payload's, else 400.",
    "Every ratio is against openai in the same round. *floor*: `JSON.parse(text)` then `new Error(message)`.",
    "",
    `*stack: false*: the same \`parseError(text, { ...context, stack: false })\`, in the same rounds (goal ≤ ${GOALS.noStack}×).`,
    "",
    "| protocol | payload | ours (ns) | ours / openai | goal | stack: false / openai | goal | anthropic / openai | stripe / openai | floor / openai |",
    "|---|---|---:|---:|---|---:|---|---:|---:|---:|",
    ...parse.rows.map(
      (r) =>
        `| ${r.protocol} | ${r.payload} | ${f(r.ns.ours)} | ${spread(r.vsOpenai.ours)} | ${verdict(r.vsOpenai.ours.median <= GOALS.parse)} | ${spread(r.vsOpenai.noStack)} | ${verdict(r.vsOpenai.noStack.median <= GOALS.noStack)} | ${spread(r.vsOpenai.anthropic)} | ${spread(r.vsOpenai.stripe)} | ${spread(r.vsOpenai.floor)} |`,
    ),
    "",
    "Binary codecs, run in turn (median ns per call):",
    "",
    "| codec | bytes | median (ns) |",
    "|---|---:|---:|",
    ...parse.binary.map((r) => `| ${r.name} | ${r.bytes} | ${f(r.ns)} |`),
    "",
    "## 2. `fromResponse(res)` beside `await res.json()` plus generate",
    "",
    "Every contender builds its own `Response` from the same body inside the batch. *text only*: `res.text()` alone.",
    "",
    "| protocol | payload | status | ours (ns) | ours / openai | goal | anthropic / openai | stripe / openai | text only / openai |",
    "|---|---|---:|---:|---:|---|---:|---:|---:|",
    ...response.rows.map(
      (r) =>
        `| ${r.protocol} | ${r.payload} | ${r.status} | ${f(r.ns.ours)} | ${spread(r.vsOpenai.ours)} | ${verdict(r.vsOpenai.ours.median <= GOALS.response)} | ${spread(r.vsOpenai.anthropic)} | ${spread(r.vsOpenai.stripe)} | ${spread(r.vsOpenai.textOnly)} |`,
    ),
    "",
    "## 3. `retry()` around an operation that succeeds at once",
    "",
    "The floor of any wrapper: `await fn().catch(h)` (it must observe a rejection). p-retry with `{ retries: 2 }`,",
    "cockatiel's `retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }).execute(fn)`.",
    "",
    "| contender | median (ns) | ratio to the floor | goal |",
    "|---|---:|---:|---|",
    `| \`await fn()\` | ${f(retry.ns.direct)} | ${spread(retry.vsFloor.direct)} | |`,
    `| \`await fn().catch(h)\` (floor) | ${f(retry.ns.floor)} | 1.00× | |`,
    `| \`await retry(fn)\` | ${f(retry.ns.ours)} | ${spread(retry.vsFloor.ours)} | ≤ ${GOALS.retry}×: ${verdict(retry.vsFloor.ours.median <= GOALS.retry)} |`,
    `| \`await pRetry(fn)\` | ${f(retry.ns.pRetry)} | ${spread(retry.vsFloor.pRetry)} | |`,
    `| cockatiel \`policy.execute(fn)\` | ${f(retry.ns.cockatiel)} | ${spread(retry.vsFloor.cockatiel)} | |`,
    "",
    `Backoff timer lateness over ${retry.lateness.sleeps} sleeps of 10 ms: median ${f(retry.lateness.median, 2)} ms, p90 ${f(retry.lateness.p90, 2)} ms.`,
    "",
    "## 4. Memory per error",
    "",
    `Heap kept alive per error (node --expose-gc; ${f(memory.errors)} errors held, a full GC before each reading), on ${memory.payload}.`,
    "V8 formats `stack` on first read; the second column is after every error's stack was read.",
    "",
    "| contender | bytes per error, as built | after reading `stack` | vs openai, as built |",
    "|---|---:|---:|---:|",
    ...Object.entries(mem).map(
      ([name, r]) =>
        `| ${{ ours: "ours", noStack: "ours, stack: false", openai: "openai", anthropic: "anthropic", stripe: "stripe" }[name] ?? name} | ${f(r.builtBytes)} | ${f(r.withStackBytes)} | ${x(r.builtBytes / mem.openai.builtBytes)} |`,
    ),
    "",
    "## 5. Masking: `redactSecrets` on 1 MiB of hostile text",
    "",
    `One unit repeated to 1 MiB; ${mask.runs} runs each. *first*: the first call (code not yet optimized for that input), as a`,
    `peer gets it; median and p90 over the later runs. Goal: under ${GOALS.maskMs} ms.`,
    "",
    "| input | first (ms) | median (ms) | p90 (ms) | goal |",
    "|---|---:|---:|---:|---|",
    ...mask.rows.map(
      (r) =>
        `| ${r.label.replaceAll("|", "\\|")} | ${f(r.firstMs, 1)} | ${f(r.median, 1)} | ${f(r.p90, 1)} | ${verdict(r.median < GOALS.maskMs)} |`,
    ),
    "",
    `**1 MiB holding 10,000 secrets** (${f(mask.dense.bytes)} characters; a GitHub token by form and a \`token=\` value by key, among`,
    `ordinary words): ${f(mask.dense.masks)} masked, ${f(mask.dense.wordsKept)} of 10,000 ordinary words kept; first call ${f(mask.dense.firstMs, 1)} ms, median`,
    `${f(mask.dense.median, 1)} ms. Growth from 1/16 of the size, as a CPU-time ratio normalised by the factor: ${mask.dense.growth.toFixed(2)}`,
    "(about 1 is linear, 16 quadratic). No cap replaces text: every secret is masked, every other character kept.",
    "",
    "## 6. Bundle size, after and before",
    "",
    "Each package's whole public API with its dependencies, bundled by esbuild for a browser, minified; gzip level 9",
    `and brotli quality 11. *Before*: ${before.label}, from before.json. Budgets: each package.json (tooling/size/entries.mjs), judged by`,
    "size-limit's own measure (`npm run size`), which reads a few percent below this bundle.",
    "",
    `| bundle | gzip, ${before.label} (B) | gzip, after (B) | min, after (B) | brotli, after (B) | size-limit (B) | budget (gzip) | goal |`,
    "|---|---:|---:|---:|---:|---:|---:|---|",
    ...size.packages.map(
      (r) =>
        `| ${r.name} | ${f(before.size.packages[r.file]?.gzip)} | ${f(r.gzip)} | ${f(r.min)} | ${f(r.brotli)} | ${f(r.sizeLimitGzip)} | ${f(r.budget)} | ${verdict(r.sizeLimitGzip <= r.budget)} |`,
    ),
    ...size.alone.map(
      (r) =>
        `| ${r.name} | - | ${f(r.gzip)} | ${f(r.min)} | ${f(r.brotli)} | - | ${r.name.startsWith("parseError") ? `${f(GOALS.parseAloneBytes)} (issue 31)` : "-"} | ${r.name.startsWith("parseError") ? verdict(r.gzip <= GOALS.parseAloneBytes) : "-"} |`,
    ),
    ...size.anchors.map(
      (r) =>
        `| *anchor:* ${r.name} | ${f(before.size.anchors[r.name]?.gzip)} | ${f(r.gzip)} | ${f(r.min)} | ${f(r.brotli)} | - | - | - |`,
    ),
    "",
    "## 7. Cold start, after and before",
    "",
    `CPU time (user + system) of a whole \`node -e "import('…')"\` process against a bare \`node -e ""\`, the processes in turn: ${coldstart.runs}`,
    "rounds, each starting every process once in alternating order; each ratio is taken within its round (median, p10–p90).",
    `Bare start ${f(coldstart.bareMs, 1)} ms of CPU now (median), ${f(before.coldstart.bareMs, 1)} ms ${before.date}. Goals (issue 31): every main entry at most`,
    `${coldstart.goals.main}× the bare start; a codec subpath at most ${coldstart.goals.codecExcess}× of the bare start above importing its codec library alone.`,
    "",
    `| import | ${before.label}: CPU (ms), ratio | after: CPU (ms) | after: ratio (p10–p90) | goal |`,
    "|---|---:|---:|---:|---|",
    ...coldstart.rows.map((r) => {
      const old = before.coldstart.rows[r.name];
      return `| \`${r.name}\` | ${old ? `${f(old.ms, 1)}, ${x(old.ratio)}` : "-"} | ${f(r.ms, 1)} | ${spread(r.ratio)} | ${verdict(r.ratio.median <= coldstart.goals.main)} |`;
    }),
    "",
    "| codec subpath | its codec alone: ratio (p10–p90) | the subpath: ratio (p10–p90) | above the codec alone (p10–p90) | goal |",
    "|---|---:|---:|---:|---|",
    ...coldstart.codecs.map(
      (r) =>
        `| \`${r.name}\` (\`${r.library.name}\`) | ${spread(r.library.ratio)} | ${spread(r.ratio)} | +${r.excess.median.toFixed(2)}× (${r.excess.p10.toFixed(2)}–${r.excess.p90.toFixed(2)}) | ${verdict(r.excess.median <= coldstart.goals.codecExcess)} |`,
    ),
    "",
  ];
  if (results.limiter) lines.push(...limiterSection(results.limiter, meta));
  if (meta.notes) lines.push("## Notes", "", meta.notes.trim(), "");
  return lines.join("\n");
}

/** The goals of issue 29 for the limiter, after the first second. */
export const LIMITER_GOALS = { refused: 0.15, vsIdeal: 1.6 };
const LIMITER_NAMES = {
  none: "no limiter (backoff only, as before)",
  fixed: "fixed rate, 100/s",
  ours: "`rateLimiter()`",
  smithy: "smithy `DefaultRateLimiter`",
};
const pct = (r) => `${(r * 100).toFixed(1)}%`;

/** Section 8; `--only limiter` replaces just this section in BENCHMARKS.md. */
export function limiterSection(limiter, meta) {
  const ideal = ((limiter.callers * limiter.requests) / limiter.rate).toFixed(1);
  return [
    "## 8. Rate limiter: callers sharing one throttling server",
    "",
    `${limiter.callers} callers send ${limiter.requests} requests each, one after another, through \`retry()\`, to a loopback`,
    `server that takes ${limiter.rate} a second (a token bucket of 10) and refuses the rest with 429 and no \`Retry-After\`;`,
    `ideal time ${ideal} s. The contenders run in turn in one process (${limiter.rounds} rounds, alternating order, each`,
    "against a fresh server; medians, with the worst round beside them). smithy's limiter is `@smithy/util-retry`'s",
    "`DefaultRateLimiter` (the AWS SDK's adaptive mode) behind the same `retry()`. The fixed-rate client is told the",
    "server's rate, which a real client does not know (see the fleet below).",
    meta.limiterRun ? `This section: ${meta.limiterRun}.` : "",
    "",
    `| client | attempts | refused after the first second | time | vs ideal | goal (≤ ${pct(LIMITER_GOALS.refused)}, ≤ ${LIMITER_GOALS.vsIdeal}×) |`,
    "|---|---:|---:|---:|---:|---|",
    ...limiter.rows.map(
      (r) =>
        `| ${LIMITER_NAMES[r.name] ?? r.name} | ${f(r.attempts)} | ${pct(r.refusedAfterFirstSecond)} (worst ${pct(r.worstRefused)}) | ${f(r.ms / 1000, 2)} s | ${x(r.vsIdeal)} (worst ${x(r.worstVsIdeal)}) | ${r.name === "ours" ? verdict(r.worstRefused <= LIMITER_GOALS.refused && r.worstVsIdeal <= LIMITER_GOALS.vsIdeal) : ""} |`,
    ),
    "",
    "**Fleet simulation** (core's `rate-limiter.simulation.ts`, the model its tests run, here on the same",
    "virtual clock): independent processes, each with its own limiter and no shared store, against one server",
    "model of 100/s (token bucket of 10, 2 ms round trip), 15 requests per caller. Exact and repeatable: no wall clock.",
    "",
    "| fleet | attempts | refused after the first second | time (virtual) | vs ideal |",
    "|---|---:|---:|---:|---:|",
    ...limiter.simulation.map(
      (r) =>
        `| ${r.label} | ${f(r.attempts)} | ${pct(r.refusedShareAfterFirstSecond)} | ${f(r.timeMs / 1000, 2)} s | ${x(r.timeRatio)} |`,
    ),
    "",
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const smoke = process.argv.includes("--smoke");
  // `--only limiter`: run that figure alone and replace its section of BENCHMARKS.md.
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
  if (only === "limiter") {
    const limiter = figure("limiter", smoke ? SMOKE : FULL);
    const run = `${new Date().toISOString().slice(0, 10)}, one run of \`node tooling/bench/run.mjs --only limiter\`, ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.versions.node}, load average ${loadavg()[0].toFixed(1)} at the start`;
    const section = limiterSection(limiter, { limiterRun: run }).join("\n");
    if (smoke) console.log(section);
    else {
      const file = join(root, "BENCHMARKS.md");
      const text = readFileSync(file, "utf8");
      const start = text.indexOf("## 8. Rate limiter");
      const notes = text.indexOf("## Notes");
      const end = start === -1 ? notes : text.indexOf("\n## ", start + 1) + 1 || text.length;
      const at = start === -1 ? (notes === -1 ? text.length : notes) : start;
      writeFileSync(file, `${text.slice(0, at)}${section}\n${text.slice(start === -1 ? at : end)}`);
    }
    process.exit(0);
  }
  const options = smoke ? SMOKE : FULL;
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus()[0]?.model ?? "unknown CPU",
    cores: cpus().length,
    node: process.versions.node,
    load: loadavg()[0].toFixed(1),
  };
  const started = Date.now();
  const results = {};
  for (const name of FIGURES) {
    const at = Date.now();
    results[name] = figure(name, options);
    console.error(`bench: ${name} done in ${((Date.now() - at) / 1000).toFixed(1)} s`);
  }
  console.error(`bench: all figures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const notesFile = join(here, "NOTES.md");
  if (existsSync(notesFile)) meta.notes = readFileSync(notesFile, "utf8");
  const text = markdown(results, meta);
  if (smoke) console.log(text);
  else writeFileSync(join(root, "BENCHMARKS.md"), text);
}
