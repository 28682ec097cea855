// An HTTP response's body, read under the size cap: linear whatever its
// chunking, yielding to the event loop, stopped by a signal; of the headers,
// only Retry-After is kept.
import { parseRetryAfter } from "./backoff.js";
import { asBytes, utf8Length, utf8Text } from "./decode.js";
import { field } from "./field.js";
import { clockNow, type Deadline, unwatch, watch } from "./read-deadline.js";

/** The body of an HTTP response, read under a size cap. */
export interface ResponseBody {
  readonly status: number;
  /** The body text, or undefined when it was too large or could not be read. */
  readonly text: string | undefined;
  readonly tooLarge: boolean;
  /** The `Retry-After` header in ms, if present and valid. */
  readonly retryAfterMs: number | undefined;
  /** Why the body could not be read (a dropped connection, an abort). */
  readonly cause: unknown;
  /**
   * True when the caller's signal stopped the read: `cause` is then its
   * reason, whatever value that is (an Error, a string, `null`).
   */
  readonly aborted?: boolean;
}

interface ResponseLike {
  readonly status: number;
  readonly headers?: { get(name: string): string | null };
  readonly body?: ReadableStream<Uint8Array> | null;
  text?(): Promise<string>;
}

/** Options of {@link readResponse} and the packages' `fromResponse`. */
export interface ReadOptions {
  /**
   * Stops reading a stalled or endless body: the read settles with the signal's
   * reason as `cause` and `aborted` true, even when the stream's own read never settles.
   */
  readonly signal?: AbortSignal | undefined;
  /** Reads of the body stream allowed in all, whatever they carry. Default 65,536 (`MAX_BODY_READS`). */
  readonly maxReads?: number | undefined;
  /** Time allowed to read the whole body, in ms. Default 30,000 (`BODY_TIMEOUT_MS`). */
  readonly timeoutMs?: number | undefined;
}

/**
 * Reads of one body allowed by default: a 64 KiB body arriving a byte at a
 * time, or 1 MiB in chunks of 16 bytes. A body that trickles (thousands of
 * empty chunks between bytes) is given up at this count, not at its size.
 */
export const MAX_BODY_READS = 65_536;
/** Time allowed to read one body by default, in ms. */
export const BODY_TIMEOUT_MS = 30_000;

const budgetOption = (value: unknown, fallback: number): number =>
  typeof value === "number" && value > 0 && value <= Number.MAX_SAFE_INTEGER ? value : fallback;

/** Why a body read was given up when it ran out of time. */
function timeoutError(ms: number): Error {
  const message = `response body not read within ${ms} ms`;
  return typeof DOMException === "function"
    ? new DOMException(message, "TimeoutError")
    : Object.assign(new Error(message), { name: "TimeoutError" });
}

// Reads of an in-memory stream resolve as microtasks, which run before any
// timer: a body of endless chunks would hold the event loop. Every this many
// reads the loop is yielded to.
const READS_PER_YIELD = 256;
/** Empty chunks in a row after which a body is given up: an empty chunk carries nothing, and no server sends thousands. */
export const MAX_EMPTY_READS = 4096;

type Reader = ReadableStreamDefaultReader<Uint8Array>;

// A native reader is read and cancelled through the native methods, never
// through what the object says they are: its pending read then settles (as
// done) when it is cancelled, whatever its source does. Any other reader's
// read may never settle, so it is raced against the stop.
const isNative = (reader: Reader): boolean =>
  typeof ReadableStreamDefaultReader === "function" && reader instanceof ReadableStreamDefaultReader;

// A hostile stream's cancel may throw or reject; neither may escape.
function cancel(reader: Reader | undefined, native: boolean, reason?: unknown): void {
  try {
    if (reader)
      (native ? ReadableStreamDefaultReader.prototype.cancel.call(reader, reason) : reader.cancel(reason)).catch(
        () => {},
      );
  } catch {
    // nothing more to stop
  }
}

const NO_BYTES = /* @__PURE__ */ new Uint8Array(0);

const yieldToLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Reads at most `maxBytes` of a fetch `Response` body and stops there;
 * headers other than `Retry-After` are never kept. Linear in the body
 * whatever its chunking, and yields to the event loop as it goes. Never rejects.
 * `now` (for an HTTP-date Retry-After) is read from the clock when not given.
 */
export async function readResponse(
  res: ResponseLike,
  maxBytes: number,
  now?: number,
  options?: ReadOptions,
): Promise<ResponseBody> {
  const out = {
    status: 0,
    text: undefined as string | undefined,
    tooLarge: false,
    retryAfterMs: undefined as number | undefined,
    cause: undefined as unknown,
    aborted: false,
  };
  let reader: Reader | undefined;
  let native = false;
  let signal: AbortSignal | undefined;
  let deadline: Deadline | undefined;
  let onAbort: (() => void) | undefined;
  // Who stopped the read (the caller's signal, or the time budget) and why: the first stop wins.
  let bySignal: boolean | undefined;
  let why: unknown;
  // Rejects when the read must stop, raced against every read of a reader a cancel may not settle.
  let stopped: Promise<never> | undefined;
  let fail: ((reason: unknown) => void) | undefined;
  try {
    let maxReads = MAX_BODY_READS;
    let timeoutMs = BODY_TIMEOUT_MS;
    if (options !== undefined) {
      const given = field(options, "signal");
      signal = given instanceof AbortSignal ? given : undefined;
      maxReads = budgetOption(field(options, "maxReads"), MAX_BODY_READS);
      timeoutMs = budgetOption(field(options, "timeoutMs"), BODY_TIMEOUT_MS);
    }
    out.status = res.status;
    // Each header is read once: a fetch Headers' get() checks and lower-cases the name every time.
    const headers = res.headers;
    const retryAfter = headers?.get("retry-after");
    if (retryAfter != null) out.retryAfterMs = parseRetryAfter(retryAfter, now ?? Date.now());
    signal?.throwIfAborted();
    // The caller's abort or the time budget cancels the stream, which frees the source and
    // settles a native reader's pending read; any other read also loses the race to `stopped`.
    const stop = (signalled: boolean, reason: unknown) => {
      if (bySignal !== undefined) return;
      bySignal = signalled;
      why = reason;
      cancel(reader, native, reason);
      fail?.(reason);
    };
    if (signal) {
      const caller = signal;
      onAbort = () => stop(true, caller.reason);
      caller.addEventListener("abort", onAbort, { once: true });
    }
    deadline = { at: clockNow() + timeoutMs, expire: () => stop(false, timeoutError(timeoutMs)) };
    watch(deadline);
    reader = res.body?.getReader();
    native = reader !== undefined && isNative(reader);
    // A stop while the body was being asked for (a hostile getter that aborts) found no reader to cancel.
    if (bySignal !== undefined) throw why;
    if (!native) {
      stopped = new Promise<never>((_, reject) => {
        fail = reject;
      });
      stopped.catch(() => {});
    }
    if (!reader) out.text = (await Promise.race([res.text?.(), stopped])) ?? "";
    else if (Number(headers?.get("content-length")) > maxBytes) out.tooLarge = true;
    else {
      // Bytes are copied into one buffer that doubles as it fills, counted
      // from the chunks and decoded once: linear in the body, at most 2x its
      // size in memory, whatever the chunking (a chunk list costs ~100 B per chunk).
      // The first chunk is kept as it is: most error bodies come in one, and
      // then nothing is copied. A second one copies it into a buffer of its own.
      let buffer: Uint8Array = NO_BYTES;
      let size = 0;
      let empty = 0;
      for (let reads = 1; ; reads++) {
        if (reads > maxReads) throw new Error(`response body took more than ${maxReads} reads`);
        const r = await (native
          ? ReadableStreamDefaultReader.prototype.read.call(reader)
          : Promise.race([reader.read(), stopped as Promise<never>]));
        if (r.done) break;
        const bytes = asBytes(r.value);
        if (!bytes) throw new TypeError("response body chunk is not bytes");
        if (size + bytes.byteLength > maxBytes) {
          out.tooLarge = true;
          break;
        }
        if (bytes.byteLength === 0) {
          if (++empty >= MAX_EMPTY_READS) throw new Error(`response body sent ${empty} empty chunks in a row`);
        } else {
          empty = 0;
          if (size === 0) buffer = bytes;
          else {
            if (size + bytes.byteLength > buffer.byteLength) {
              const grown = new Uint8Array(
                Math.min(maxBytes, Math.max(2 * buffer.byteLength, size + bytes.byteLength, 1024)),
              );
              grown.set(buffer.subarray(0, size));
              buffer = grown;
            }
            buffer.set(bytes, size);
          }
          size += bytes.byteLength;
        }
        if (reads % READS_PER_YIELD === 0) await yieldToLoop();
      }
      if (!out.tooLarge) out.text = utf8Text(buffer.subarray(0, size));
    }
    // A stop ends the stream's pending read as done: what came before it is not the body.
    if (bySignal !== undefined) throw why;
    if (out.tooLarge) cancel(reader, native);
    // Only a text() body is measured after the fact; a stream's bytes were counted as they came.
    else if (!reader && out.text !== undefined && utf8Length(out.text) > maxBytes) {
      out.tooLarge = true;
      out.text = undefined;
    }
  } catch (cause) {
    // Once stopped, the stop is why, whatever the stream threw meanwhile.
    out.cause = bySignal === undefined ? cause : why;
    // Unset, the signal can only have aborted before the read began (a later abort sets it).
    out.aborted = bySignal ?? signal?.aborted === true;
    out.text = undefined;
    cancel(reader, native);
  } finally {
    if (deadline) unwatch(deadline);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
  return out;
}
