// The fuzz runner: one fast-check run per parser, checking every result and
// watching the global prototypes for pollution after each case. Time is
// reported, never asserted here: a hostile input's budget is a CPU-time ratio
// against an ordinary input of the same size (costAgainstOrdinary), checked by
// fuzz-regressions.test.ts on the named nasty inputs.
import { isProtocolError, type ProtocolError } from "@wirefault/core";
import { costRatio, costRatioAsync } from "@wirefault/test-utils";
import fc from "fast-check";
import { POLLUTION_KEY, resolveTuple } from "./arbitraries.js";

/**
 * The budget of a hostile input: its parse may cost at most this many times
 * the CPU time of an ordinary input of the same size (`ordinaryLike`). A
 * ratio, never a wall-clock bound: load inflates both sides alike. Linear
 * parsers stay within a few times an ordinary input whatever the shape
 * (JSON.parse of a megabyte of `[` is the worst, at 20-40x a megabyte of
 * message text); a quadratic one on a megabyte reads in the thousands.
 */
export const HOSTILE_RATIO = 100;

/**
 * An ordinary error of `size` characters: a JSON envelope with one long
 * message, the cheapest shape of its size for every parser. What a hostile
 * input of the same size is measured against.
 */
export function ordinaryText(size: number): string {
  const head = '{"error":{"code":"rate_limited","message":"';
  const tail = '"}}';
  if (size <= head.length + tail.length) return "a".repeat(Math.max(0, size));
  return `${head}${"m".repeat(size - head.length - tail.length)}${tail}`;
}

const utf8Encoder = new TextEncoder();

/** An ordinary input of the same kind and size as `input`: text for text, UTF-8 bytes for bytes. */
export function ordinaryLike(input: unknown): unknown {
  if (typeof input === "string") return ordinaryText(input.length);
  if (input instanceof Uint8Array) return utf8Encoder.encode(ordinaryText(input.byteLength));
  return ordinaryText(64);
}

/** Cases per parser: `FUZZ_RUNS`, 100,000 by default. */
export function fuzzRuns(env: string | undefined = process.env.FUZZ_RUNS): number {
  if (env === undefined || env === "") return 100_000;
  const runs = Number(env);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError(`FUZZ_RUNS must be a positive integer, got ${env}`);
  return runs;
}

/** `FUZZ_SEED` replays a run fast-check reported; unset, the run's `FC_SEED` (fixed by default) applies. */
export function fuzzSeed(env: string | undefined = process.env.FUZZ_SEED): number | undefined {
  if (env === undefined || env === "") return undefined;
  const seed = Number(env);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`FUZZ_SEED must be an integer, got ${env}`);
  return seed;
}

// ---------------------------------------------------------------------------
// Prototype pollution

interface Snapshot {
  readonly names: readonly string[];
  readonly symbols: number;
  readonly toString: unknown;
  readonly valueOf: unknown;
  readonly hasOwnProperty: unknown;
}

const PROTOTYPES: readonly [string, object][] = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
  ["Error.prototype", Error.prototype],
];

function snapshot(proto: object): Snapshot {
  const record = proto as Record<string, unknown>;
  return {
    names: Object.getOwnPropertyNames(proto),
    symbols: Object.getOwnPropertySymbols(proto).length,
    toString: record.toString,
    valueOf: record.valueOf,
    hasOwnProperty: record.hasOwnProperty,
  };
}

const baseline = new Map(PROTOTYPES.map(([name, proto]) => [name, snapshot(proto)]));

/**
 * Throws if any global prototype changed since this module loaded (a new key,
 * a replaced `toString`), or if `({}).polluted` is set. Repairs what it finds
 * first, so that one polluting case does not poison the cases after it.
 */
export function assertNoPollution(): void {
  const problems: string[] = [];
  if (({} as Record<string, unknown>)[POLLUTION_KEY] !== undefined) problems.push(`({}).${POLLUTION_KEY} is set`);
  for (const [name, proto] of PROTOTYPES) {
    const before = baseline.get(name)!;
    const record = proto as Record<string, unknown>;
    const names = Object.getOwnPropertyNames(proto);
    if (names.length !== before.names.length) {
      const added = names.filter((n) => !before.names.includes(n));
      problems.push(`${name} gained ${added.join(", ")}`);
      for (const key of added) delete record[key];
    }
    if (Object.getOwnPropertySymbols(proto).length !== before.symbols) problems.push(`${name} gained a symbol key`);
    for (const key of ["toString", "valueOf", "hasOwnProperty"] as const)
      if (record[key] !== before[key]) {
        problems.push(`${name}.${key} was replaced`);
        Object.defineProperty(proto, key, { value: before[key], writable: true, configurable: true });
      }
  }
  if (Object.getPrototypeOf({}) !== Object.prototype) problems.push("{} no longer inherits from Object.prototype");
  if (problems.length > 0) throw new Error(`prototype pollution: ${problems.join("; ")}`);
}

// ---------------------------------------------------------------------------
// Result checks

const RETRYABLE: ReadonlySet<unknown> = new Set(["yes", "no", "maybe"]);
const ACTIONS: ReadonlySet<unknown> = new Set([
  "retry",
  "throttle",
  "reconnect",
  "reset",
  "wait",
  "fix-request",
  "user-action",
  "abort",
]);

type ErrorClass = abstract new (...args: never[]) => ProtocolError;

/**
 * Throws unless `value` is an instance of `cls` for `protocol` whose public
 * fields have their documented types, that serializes without throwing, and
 * that gained no `polluted` field through its prototype chain.
 */
export function checkError(value: unknown, cls: ErrorClass, protocol: string): void {
  if (!(value instanceof cls)) throw new Error(`result is not a ${cls.name}: ${describe(value)}`);
  if (!isProtocolError(value)) throw new Error(`result fails isProtocolError: ${describe(value)}`);
  const err = value as ProtocolError;
  if (err.protocol !== protocol) throw new Error(`result has protocol ${err.protocol}, expected ${protocol}`);
  if (typeof err.code !== "string" && typeof err.code !== "number")
    throw new Error(`result code is a ${typeof err.code}`);
  if (typeof err.message !== "string") throw new Error(`result message is a ${typeof err.message}`);
  if (!RETRYABLE.has(err.retryable)) throw new Error(`result retryable is ${String(err.retryable)}`);
  if (!ACTIONS.has(err.action)) throw new Error(`result action is ${String(err.action)}`);
  if (typeof err.known !== "boolean") throw new Error(`result known is a ${typeof err.known}`);
  if (err.status !== undefined && typeof err.status !== "number")
    throw new Error(`result status is a ${typeof err.status}`);
  if (err.retryAfterMs !== undefined && !(err.retryAfterMs >= 0))
    throw new Error(`retryAfterMs is ${err.retryAfterMs}`);
  if (POLLUTION_KEY in err) throw new Error(`result has a ${POLLUTION_KEY} field`);
  const json = JSON.stringify(err);
  if (typeof json !== "string") throw new Error("JSON.stringify(result) gave no text");
}

function describe(value: unknown): string {
  try {
    return `${typeof value} ${String(value).slice(0, 80)}`;
  } catch {
    return typeof value;
  }
}

// ---------------------------------------------------------------------------
// The runner

/** What one parser's fuzz run measured. */
export interface FuzzStats {
  readonly name: string;
  /** Cases run (fast-check runs, plus shrinking steps if one failed). */
  readonly cases: number;
  /** The slowest parse, in ms: a figure for the report, never asserted (GC pauses and load reach it). */
  readonly maxMs: number;
  /** Results that were a catalogued (`known`) error, or `true` from a predicate: how often the fuzzer got past the shape checks. */
  readonly known: number;
  /** Wall time of the whole run, in ms, generation and checks included. */
  readonly wallMs: number;
}

/** One parser under fuzz. */
export interface FuzzTarget<I, R> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<I>;
  readonly runs: number;
  readonly parse: (input: I) => R;
  readonly check: (result: R, input: I) => void;
}

/** A parser whose input is built from the generated value first; `prepare` is untimed and runs afresh for each attempt. */
export interface PreparedFuzzTarget<I, P, R> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<I>;
  readonly runs: number;
  readonly prepare: (input: I) => P;
  readonly parse: (prepared: P) => R;
  readonly check: (result: R, input: I) => void;
}

/** An async parser under fuzz (`fromResponse`): the time measured spans the awaited promise. */
export interface AsyncFuzzTarget<I, P, R> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<I>;
  readonly runs: number;
  readonly prepare: (input: I) => P;
  readonly parse: (prepared: P) => Promise<R>;
  readonly check: (result: R, input: I) => void;
}

const threw = (name: string, cause: unknown): Error => {
  let text: string;
  try {
    text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  } catch {
    text = typeof cause;
  }
  return new Error(`${name} threw: ${text}`, { cause });
};

class Meter {
  cases = 0;
  maxMs = 0;
  known = 0;
  readonly started = performance.now();

  constructor(readonly name: string) {}

  record(ms: number): void {
    this.cases++;
    this.maxMs = Math.max(this.maxMs, ms);
  }

  /** Counts a result that is a catalogued error (or `true`, for the predicates). */
  classify(result: unknown): void {
    if (result === true || (isProtocolError(result) && result.known)) this.known++;
  }

  stats(): FuzzStats {
    return {
      name: this.name,
      cases: this.cases,
      maxMs: this.maxMs,
      known: this.known,
      wallMs: performance.now() - this.started,
    };
  }
}

// fast-check prints the whole counterexample; a megabyte input would flood the log.
const MAX_REPORT = 4000;
const shorten = (error: unknown): unknown =>
  error instanceof Error && error.message.length > MAX_REPORT
    ? new Error(`${error.message.slice(0, MAX_REPORT)}… (${error.message.length} chars)`, { cause: error.cause })
    : error;

const parameters = (runs: number): fc.Parameters<unknown> => {
  const seed = fuzzSeed();
  return seed === undefined ? { numRuns: runs } : { numRuns: runs, seed };
};

/** Runs a synchronous parser `target.runs` times; throws fast-check's report on the first failing case. */
export function fuzz<I, R>(target: FuzzTarget<I, R>): FuzzStats {
  // Lazy inputs (proxies, throwing getters) are built here, afresh for each attempt.
  return fuzzPrepared({ ...target, prepare: (input: I): I => resolveTuple(input) as I });
}

/** `fuzz` for a parser whose input is built from each generated value. */
export function fuzzPrepared<I, P, R>(target: PreparedFuzzTarget<I, P, R>): FuzzStats {
  const meter = new Meter(target.name);
  const timed = (input: I): { result: R; ms: number } => {
    const prepared = target.prepare(input);
    const t0 = performance.now();
    let result: R;
    try {
      result = target.parse(prepared);
    } catch (cause) {
      throw threw(target.name, cause);
    }
    return { result, ms: performance.now() - t0 };
  };
  const property = fc.property(target.arbitrary, (input) => {
    const { result, ms } = timed(input);
    meter.record(ms);
    target.check(result, input);
    meter.classify(result);
    assertNoPollution();
  });
  try {
    fc.assert(property, parameters(target.runs) as fc.Parameters<[I]>);
  } catch (error) {
    throw shorten(error);
  }
  return meter.stats();
}

/** Runs an async parser `target.runs` times. */
export async function fuzzAsync<I, P, R>(target: AsyncFuzzTarget<I, P, R>): Promise<FuzzStats> {
  const meter = new Meter(target.name);
  const timed = async (input: I): Promise<{ result: R; ms: number }> => {
    const prepared = target.prepare(input);
    const t0 = performance.now();
    let result: R;
    try {
      result = await target.parse(prepared);
    } catch (cause) {
      throw threw(target.name, cause);
    }
    return { result, ms: performance.now() - t0 };
  };
  const property = fc.asyncProperty(target.arbitrary, async (input) => {
    const { result, ms } = await timed(input);
    meter.record(ms);
    target.check(result, input);
    meter.classify(result);
    assertNoPollution();
  });
  try {
    await fc.assert(property, parameters(target.runs) as fc.Parameters<[I]>);
  } catch (error) {
    throw shorten(error);
  }
  return meter.stats();
}

/**
 * What `parse(input)` costs against `parse(ordinaryLike(input))`, as a ratio
 * of CPU times; with the result of one parse of `input`, for its checks.
 */
export function costAgainstOrdinary<R>(
  parse: (input: unknown) => R,
  input: unknown,
  ordinary: unknown = ordinaryLike(input),
): { result: R; ratio: number } {
  const result = parse(input);
  const ratio = costRatio(
    () => parse(ordinary),
    () => parse(input),
    { rounds: 3 },
  );
  return { result, ratio };
}

/** `costAgainstOrdinary` for a reader of a streamed body: each run reads a fresh Response. */
export async function costAgainstOrdinaryAsync<R>(
  read: (input: unknown) => Promise<R>,
  input: unknown,
  ordinary: unknown = ordinaryLike(input),
): Promise<{ result: R; ratio: number }> {
  const result = await read(input);
  const ratio = await costRatioAsync(
    () => read(ordinary),
    () => read(input),
    { rounds: 3 },
  );
  return { result, ratio };
}

/** The one-line figure the README table takes. */
export function report(stats: FuzzStats): string {
  const line =
    `[fuzz] ${stats.name}: ${stats.cases} cases, slowest parse ${stats.maxMs.toFixed(2)} ms (a figure, not a bound),` +
    ` ${stats.known} hits (known codes or true), ${(stats.wallMs / 1000).toFixed(1)} s`;
  console.log(line);
  return line;
}
