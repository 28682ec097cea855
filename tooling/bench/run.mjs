// `npm run bench`: every figure in its own process, then BENCHMARKS.md, made
// whole from this run (and before.json, the figures of 2026-11-22 kept for
// comparison), so that a re-run regenerates it without hand edits.
// `--runs N` runs the timed figures N times (issue 31 judges each goal on the
// median of three runs); each run's ratio is shown with its p10-p90.
// `--smoke` runs each figure with minimal work and prints the markdown instead.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { summary } from "./turns.mjs";

const here = new URL(".", import.meta.url).pathname;
const root = join(here, "..", "..");
export const FIGURES = ["parse", "response", "retry", "memory", "mask", "size", "coldstart", "limiter"];
/** Node flags a figure needs. */
const FLAGS = { memory: ["--expose-gc"] };
/** The figures a run repeats under `--runs`: the timed ones. Sizes, masking and the limiter run once. */
export const TIMED = ["parse", "response", "retry", "memory", "coldstart"];
/**
 * The goals of issue 31, each a bound on the median of the runs' medians.
 * `parseError`'s bound is per payload (payloads.mjs: 1.0× or 1.15× openai).
 * The masking bound is issue 18's. Cold start's bounds come with its figure (coldstart.mjs's COLDSTART_GOALS).
 */
export const GOALS = {
  noStack: 0.5,
  memoryBytes: 650,
  response: 1.1,
  retry: 1.2,
  retryAloneBytes: 2500,
  parseAloneBytes: 8500,
  maskMs: 10,
};
const FULL = { rounds: 60, batch: 100, sleeps: 40, errors: 20_000, runs: 15, maskRuns: 5, limiterRounds: 3 };
export const SMOKE = {
  rounds: 2,
  batch: 2,
  sleeps: 2,
  // Enough errors that what they hold (about 1 MB) stands above the heap's own noise after a GC.
  errors: 1_000,
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
/** A goal's bound as issue 31 writes it: 1.0×, 1.15×, 0.5×. */
const bound = (r) => `${r.toFixed(2).replace(/0$/, "")}×`;
/** A per-round ratio: its median, then the p10-p90 spread. */
const spread = (s) => `${x(s.median)} (${s.p10.toFixed(2)}–${s.p90.toFixed(2)})`;
const verdict = (ok) => (ok ? "met" : "**missed**");
const worst = (rows, pick) => rows.reduce((a, b) => (pick(b) > pick(a) ? b : a));
const middle = (values) => summary(values).median;

/**
 * One figure's value across the runs: `pick(run)` for each run (a per-round
 * ratio summary, or a number), and the median of the runs' medians, which the goals judge.
 */
export function acrossRuns(runs, pick) {
  const values = runs.map(pick);
  const medians = values.map((v) => (typeof v === "number" ? v : v.median));
  return { values, median: middle(medians) };
}

/** Each run's ratio with its p10-p90 (or as `show` writes it), separated by semicolons. */
const eachRun = (a, show = spread) => a.values.map((v) => (typeof v === "number" ? x(v) : show(v))).join("; ");
/** A codec subpath's excess over its codec alone, in bare starts. */
const above = (s) => `+${spread(s)}`;
/** A peer's ratio: the median of the runs, each run's median beside it. */
const peerRuns = (a) =>
  a.values.length === 1
    ? spread(a.values[0])
    : `${x(a.median)} (${a.values.map((v) => v.median.toFixed(2)).join(", ")})`;
/** Bytes across runs: each run's, then the median. */
const bytesRuns = (a) =>
  a.values.length === 1 ? f(a.median) : `${a.values.map((v) => f(v)).join(", ")} → ${f(a.median)}`;

const byPayload = (r) => `${r.protocol} ${r.payload}`;
const byName = (r) => r.name;

/** A figure's rows (`rowsOf(run)`) across the runs, matched by `key` (protocol and payload) as the first run lists them. */
function rowsAcross(runs, rowsOf, key = byPayload) {
  return rowsOf(runs[0]).map((first) => {
    const rows = runs.map((run) => rowsOf(run).find((r) => key(r) === key(first)) ?? first);
    return { ...first, across: (pick) => acrossRuns(rows, pick) };
  });
}

export function markdown(results, meta, before = BEFORE) {
  const { mask, size } = results;
  // A single run's results hold the timed figures themselves; `--runs N` gives them per run.
  const runs = results.runs ?? [results];
  const n = runs.length;
  const first = runs[0];
  const parseRows = rowsAcross(runs, (run) => run.parse.rows).map((r) => ({
    ...r,
    ours: r.across((row) => row.vsOpenai.ours),
    bare: r.across((row) => row.vsOpenai.noStack),
  }));
  const responseRows = rowsAcross(runs, (run) => run.response.rows).map((r) => ({
    ...r,
    ours: r.across((row) => row.vsOpenai.ours),
  }));
  const retryOurs = acrossRuns(runs, (run) => run.retry.vsFloor.ours);
  const memoryOf = (name) => acrossRuns(runs, (run) => run.memory.rows[name]?.builtBytes ?? Number.NaN);
  const memoryRead = (name) => acrossRuns(runs, (run) => run.memory.rows[name]?.withStackBytes ?? Number.NaN);
  // Cold start (coldstart.mjs): each main entry against the bare start, each codec subpath above its codec alone.
  const coldGoals = first.coldstart.goals;
  const coldRows = rowsAcross(runs, (run) => run.coldstart.rows, byName).map((r) => ({
    ...r,
    ratios: r.across((row) => row.ratio),
    ms: r.across((row) => row.ms),
  }));
  const codecRows = rowsAcross(runs, (run) => run.coldstart.codecs, byName).map((r) => ({
    ...r,
    ratios: r.across((row) => row.ratio),
    library: { name: r.library.name, ratios: r.across((row) => row.library.ratio) },
    excess: r.across((row) => row.excess),
  }));
  const bare = acrossRuns(runs, (run) => run.coldstart.bareMs);

  const withGoal = (goal) => parseRows.filter((r) => r.goal === goal);
  const parseGoal = (goal) => {
    const rows = withGoal(goal);
    const w = worst(rows, (r) => r.ours.median);
    return `| \`parseError\` at most ${bound(goal)} openai's \`APIError.generate\` on ${rows.map((r) => `${r.protocol} ${r.payload}`).join(", ")}; the stack still points at the caller | worst ${x(w.ours.median)} (${w.protocol}, ${w.payload}) | ${verdict(w.ours.median <= goal)} |`;
  };
  const worstBare = worst(parseRows, (r) => r.bare.median);
  const worstResponse = worst(responseRows, (r) => r.ours.median);
  const alone = size.alone.filter((r) => r.name.startsWith("parseError"));
  const worstAlone = worst(alone, (r) => r.gzip);
  const retryAlone = size.packages.find((r) => r.name.endsWith("retry alone"));
  const overBudget = size.packages.filter((r) => !(r.sizeLimitGzip <= r.budget));
  const worstCold = worst(coldRows, (r) => r.ratios.median);
  const worstCodec = worst(codecRows, (r) => r.excess.median);
  const worstMask = worst(mask.rows, (r) => r.median);
  const ours = memoryOf("ours");
  const runWord = n === 1 ? "one run" : `${n} runs`;
  const lines = [
    "# Benchmarks",
    "",
    `Made by \`npm run bench\`${n === 1 ? "" : ` (\`node tooling/bench/run.mjs --runs ${n}\`)`} on ${meta.date} in ${runWord}. Machine: ${meta.cpu}, ${meta.cores} cores, Node ${meta.node};`,
    `load average ${meta.load} at the start${meta.loads && meta.loads.length > 1 ? ` of each run (${meta.loads.join(", ")})` : ""} (other processes share the cores, so absolute times are context only).`,
    "",
    "How to read it: the contenders of a figure run **in turn** in one process. Each round times one batch of",
    "every contender back to back, in alternating order, and a ratio is taken between two contenders of the",
    "same round. A figure is the **median of those per-round ratios**, with the p10–p90 of the ratios beside it.",
    "Before its rounds every contender runs alone, untimed, for at least 250 ms and ten batches, then an eighth of the rounds untimed in turn.",
    `Parse and fromResponse: ${first.parse.rounds} rounds; batches of ${first.parse.batch} calls (fromResponse ${Math.max(1, Math.round(first.parse.batch / 4))}, retry ${first.parse.batch * 10}).`,
    n === 1
      ? "One run: each goal is judged on its figure."
      : `The timed figures (1–4 and 7) ran ${n} times, each run in fresh processes; every ratio is shown per run with its p10–p90, and each goal is judged on the **median of the ${n} runs' medians**. Peers: the median of the runs, each run's median in brackets.`,
    "Reproduce: `npm install && npm run bench` (it builds first; `node tooling/bench/run.mjs --runs 3` for three runs, `--smoke` checks it runs).",
    "",
    "## Goals (issue 31)",
    "",
    "| goal | measured | verdict |",
    "|---|---|---|",
    parseGoal(1),
    parseGoal(1.15),
    `| \`parseError(input, { stack: false })\` at most ${GOALS.noStack}× openai's generate, every payload (a 207's entries included) | worst ${x(worstBare.bare.median)} (${worstBare.protocol}, ${worstBare.payload}) | ${verdict(worstBare.bare.median <= GOALS.noStack)} |`,
    `| bytes per error at most ${f(GOALS.memoryBytes)} B, ${f(first.memory.errors)} errors alive, each from its own copy of the body (openai: ${f(memoryOf("openai").median)} B) | ${f(ours.median)} B | ${verdict(ours.median <= GOALS.memoryBytes)} |`,
    `| \`fromResponse(res)\` at most ${GOALS.response}× \`await res.json()\` plus generate, every HTTP payload | worst ${x(worstResponse.ours.median)} (${worstResponse.protocol}, ${worstResponse.payload}) | ${verdict(worstResponse.ours.median <= GOALS.response)} |`,
    `| \`retry(fn)\` on success at most ${GOALS.retry}× \`await fn().catch(h)\` | ${x(retryOurs.median)} | ${verdict(retryOurs.median <= GOALS.retry)} |`,
    `| \`retry\` alone, with core, at most ${f(GOALS.retryAloneBytes)} B gzip | ${retryAlone ? `${f(retryAlone.gzip)} B` : "not measured"} | ${retryAlone ? verdict(retryAlone.gzip <= GOALS.retryAloneBytes) : "**missed**"} |`,
    `| each protocol's \`parseError\` alone, with core, at most ${f(GOALS.parseAloneBytes)} B gzip | worst ${f(worstAlone.gzip)} B (${worstAlone.name}) | ${verdict(worstAlone.gzip <= GOALS.parseAloneBytes)} |`,
    `| whole entries within their budgets (\`.size-limit.mjs\`, size-limit's measure) | ${overBudget.length === 0 ? `all ${size.packages.length} within` : overBudget.map((r) => `${r.name} ${f(r.sizeLimitGzip)} B over ${f(r.budget)} B`).join("; ")} | ${verdict(overBudget.length === 0)} |`,
    `| cold start of every main entry at most ${coldGoals.main}× a bare \`node\` start | worst ${x(worstCold.ratios.median)} (${worstCold.name}) | ${verdict(worstCold.ratios.median <= coldGoals.main)} |`,
    `| a codec subpath's cold start at most ${coldGoals.codecExcess}× of a bare start above its codec alone | worst +${x(worstCodec.excess.median)} (${worstCodec.name}) | ${verdict(worstCodec.excess.median <= coldGoals.codecExcess)} |`,
    `| \`redactSecrets\` under ${GOALS.maskMs} ms on 1 MiB of every hostile input (median; issue 18) | worst ${f(worstMask.median, 1)} ms (${worstMask.label}) | ${verdict(worstMask.median < GOALS.maskMs)} |`,
    "| stack traces stay and point at the caller's code | `packages/core/src/stack.test.ts`, the conformance suite | met (by test) |",
    "",
    "## 1. `parseError(input)` beside the peers",
    "",
    "Each peer gets the same input and does what its client does with an error body: `JSON.parse` (MessagePack:",
    "`@msgpack/msgpack`'s `decode`), then openai's and anthropic's `APIError.generate(status, body, undefined, headers)`,",
    "stripe's `StripeError.generate(body.error)` with `statusCode` and `headers` set; for a 207 answer, one error per",
    "entry (ours: `parseBatchResponse`). Status: the payload's, else 400. Every ratio is against openai in the same",
    "round. *floor*: decoding the input, then `new Error(message)` per body.",
    "",
    `*stack: false*: the same call with \`stack: false\`, in the same rounds (goal ≤ ${GOALS.noStack}×).`,
    "",
    `| protocol | payload | ours (ns)${n === 1 ? "" : ", run 1"} | ours / openai${n === 1 ? "" : ", each run"} | ${n === 1 ? "" : `median of ${n} | `}goal | stack: false / openai${n === 1 ? "" : ", each run"} | ${n === 1 ? "" : `median of ${n} | `}goal | anthropic / openai | stripe / openai | floor / openai |`,
    `|---|---|---:|---:|${n === 1 ? "" : "---:|"}---|---:|${n === 1 ? "" : "---:|"}---|---:|---:|---:|`,
    ...parseRows.map((r) => {
      const med = (a) => (n === 1 ? "" : `${x(a.median)} | `);
      const goalCell = (a, goal) => (goal === undefined ? "-" : `≤ ${bound(goal)}: ${verdict(a.median <= goal)}`);
      return `| ${r.protocol} | ${r.payload} | ${f(r.ns.ours)} | ${eachRun(r.ours)} | ${med(r.ours)}${goalCell(r.ours, r.goal)} | ${eachRun(r.bare)} | ${med(r.bare)}${goalCell(r.bare, GOALS.noStack)} | ${peerRuns(r.across((row) => row.vsOpenai.anthropic))} | ${peerRuns(r.across((row) => row.vsOpenai.stripe))} | ${peerRuns(r.across((row) => row.vsOpenai.floor))} |`;
    }),
    "",
    "Binary codecs, run in turn (median ns per call, first run):",
    "",
    "| codec | bytes | median (ns) |",
    "|---|---:|---:|",
    ...first.parse.binary.map((r) => `| ${r.name} | ${r.bytes} | ${f(r.ns)} |`),
    "",
    "## 2. `fromResponse(res)` beside `await res.json()` plus generate",
    "",
    "Every contender builds its own `Response` from the same body inside the batch. *text only*: `res.text()` alone.",
    "",
    `| protocol | payload | status | ours (ns)${n === 1 ? "" : ", run 1"} | ours / openai${n === 1 ? "" : ", each run"} | ${n === 1 ? "" : `median of ${n} | `}goal | anthropic / openai | stripe / openai | text only / openai |`,
    `|---|---|---:|---:|---:|${n === 1 ? "" : "---:|"}---|---:|---:|---:|`,
    ...responseRows.map(
      (r) =>
        `| ${r.protocol} | ${r.payload} | ${r.status} | ${f(r.ns.ours)} | ${eachRun(r.ours)} | ${n === 1 ? "" : `${x(r.ours.median)} | `}≤ ${GOALS.response}×: ${verdict(r.ours.median <= GOALS.response)} | ${peerRuns(r.across((row) => row.vsOpenai.anthropic))} | ${peerRuns(r.across((row) => row.vsOpenai.stripe))} | ${peerRuns(r.across((row) => row.vsOpenai.textOnly))} |`,
    ),
    "",
    "## 3. `retry()` around an operation that succeeds at once",
    "",
    "The floor of any wrapper: `await fn().catch(h)` (it must observe a rejection). p-retry with `{ retries: 2 }`,",
    "cockatiel's `retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }).execute(fn)`.",
    "",
    `| contender | median (ns)${n === 1 ? "" : ", run 1"} | ratio to the floor${n === 1 ? "" : ", each run"} | ${n === 1 ? "" : `median of ${n} | `}goal |`,
    `|---|---:|---:|${n === 1 ? "" : "---:|"}---|`,
    ...[
      ["`await fn()`", "direct"],
      ["`await fn().catch(h)` (floor)", "floor"],
      ["`await retry(fn)`", "ours"],
      ["`await pRetry(fn)`", "pRetry"],
      ["cockatiel `policy.execute(fn)`", "cockatiel"],
    ].map(([label, name]) => {
      if (name === "floor") return `| ${label} | ${f(first.retry.ns.floor)} | 1.00× | ${n === 1 ? "" : "1.00× | "} |`;
      const a = acrossRuns(runs, (run) => run.retry.vsFloor[name]);
      const goal = name === "ours" ? `≤ ${GOALS.retry}×: ${verdict(a.median <= GOALS.retry)}` : "";
      return `| ${label} | ${f(first.retry.ns[name])} | ${eachRun(a)} | ${n === 1 ? "" : `${x(a.median)} | `}${goal} |`;
    }),
    "",
    `Backoff timer lateness over ${first.retry.lateness.sleeps} sleeps of 10 ms (first run): median ${f(first.retry.lateness.median, 2)} ms, p90 ${f(first.retry.lateness.p90, 2)} ms.`,
    "",
    "## 4. Memory per error",
    "",
    `Heap kept alive per error (node --expose-gc; ${f(first.memory.errors)} errors held, each from its own copy of the body, a full GC before each reading), on ${first.memory.payload}.`,
    `V8 formats \`stack\` on first read; the second column is after every error's stack was read.${n === 1 ? "" : ` Each run's figure, then the median of ${n}.`}`,
    "",
    `| contender | bytes per error, as built | after reading \`stack\` | vs openai, as built | goal |`,
    "|---|---:|---:|---:|---|",
    ...Object.keys(first.memory.rows).map((name) => {
      const built = memoryOf(name);
      const label =
        { ours: "ours", noStack: "ours, stack: false", openai: "openai", anthropic: "anthropic", stripe: "stripe" }[
          name
        ] ?? name;
      const goal = name === "ours" ? `≤ ${f(GOALS.memoryBytes)} B: ${verdict(built.median <= GOALS.memoryBytes)}` : "";
      return `| ${label} | ${bytesRuns(built)} | ${bytesRuns(memoryRead(name))} | ${x(built.median / memoryOf("openai").median)} | ${goal} |`;
    }),
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
    `CPU time (user + system) of a whole \`node -e "import('…')"\` process against a bare \`node -e ""\`, the processes in turn: ${first.coldstart.runs}`,
    "rounds, each starting every process once in alternating order; each ratio is taken within its round (median, p10–p90).",
    `Bare start ${n === 1 ? f(bare.median, 1) : bare.values.map((v) => f(v, 1)).join(", ")} ms of CPU now (median${n === 1 ? "" : ", each run"}), ${f(before.coldstart.bareMs, 1)} ms ${before.date}. Goals (issue 31): every main entry at most`,
    `${coldGoals.main}× the bare start; a codec subpath at most ${coldGoals.codecExcess}× of the bare start above importing its codec library alone.`,
    "",
    `| import | ${before.label}: CPU (ms), ratio | after: CPU (ms)${n === 1 ? "" : ", each run"} | after: ratio (p10–p90)${n === 1 ? "" : ", each run"} | ${n === 1 ? "" : `median of ${n} | `}goal |`,
    `|---|---:|---:|---:|${n === 1 ? "" : "---:|"}---|`,
    ...coldRows.map((r) => {
      const old = before.coldstart.rows[r.name];
      return `| \`${r.name}\` | ${old ? `${f(old.ms, 1)}, ${x(old.ratio)}` : "-"} | ${r.ms.values.map((v) => f(v, 1)).join(", ")} | ${eachRun(r.ratios)} | ${n === 1 ? "" : `${x(r.ratios.median)} | `}≤ ${bound(coldGoals.main)}: ${verdict(r.ratios.median <= coldGoals.main)} |`;
    }),
    "",
    `| codec subpath | its codec alone: ratio (p10–p90)${n === 1 ? "" : ", each run"} | the subpath: ratio (p10–p90)${n === 1 ? "" : ", each run"} | above the codec alone (p10–p90)${n === 1 ? "" : ", each run"} | ${n === 1 ? "" : `median of ${n} | `}goal |`,
    `|---|---:|---:|---:|${n === 1 ? "" : "---:|"}---|`,
    ...codecRows.map(
      (r) =>
        `| \`${r.name}\` (\`${r.library.name}\`) | ${eachRun(r.library.ratios)} | ${eachRun(r.ratios)} | ${eachRun(r.excess, above)} | ${n === 1 ? "" : `+${x(r.excess.median)} | `}≤ +${bound(coldGoals.codecExcess)}: ${verdict(r.excess.median <= coldGoals.codecExcess)} |`,
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
  const count = process.argv.includes("--runs") ? Number(process.argv[process.argv.indexOf("--runs") + 1]) : 1;
  if (!Number.isInteger(count) || count < 1) throw new RangeError("--runs takes a whole number of runs, 1 or more");
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus()[0]?.model ?? "unknown CPU",
    cores: cpus().length,
    node: process.versions.node,
    load: loadavg()[0].toFixed(1),
    loads: [],
  };
  const started = Date.now();
  const timed = (name) => {
    const at = Date.now();
    const result = figure(name, options);
    console.error(`bench: ${name} done in ${((Date.now() - at) / 1000).toFixed(1)} s`);
    return result;
  };
  // The timed figures once per run, a run after another; the others once.
  const runs = [];
  for (let run = 0; run < count; run++) {
    meta.loads.push(loadavg()[0].toFixed(1));
    runs.push(Object.fromEntries(TIMED.map((name) => [name, timed(name)])));
  }
  const results = { ...runs[0], runs };
  for (const name of FIGURES.filter((name) => !TIMED.includes(name))) results[name] = timed(name);
  console.error(`bench: all figures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const notesFile = join(here, "NOTES.md");
  if (existsSync(notesFile)) meta.notes = readFileSync(notesFile, "utf8");
  const text = markdown(results, meta);
  if (smoke) console.log(text);
  else writeFileSync(join(root, "BENCHMARKS.md"), text);
}
