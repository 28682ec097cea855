/**
 * How a cost grows with its input, as a ratio of CPU times, never as a
 * wall-clock bound: load neither inflates CPU time nor reaches a ratio, so it
 * holds where a time limit would not. `make(scale)` builds the work for an input `scale` times
 * the base size and returns it as a thunk; the work at `factor` times the
 * size is timed against the base, each the fastest of `rounds` alternating
 * samples of CPU time (the minimum is what noise cannot inflate). A sample
 * repeats a thunk until it has run for {@link SAMPLE_MS}, so that
 * sub-millisecond work is measured, not the clock's resolution.
 *
 * The result is normalised by the factor: about 1 for linear work, about
 * `factor` for quadratic. {@link LINEAR_GROWTH} is the bound tests use.
 */
export function growth(make: (scale: number) => () => unknown, { factor = 16, rounds = 5 } = {}): number {
  const small = make(1);
  const large = make(factor);
  small();
  large();
  let base = Number.POSITIVE_INFINITY;
  let big = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    base = Math.min(base, timed(small));
    big = Math.min(big, timed(large));
  }
  return big / base / factor;
}

/**
 * The bound on {@link growth} for "linear time": linear work reads about 1
 * (0.95–1.03 at a load average of 11 on 2 cores; a larger input can miss more
 * cache), quadratic work at the default factor reads about 16.
 */
export const LINEAR_GROWTH = 6;

/**
 * What a hostile input costs against an ordinary input of the same size, as a
 * ratio of CPU times (each the fastest of `rounds` alternating samples): about
 * 1 when the hostile input costs what the ordinary one does. No wall-clock
 * bound: load inflates both sides alike, and neither reaches the ratio.
 */
export function costRatio(ordinary: () => unknown, hostile: () => unknown, { rounds = 5 } = {}): number {
  ordinary();
  hostile();
  let base = Number.POSITIVE_INFINITY;
  let cost = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    base = Math.min(base, timed(ordinary));
    cost = Math.min(cost, timed(hostile));
  }
  return cost / base;
}

/**
 * The CPU time of an async run: for readers of a streamed body. Load can
 * inflate it (the loop may run other work between reads), so only ratios of
 * it are compared, never a figure.
 */
export async function cpuTimeAsync(run: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  await run();
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}

/** {@link costRatio} for async work: the fastest of `rounds` alternating runs of each. */
export async function costRatioAsync(
  ordinary: () => Promise<unknown>,
  hostile: () => Promise<unknown>,
  { rounds = 5 } = {},
): Promise<number> {
  await ordinary();
  await hostile();
  let base = Number.POSITIVE_INFINITY;
  let cost = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    base = Math.min(base, await cpuTimeAsync(ordinary));
    cost = Math.min(cost, await cpuTimeAsync(hostile));
  }
  // A run too short for the clock's resolution counts as one tick.
  return Math.max(cost, 0.001) / Math.max(base, 0.001);
}

/** How much CPU time one sample spends on its thunk, repeated: enough to swamp the clock's resolution. */
const SAMPLE_MS = 5;

/**
 * The CPU time of one run, averaged over as many runs as fill a sample. CPU
 * time, not wall time: on a loaded machine a longer sample is preempted more
 * often, which would inflate the larger input's figure alone.
 */
function timed(run: () => unknown): number {
  const started = process.cpuUsage();
  let runs = 0;
  let elapsed = 0;
  do {
    run();
    runs++;
    const { user, system } = process.cpuUsage(started);
    elapsed = (user + system) / 1000;
  } while (elapsed < SAMPLE_MS);
  return elapsed / runs;
}
