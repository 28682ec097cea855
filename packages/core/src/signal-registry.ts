// One "abort" listener per signal, however many retry() calls share it: Node's
// removeEventListener walks the signal's listener list, so one listener per
// call made N calls on one app-wide signal cost O(N²) and printed a false
// MaxListenersExceededWarning from the eleventh caller on.

/** Callbacks waiting on one signal; a Set, so that a caller leaves in O(1). */
interface Entry {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

// Keyed weakly: a signal nobody holds any more takes its entry with it.
const registry = new WeakMap<AbortSignal, Entry>();

function entryFor(signal: AbortSignal): Entry {
  let entry = registry.get(signal);
  if (entry === undefined) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      registry.delete(signal);
      // A callback that throws must not keep the others from running.
      for (const callback of callbacks) {
        try {
          callback();
        } catch {
          // retry()'s callbacks only settle promises; nothing else runs here
        }
      }
      callbacks.clear();
    };
    entry = { callbacks, listener };
    registry.set(signal, entry);
    signal.addEventListener("abort", listener, { once: true });
  }
  return entry;
}

/**
 * Calls `callback` once when `signal` aborts; returns the function that stops
 * waiting. Both cost O(1) whatever the number of waiters on the signal. The
 * caller checks `signal.aborted` first: an aborted signal fires no event.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  const entry = entryFor(signal);
  // A fresh function per call, so that two waiters never share a Set slot.
  const own = () => callback();
  entry.callbacks.add(own);
  return () => {
    entry.callbacks.delete(own);
    if (entry.callbacks.size === 0 && registry.get(signal) === entry) {
      // The last waiter left: the one listener goes too, so the signal holds nothing of ours.
      registry.delete(signal);
      signal.removeEventListener("abort", entry.listener);
    }
  };
}

/** Waiters currently registered on `signal` (for tests and diagnostics). */
export function waitersOn(signal: AbortSignal): number {
  return registry.get(signal)?.callbacks.size ?? 0;
}

/**
 * True for an AbortSignal of this realm or another (a duck check, since a
 * signal from a polyfill or an iframe fails `instanceof`). An
 * AbortController, a plain object or a hostile getter is not one.
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  try {
    const candidate = value as Record<string, unknown> | null;
    return (
      typeof candidate === "object" &&
      candidate !== null &&
      typeof candidate.aborted === "boolean" &&
      typeof candidate.addEventListener === "function" &&
      typeof candidate.removeEventListener === "function"
    );
  } catch {
    return false;
  }
}
