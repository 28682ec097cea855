// The time budget of a body read: a timer is set only once the read outlasts
// the turn of the event loop it began in. A timer per read was a twentieth of
// an in-memory fromResponse (Node makes, lists and unlists one each call), and
// a body already in memory is read within microtasks, before any timer could
// fire. The reads begun in a turn are checked on the next one; each still in
// flight then gets its own timer, for what is left of its budget, which holds
// the process open until the read ends or times out.

/** A read's deadline: `at` on the monotonic clock (`performance.now()`), and what stops the read. */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
  /** Set once the read outlasted its turn. */
  timer?: ReturnType<typeof setTimeout>;
}

/** Reads begun this turn, not yet given a timer. */
const fresh = /* @__PURE__ */ new Set<Deadline>();
let checking = false;

/** The monotonic clock, in ms. */
export const clockNow = (): number => performance.now();

/** Expires `deadline` at its `at` unless {@link unwatch}ed first. */
export function watch(deadline: Deadline): void {
  fresh.add(deadline);
  if (checking) return;
  checking = true;
  if (typeof setImmediate === "function") setImmediate(arm);
  else setTimeout(arm, 0);
}

/** The read ended: its deadline is dropped, with its timer if it had one. */
export function unwatch(deadline: Deadline): void {
  if (!fresh.delete(deadline)) clearTimeout(deadline.timer);
}

// The next turn: every read still in flight outlasted the one it began in.
function arm(): void {
  checking = false;
  for (const deadline of fresh) schedule(deadline);
  fresh.clear();
}

// Node counts a timer from the loop's cached time, which can be ms behind: one that fires early waits out the rest.
// Node's longest delay is 2^31-1 ms.
function schedule(deadline: Deadline): void {
  const left = deadline.at - clockNow();
  if (left <= 0) deadline.expire();
  else deadline.timer = setTimeout(schedule, Math.min(left, 2_147_483_647), deadline);
}
