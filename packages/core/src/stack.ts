// An error with no stack, for bulk and classify-only paths. Every other error
// takes its stack as it is built, in the frame of the function the caller
// called (parseErrorOf): that frame first, then the caller's.

type StackApi = { stackTraceLimit?: number };

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
