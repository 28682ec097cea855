// The harness of every timed figure: contenders run in turn in one process.
// Each round times one batch of every contender back to back, in alternating
// order (A B C, then C B A), so that a slow patch of a busy machine (another
// process, a GC, a frequency change) falls on all of them alike. A figure is
// then the median, over rounds, of the ratio of two contenders in the same
// round, with its p10-p90 spread: not two medians taken at different times.

/** A loop of its own per contender (new Function), so that each call site sees one callee and V8 inlines it. */
const syncLoop = () => new Function("fn", "n", "let s; for (let i = 0; i < n; i++) s = fn(); return s;");
const asyncLoop = () =>
  new Function("fn", "n", "return (async () => { let s; for (let i = 0; i < n; i++) s = await fn(); return s; })();");

/**
 * Runs `contenders` ({ name, fn, async? }) in turn: each warmed alone for `warmMs`, then `warmup`
 * untimed rounds (an eighth by default), then `rounds` timed ones of `batch` calls each. Returns ns
 * per call, per contender and round: `{ [name]: number[] }`.
 */
export async function inTurn(
  contenders,
  // A smoke run (a few rounds) checks that the figure runs, not its numbers: no timed warm-up.
  { rounds, batch, warmup = Math.max(3, Math.round(rounds / 8)), warmMs = rounds >= 10 ? 250 : 0 },
) {
  const runners = contenders.map((c) => ({ ...c, loop: c.async ? asyncLoop() : syncLoop(), ns: [] }));
  let sink;
  // Untimed first, at least ten batches and warmMs of each: the first payload of a figure must not pay for
  // warming shared code, and on a busy machine V8's optimizing compiler (a background thread) needs the time.
  for (const runner of runners) {
    const started = performance.now();
    for (let n = 0; n < 10 || performance.now() - started < warmMs; n++) sink = await runner.loop(runner.fn, batch);
  }
  for (let round = -warmup; round < rounds; round++) {
    const order = round % 2 === 0 ? runners : [...runners].reverse();
    for (const runner of order) {
      const started = performance.now();
      sink = runner.loop(runner.fn, batch);
      if (runner.async) sink = await sink;
      const elapsed = performance.now() - started;
      if (round >= 0) runner.ns.push((elapsed * 1e6) / batch);
    }
  }
  globalThis.__benchSink = sink;
  return Object.fromEntries(runners.map((r) => [r.name, r.ns]));
}

const quantile = (sorted, q) => {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
};

/** Median and p10/p90 of a list of numbers. */
export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9) };
}

/** The per-round ratios `a / b` of two contenders' timings, summarised. */
export function ratio(a, b) {
  return summary(a.map((ns, round) => ns / b[round]));
}

/** Each contender's median ns per call, and the per-round ratios of `names` to `base`, summarised. */
export function versus(ns, base, names) {
  return {
    ns: Object.fromEntries(Object.entries(ns).map(([name, values]) => [name, summary(values).median])),
    ratios: Object.fromEntries(names.map((name) => [name, ratio(ns[name], ns[base])])),
  };
}
