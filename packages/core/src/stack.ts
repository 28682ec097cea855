// The stack of an error wirefault builds starts at the caller's own frame.

/** Any function, as a stack-trace boundary: only its identity is used. */
type Entry = (...args: never) => unknown;
type StackApi = { stackTraceLimit?: number; captureStackTrace?: (target: object, entry?: Entry) => void };

/**
 * Builds an error with `make()` and gives it a stack that starts at the
 * caller of `entry` (which must be on the call stack, e.g. the package's
 * `parseError`), so the first frame a user reads is their own call. V8 takes
 * no stack inside `make()` (`Error.stackTraceLimit` is 0 meanwhile and
 * restored after): a parse's own frames, inlined and optimized, were the
 * costliest part of building the error. Where the engine has no
 * `Error.captureStackTrace`, or the limit cannot be written (frozen
 * intrinsics), the error keeps the stack `make()` gave it.
 */
export function atCaller<E extends object>(make: () => E, entry: Entry): E {
  const api = Error as StackApi;
  const limit = api.stackTraceLimit;
  if (typeof api.captureStackTrace !== "function" || !silence(api)) return make();
  let err: E;
  try {
    err = make();
  } finally {
    // Restored before the capture, which reads it.
    api.stackTraceLimit = limit;
  }
  api.captureStackTrace(err, entry);
  return err;
}

/** Sets `Error.stackTraceLimit` to 0; false when it cannot be written. */
function silence(api: StackApi): boolean {
  try {
    api.stackTraceLimit = 0;
  } catch {
    // frozen intrinsics
  }
  return api.stackTraceLimit === 0;
}

/**
 * Builds an error with `make()` and no stack trace: its `stack` is its first
 * line only. For bulk and classify-only paths, where the capture would be most
 * of the cost. Where the limit cannot be written, the error keeps its usual stack.
 */
export function withoutStack<E extends object>(make: () => E): E {
  const api = Error as StackApi;
  const limit = api.stackTraceLimit;
  if (!silence(api)) return make();
  try {
    return make();
  } finally {
    api.stackTraceLimit = limit;
  }
}
