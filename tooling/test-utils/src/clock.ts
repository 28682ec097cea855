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

/** A clock whose timers fire only when `advance()` moves virtual time past them; fits core's `Clock`. */
export interface ManualClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Virtual time, in ms since the clock was made. */
  readonly now: number;
  /** Timers scheduled and neither fired nor cleared. */
  readonly pending: number;
  /** Moves virtual time forward, firing every timer that falls due, in order. */
  advance(ms: number): void;
}

/** A deterministic clock that never fires by itself, so a test can tell "at once" from "after a sleep". */
export function manualClock(): ManualClock {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    get now() {
      return now;
    },
    get pending() {
      return timers.size;
    },
    setTimeout(callback, ms) {
      const id = ++next;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= until && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
    },
  };
}
