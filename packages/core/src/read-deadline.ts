// The time budget of body reads: one timer for every read in flight, armed
// only once a read outlasts the turn it began in. A timer of its own per read
// was a twentieth of an in-memory fromResponse (Node makes, lists and unlists
// one each call), and a body already in memory is read within microtasks,
// before any timer could fire. A read's deadline joins a set; a check on the
// next turn of the event loop arms the timer for the earliest, and the timer
// expires the reads past theirs. The timer holds the process open only while
// a read is in flight, as a timer of its own did: a stalled read until it
// times out, a finished one never.

/** A read's deadline: `at` on the monotonic clock (`performance.now()`), and what stops the read. */
export interface Deadline {
  readonly at: number;
  expire(): void;
}

/** Node's longest timer delay, in ms: a longer one fires at once. */
const MAX_DELAY = 2_147_483_647;

const watched = new Set<Deadline>();
let timer: ReturnType<typeof setTimeout> | undefined;
/** When the timer fires; Infinity when there is none. */
let timerAt = Number.POSITIVE_INFINITY;
/** A check is queued for the next turn. */
let checking = false;
// Deadlines joined in their own order (reads with the same budget) are in the set's order: the
// earliest is the first, and a sweep stops at the first still ahead. Once the set empties, anew.
let ordered = true;
let lastAt = Number.NEGATIVE_INFINITY;

/** The monotonic clock, in ms. */
export const clockNow = (): number => performance.now();

/** Expires `deadline` at its `at` unless {@link unwatch}ed first. */
export function watch(deadline: Deadline): void {
  watched.add(deadline);
  if (deadline.at < lastAt) ordered = false;
  lastAt = deadline.at;
  if (!checking) {
    checking = true;
    if (typeof setImmediate === "function") setImmediate(check);
    else setTimeout(check, 0);
  }
}

/** The read finished: its deadline is dropped, and when it was the last, the timer no longer holds the process open. */
export function unwatch(deadline: Deadline): void {
  if (watched.delete(deadline) && watched.size === 0) settle();
}

/** Reads being watched, and the timer: none, holding the process open, or armed without holding it (for tests). @internal */
export function watching(): { reads: number; timer: "none" | "held" | "released" } {
  const handle = timer as { hasRef?: () => boolean } | undefined;
  const state = handle === undefined ? "none" : handle.hasRef?.() === false ? "released" : "held";
  return { reads: watched.size, timer: state };
}

/** The set emptied: the order starts anew, and the timer lets the process go. */
function settle(): void {
  ordered = true;
  lastAt = Number.NEGATIVE_INFINITY;
  if (timer === undefined) return;
  const handle = timer as { unref?: () => void };
  // A timer without `unref` (a browser's number) is cleared instead.
  if (typeof handle.unref === "function") handle.unref();
  else {
    clearTimeout(timer);
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
  }
}

// The next turn: the reads still in flight outlasted the one they began in; the timer is armed for the earliest.
function check(): void {
  checking = false;
  const next = earliest();
  if (next === undefined) return;
  if (next < timerAt) arm(next);
  else (timer as { ref?: () => void }).ref?.();
}

function earliest(): number | undefined {
  let next: number | undefined;
  for (const deadline of watched) {
    if (next === undefined || deadline.at < next) next = deadline.at;
    if (ordered) break;
  }
  return next;
}

function arm(at: number): void {
  clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(sweep, Math.min(Math.max(Math.ceil(at - clockNow()), 1), MAX_DELAY));
}

// Expires every deadline within a millisecond of now (the timer counts whole ms), then waits for the next.
function sweep(): void {
  timer = undefined;
  timerAt = Number.POSITIVE_INFINITY;
  const now = clockNow();
  for (const deadline of watched) {
    if (deadline.at - now >= 1) {
      if (ordered) break;
      continue;
    }
    watched.delete(deadline);
    try {
      deadline.expire();
    } catch {
      // one read's stop never keeps the others from theirs
    }
  }
  const next = earliest();
  if (next !== undefined) arm(next);
  else settle();
}
