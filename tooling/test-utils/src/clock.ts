/** A clock whose timers fire at once, recording each requested delay; fits core's `Clock`. */
export interface RecordingClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Every delay `retry()` asked to sleep, in order. */
  readonly delays: number[];
  /** Virtual time slept so far. */
  readonly elapsed: number;
}

/** A deterministic clock: sleeps take no real time, delays are recorded. */
export function recordingClock(): RecordingClock {
  const delays: number[] = [];
  let elapsed = 0;
  const cancelled = new Set<number>();
  let next = 0;
  return {
    delays,
    get elapsed() {
      return elapsed;
    },
    setTimeout(callback, ms) {
      const id = ++next;
      delays.push(ms);
      queueMicrotask(() => {
        if (cancelled.has(id)) return;
        elapsed += ms;
        callback();
      });
      return id;
    },
    clearTimeout(handle) {
      cancelled.add(handle as number);
    },
  };
}

/** mulberry32: a seeded random source in [0, 1) for reproducible jitter. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
