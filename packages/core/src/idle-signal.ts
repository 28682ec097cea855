// The signal retry() hands fn when the caller passed none: a real AbortSignal that never aborts, so that
// `fetch(url, { signal })` type-checks and runs. A new AbortSignal costs microseconds in Node 20, and
// `fn.length` (to give one only to an fn that declares it) is an accessor V8 does not inline: together
// a third of retry()'s cost on success. So calls share one until anything listens on it.

// Calls share one signal at most this many times: Node 20's AbortSignal.any() keeps a WeakRef per
// composite in its sources, never pruned, so one signal shared for ever would grow by each (about 60 B).
export const GENERATION = 16_384;

let current: AbortSignal | undefined;
// How many more calls get `current`: a count down to 0 is measured 1% of retry(fn)'s instructions
// cheaper than a count up to GENERATION.
let left = 0;

/**
 * A never-aborting signal for one retry() call. The same one goes to the next
 * calls until a listener is added to it (fetch, a stream, `onabort`), so that
 * the listeners each call's own work adds never pile up on a signal other
 * calls hold (Node's MaxListenersExceededWarning from the eleventh).
 */
export function idleSignal(): AbortSignal {
  if (current === undefined || --left === 0) {
    current = new AbortController().signal;
    // An own method, one function for every such signal, so that V8 keeps their shape.
    current.addEventListener = retiring;
    left = GENERATION;
  }
  return current;
}

/** The idle signal's addEventListener: the first listener retires it, then adds as any AbortSignal does. */
function retiring(this: AbortSignal, ...args: Parameters<AbortSignal["addEventListener"]>): void {
  if (this === current) current = undefined;
  Reflect.apply(AbortSignal.prototype.addEventListener, this, args);
}
