// The stack contract of every error wirefault builds: the first frame is the
// wirefault function the caller called (`parseError`, `fromClose`...), then the
// caller's own frames, as many as `Error.stackTraceLimit` allows; no other frame
// of wirefault's own code appears.

/** A frame in wirefault's own code: a package's source or build, its tests aside. */
const OWN_CODE = /[/\\](?:packages|@wirefault)[/\\][\w.-]+[/\\](?:src|dist)[/\\](?![^/\\]*\.test\.[cm]?[jt]s:)/;

/** Where a stack expects its frames. */
export interface StackShape {
  /** The name of the function the caller called, e.g. `parseError`. */
  readonly entry: string;
  /** A name the second frame holds: the caller's own function (`async caller` for an awaited call). */
  readonly caller: string;
  /** For an awaited entry: frames of the event loop's own (`processTicksAndRejections`) may come between. */
  readonly awaited?: boolean;
}

/**
 * What is wrong with a stack against the contract, one line per problem:
 * empty when it holds. A stack taken without an await is also counted: as
 * many frames as `limit` (`Error.stackTraceLimit` now), so call it deep enough.
 */
export function stackProblems(stack: unknown, shape: StackShape, limit = Error.stackTraceLimit): string[] {
  const frames = String(stack)
    .split("\n")
    .filter((line) => /^\s+at /.test(line));
  const problems: string[] = [];
  const first = frames[0] ?? "";
  // The entry by name (called plain, or as a method), in wirefault's own code.
  if (!new RegExp(`^\\s+at (?:[\\w$]+\\.)?${shape.entry} \\(`).test(first) || !OWN_CODE.test(first))
    problems.push(`first frame is not wirefault's ${shape.entry}: ${first.trim()}`);
  const rest = frames.slice(1);
  const callerAt = rest.findIndex((line) => line.includes(` ${shape.caller} `));
  const between = shape.awaited ? rest.slice(0, Math.max(callerAt, 0)).filter((line) => !/\(node:/.test(line)) : [];
  if (callerAt === -1 || (!shape.awaited && callerAt !== 0) || between.length > 0)
    problems.push(`second frame is not the caller's ${shape.caller}: ${(rest[0] ?? "").trim()}`);
  for (const line of rest)
    if (OWN_CODE.test(line)) problems.push(`wirefault's own frame after the entry: ${line.trim()}`);
  // After an await, the async frames are only as many as the caller's chain holds.
  if (!shape.awaited && frames.length !== limit)
    problems.push(`${frames.length} frames, not the ${limit} of Error.stackTraceLimit`);
  return problems;
}
