// The fuzz runner: one fast-check run per parser, timing every parse, checking
// every result and watching the global prototypes for pollution after each case.
import { isProtocolError, type ProtocolError } from "@wirefault/core";
import fc from "fast-check";
import { POLLUTION_KEY, resolveTuple } from "./arbitraries.js";

/**
 * No single parse may take longer than this. The slowest inputs (a mebibyte of
 * hostile text) parse in 10–25 ms on a 2-core machine: 10x headroom, so a busy
 * machine does not fail it, while anything super-linear still does.
 */
export const LIMIT_MS = 250;

/**
 * The same rule for readers of a streamed body (`fromResponse`): a mebibyte
 * read through a ReadableStream takes 50–100 ms before any parsing, so 10x
 * that.
 */
export const STREAM_LIMIT_MS = 1_000;

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
  /** The slowest parse, in ms, after the one retry a slow case gets. */
  readonly maxMs: number;
  /** Cases whose first parse went over LIMIT_MS and whose retry did not: GC pauses or JIT tier-ups. */
  readonly retried: number;
  /** The slowest first attempt, in ms, spikes included. */
  readonly maxFirstMs: number;
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
  maxFirstMs = 0;
  retried = 0;
  known = 0;
  readonly started = performance.now();

  constructor(
    readonly name: string,
    readonly limitMs: number = LIMIT_MS,
  ) {}

  /** Records a first attempt; true when it was over the limit and must be retried. */
  first(ms: number): boolean {
    this.cases++;
    this.maxFirstMs = Math.max(this.maxFirstMs, ms);
    return ms >= this.limitMs;
  }

  /** Records the retry of a slow case; throws when the retry is over the limit too. */
  again(firstMs: number, ms: number): void {
    if (ms >= this.limitMs)
      throw new Error(
        `${this.name}: parse took ${firstMs.toFixed(1)} ms, then ${ms.toFixed(1)} ms on retry (limit ${this.limitMs} ms)`,
      );
    this.retried++;
    this.accept(ms);
  }

  accept(ms: number): void {
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
      retried: this.retried,
      maxFirstMs: this.maxFirstMs,
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
    let { result, ms } = timed(input);
    if (meter.first(ms)) {
      const firstMs = ms;
      ({ result, ms } = timed(input));
      meter.again(firstMs, ms);
    } else meter.accept(ms);
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
  const meter = new Meter(target.name, STREAM_LIMIT_MS);
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
    let { result, ms } = await timed(input);
    if (meter.first(ms)) {
      const firstMs = ms;
      ({ result, ms } = await timed(input));
      meter.again(firstMs, ms);
    } else meter.accept(ms);
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
 * Times one call with the suite's retry rule: a call over LIMIT_MS runs once
 * more (on a fresh input from `make`) and the retry's time is kept.
 */
export function timeParse<R>(make: () => () => R): { result: R; ms: number } {
  const once = () => {
    const call = make();
    const t0 = performance.now();
    const result = call();
    return { result, ms: performance.now() - t0 };
  };
  const first = once();
  return first.ms < LIMIT_MS ? first : once();
}

/** `timeParse` for an async parser, which reads a stream: its limit is STREAM_LIMIT_MS. */
export async function timeParseAsync<R>(make: () => () => Promise<R>): Promise<{ result: R; ms: number }> {
  const once = async () => {
    const call = make();
    const t0 = performance.now();
    const result = await call();
    return { result, ms: performance.now() - t0 };
  };
  const first = await once();
  return first.ms < STREAM_LIMIT_MS ? first : once();
}

/** The one-line figure the README table takes. */
export function report(stats: FuzzStats): string {
  const line =
    `[fuzz] ${stats.name}: ${stats.cases} cases, max parse ${stats.maxMs.toFixed(2)} ms` +
    ` (first attempts ${stats.maxFirstMs.toFixed(2)} ms, ${stats.retried} retried over ${LIMIT_MS} ms),` +
    ` ${stats.known} hits (known codes or true), ${(stats.wallMs / 1000).toFixed(1)} s`;
  console.log(line);
  return line;
}
