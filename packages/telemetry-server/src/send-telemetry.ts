// A device's upload done right: batches of at most 100, register-then-resend
// performed by retry()'s reset, transient failures retried as their rows say,
// bad blocks rejected and never resent, and a batch that fails the same way
// every time split until the blocks responsible are isolated.
import {
  type Clock,
  type GiveUpEvent,
  isProtocolError,
  isRetryable,
  type RateLimiter,
  type RetryBudget,
  type RetryPolicy,
  retry,
} from "@wirefault/core";
import { readBatchResponse } from "./batch.js";
import { PROTOCOL } from "./catalog.js";
import { isAlreadyRegistered } from "./device.js";
import type { TelemetryServerError } from "./error.js";
import { fromResponse } from "./protocol.js";

/** What `sendTelemetry` needs of a block: its `seq`, and its `deviceId` when it has one. */
export interface TelemetryBlockLike {
  readonly seq?: unknown;
  readonly deviceId?: unknown;
}

/** The seq type of a block, kept exactly as given. */
export type SeqOf<B> = B extends { readonly seq: infer S } ? S : unknown;

/** Options of {@link sendTelemetry}. */
export interface SendTelemetryOptions<B extends TelemetryBlockLike> {
  /** POSTs `{ blocks }` to `/v1/telemetry`: the caller's own request, with the signal passed on. */
  post(blocks: B[], signal: AbortSignal): Response | Promise<Response>;
  /** POSTs the registration to `/v1/devices`: 200, 201 and 409 all mean registered. */
  register(signal: AbortSignal): Response | Promise<Response>;
  /** Ends the upload: what is not stored yet is reported `unsent`. */
  signal?: AbortSignal | undefined;
  /** A retry budget shared with other callers: a retry, a registration and a split post each spend from it. */
  budget?: RetryBudget | undefined;
  /** A `rateLimiter()` shared with other callers: every post acquires from it. */
  limiter?: RateLimiter | undefined;
  /** Backoff for transient failures whose catalog row has no policy of its own. */
  policy?: RetryPolicy | undefined;
  /** Blocks per request, 1 … 100 (the server's limit). Default 100. */
  batchSize?: number | undefined;
  /** Time source of the backoff sleeps; inject a fake one in tests. */
  clock?: Clock | undefined;
  /** Source of the backoff jitter. */
  random?: (() => number) | undefined;
}

/** A block the server refused for itself: sending it again unchanged gets the same answer. */
export interface RejectedBlock<S> {
  /** The block's seq, exactly as given. */
  readonly seq: S;
  /** Why: a per-block error (INVALID_SIGNATURE, INVALID_PAYLOAD…), or the batch error this block alone causes. */
  readonly error: TelemetryServerError;
}

/** What {@link sendTelemetry} did with each block; every block is in exactly one list. */
export interface SendTelemetryResult<S> {
  /** Seqs the server holds, duplicates included, in the order given. */
  readonly stored: S[];
  /** Blocks refused for themselves: drop them from the outbox, and log why. */
  readonly rejected: RejectedBlock<S>[];
  /** Seqs not stored yet (an abort, a spent budget, an outage): keep them in the outbox and send them later. */
  readonly unsent: S[];
  /** Why some blocks are unsent: the last error of the step that stopped, or the signal's reason. */
  readonly error?: unknown;
}

/** The server's limit on blocks per request. */
export const MAX_BATCH = 100;

// A whole-batch failure that one block can cause: the framework's crash on a
// malformed field, the batch schema check, the body size limit, the Rust
// port's count check. Splitting the batch finds the block; any other
// failure (a network error, a storage outage) stops the upload.
const SPLIT_CODES: ReadonlySet<unknown> = new Set([
  "Internal Server Error",
  "ERR_INVALID_ARG_TYPE",
  "FST_ERR_VALIDATION",
  "FST_ERR_CTP_INVALID_JSON_BODY",
  "FST_ERR_CTP_BODY_TOO_LARGE",
  "blocks must have 1..100 items",
]);
const SPLIT_STATUSES: ReadonlySet<unknown> = new Set([413]);

/** True for a whole-batch failure that one of its blocks may cause. */
const splittable = (error: unknown): error is TelemetryServerError =>
  isProtocolError(error) &&
  error.protocol === PROTOCOL &&
  (SPLIT_CODES.has(error.code) || SPLIT_STATUSES.has(error.status));

/** How one failure reads, to tell "the same way again" apart from another failure. */
const signatureOf = (error: unknown): string | undefined =>
  isProtocolError(error) ? `${error.status} ${String(error.code)} ${error.message}` : undefined;

/** A block and its place in the input, so that results come back in the order given. */
interface Item<B> {
  readonly block: B;
  readonly index: number;
}

type Outcome = { readonly kind: "stored" } | { readonly kind: "rejected"; readonly error: TelemetryServerError };

/** The state of one call: outcomes by input index, and whether the device registered yet. */
interface Upload<B extends TelemetryBlockLike> {
  readonly options: SendTelemetryOptions<B>;
  readonly outcomes: (Outcome | undefined)[];
  registered: boolean;
  /** Set when the upload stops: what is left is unsent. */
  stop: { readonly error: unknown } | undefined;
  /** Why the last blocks left unsent were left: the error reported beside them. */
  error: unknown;
  /**
   * True once the server has read a batch (a 200 or 207) in this upload. A
   * batch failure one block causes is told from an outage by it: only a server
   * that works for other blocks proves that a block which fails alone is bad.
   */
  healthy: boolean;
  /** Blocks that failed alone before the server had read any batch: rejected at the end if the server then works. */
  readonly suspects: { readonly item: Item<B>; readonly error: TelemetryServerError }[];
}

/** The key a 207 entry's seq is matched on: the server echoes it as sent, a number or a string. */
const seqKey = (seq: unknown): string => {
  try {
    return typeof seq === "string" ? seq : (JSON.stringify(seq) ?? String(seq));
  } catch {
    return String(seq);
  }
};

/**
 * Pairs each per-block error of a 207 with the block it names: by seq, then by
 * device id when several blocks share the seq. Errors that name no block of
 * the batch are returned apart.
 */
function matchErrors<B extends TelemetryBlockLike>(
  items: readonly Item<B>[],
  errors: readonly TelemetryServerError[],
): { byItem: Map<Item<B>, TelemetryServerError>; unmatched: TelemetryServerError[] } {
  const bySeq = new Map<string, Item<B>[]>();
  for (const item of items) {
    const key = seqKey(item.block.seq);
    const list = bySeq.get(key);
    if (list) list.push(item);
    else bySeq.set(key, [item]);
    // A numeric seq comes back as its string when the server normalises it.
    if (typeof item.block.seq === "number") {
      const text = String(item.block.seq);
      if (text !== key) bySeq.set(text, [...(bySeq.get(text) ?? []), item]);
    }
  }
  const byItem = new Map<Item<B>, TelemetryServerError>();
  const unmatched: TelemetryServerError[] = [];
  for (const error of errors) {
    const candidates = (bySeq.get(seqKey(error.seq)) ?? []).filter((item) => !byItem.has(item));
    const deviceId = (error as { deviceId?: unknown }).deviceId;
    const item = candidates.find((c) => deviceId !== undefined && c.block.deviceId === deviceId) ?? candidates[0];
    if (item === undefined) unmatched.push(error);
    else byItem.set(item, error);
  }
  return { byItem, unmatched };
}

/**
 * Posts `items` until each is stored or rejected, under one `retry()`:
 * DEVICE_NOT_FOUND blocks are resent after `recover.reset` registers the
 * device (once per upload); unknown per-block errors are resent as their row
 * allows. Returns the items still pending and the error that stopped them.
 */
async function postUntilSettled<B extends TelemetryBlockLike>(
  up: Upload<B>,
  items: readonly Item<B>[],
  parent: string | undefined,
): Promise<{ pending: readonly Item<B>[]; error: unknown; giveUp: GiveUpEvent | undefined; perBlock: boolean }> {
  const { options } = up;
  let pending = items;
  let giveUp: GiveUpEvent | undefined;
  // The per-block errors thrown for retry() to act on, told apart from a whole-batch failure.
  const perBlock = new WeakSet<object>();
  const attempt = async (_attempt: number, signal: AbortSignal): Promise<void> => {
    const res = await options.post(
      pending.map((item) => item.block),
      signal,
    );
    const answer = await readBatchResponse(res, { sent: pending.length, signal });
    if (answer.error) throw answer.error;
    up.healthy = true;
    const { byItem, unmatched } = matchErrors(pending, answer.errors as readonly TelemetryServerError[]);
    const again: Item<B>[] = [];
    let reason: TelemetryServerError | undefined;
    for (const item of pending) {
      const error = byItem.get(item);
      // A block the answer does not account for is not known to be stored: it goes again.
      if (error === undefined && unmatched.length === 0) up.outcomes[item.index] = { kind: "stored" };
      else if (error !== undefined && error.action === "fix-request")
        up.outcomes[item.index] = { kind: "rejected", error };
      else {
        again.push(item);
        const why = error ?? (unmatched[0] as TelemetryServerError);
        // A reset (register) comes first: it is what the other blocks may be waiting on too.
        if (reason === undefined || (why.action === "reset" && reason.action !== "reset")) reason = why;
      }
    }
    if (reason === undefined) return;
    // The blocks that go again, and the error retry() acts on: a reset registers first.
    pending = again;
    perBlock.add(reason);
    throw reason;
  };
  try {
    await retry(attempt, {
      signal: options.signal,
      budget: options.budget,
      limiter: options.limiter,
      policy: options.policy,
      clock: options.clock,
      random: options.random,
      // The device registers once per upload; a DEVICE_NOT_FOUND after that is not this device's to fix.
      maxRecoveries: up.registered ? 0 : 1,
      recover: {
        reset: async (_error, { signal }) => {
          await registerDevice(options, signal);
          up.registered = true;
        },
      },
      shouldRetry: (error) => {
        // Splitting resends every block of a batch anyway, and proves what retrying the whole would.
        if (pending.length > 1 && splittable(error)) return false;
        // The batch this block came from already failed this way, and the server works for others: the block is the cause.
        if (parent !== undefined && signatureOf(error) === parent && up.healthy) return false;
        return (isProtocolError(error) && error.action === "reset") || isRetryable(error);
      },
      onGiveUp: (event) => {
        giveUp = event;
      },
    });
    return { pending: [], error: undefined, giveUp, perBlock: false };
  } catch (error) {
    return { pending, error, giveUp, perBlock: typeof error === "object" && error !== null && perBlock.has(error) };
  }
}

/** Registers the device, retrying transient failures; 200, 201 and 409 all mean registered. */
async function registerDevice<B extends TelemetryBlockLike>(
  options: SendTelemetryOptions<B>,
  signal: AbortSignal,
): Promise<void> {
  await retry(
    async (_attempt, attemptSignal) => {
      const res = await options.register(attemptSignal);
      if (isAlreadyRegistered(res.status)) {
        await res.body?.cancel().catch(() => {});
        return;
      }
      throw await fromResponse(res);
    },
    { signal, budget: options.budget, policy: options.policy, clock: options.clock, random: options.random },
  );
}

/** Uploads one group: posts it, then splits it while it fails the same way every time. */
async function uploadGroup<B extends TelemetryBlockLike>(
  up: Upload<B>,
  items: readonly Item<B>[],
  parent?: string,
): Promise<void> {
  if (up.stop !== undefined || items.length === 0) return;
  const { pending, error, giveUp, perBlock } = await postUntilSettled(up, items, parent);
  if (pending.length === 0) return;
  const signal = up.options.signal;
  if (signal?.aborted || giveUp?.reason === "aborted" || giveUp?.reason === "budget") {
    up.stop = { error: signal?.aborted ? signal.reason : error };
    return;
  }
  // Blocks the server answered for one by one, still failing: kept unsent, and the other batches go on.
  if (perBlock) {
    up.error = error;
    return;
  }
  if (!splittable(error)) {
    up.stop = { error };
    return;
  }
  if (pending.length === 1) {
    const item = pending[0] as Item<B>;
    // A block that fails alone, after its retries, while the server stores others: it is the cause.
    if (up.healthy) up.outcomes[item.index] = { kind: "rejected", error };
    // A server that has read nothing yet may be down for everyone: this block waits for the others to tell.
    else up.suspects.push({ item, error });
    return;
  }
  // Until the server has read a batch, each half is a post an outage may be refusing: it spends from the
  // budget, like a retry, so that a server failing everything gets no storm of halves.
  const budget = up.options.budget;
  const half = Math.ceil(pending.length / 2);
  for (const part of [pending.slice(0, half), pending.slice(half)]) {
    if (up.stop !== undefined) return;
    if (budget !== undefined && !up.healthy && !budget.tryAcquire()) {
      up.stop = { error };
      return;
    }
    await uploadGroup(up, part, signatureOf(error));
  }
}

/** The batch size option: 1 … 100, floored; anything else gives 100. */
function batchSizeOf(value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value)) return MAX_BATCH;
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(value)));
}

/**
 * Uploads a device's blocks and says what became of each one, by its seq
 * exactly as given (a number stays a number):
 *
 * - 200: stored. A duplicate (a block the server already has) counts as stored.
 * - 207 `DEVICE_NOT_FOUND`: the device registers once (`register`), then only
 *   those blocks are sent again.
 * - `INVALID_SIGNATURE`, `INVALID_PAYLOAD` and every other per-block error
 *   whose action is `fix-request` (the Rust port's `Invalid payload: <field>`
 *   and `Raw/JSON mismatch`): rejected, never resent.
 * - A transient failure (a network error, a 500 storage failure) is retried as
 *   its catalog row says, through `retry()` with the given budget and limiter.
 * - A batch that fails the same way every time (the framework's 500 on a
 *   malformed field, a 400 or 413 naming the batch) is split in halves until
 *   the blocks responsible are isolated and rejected; the rest is stored. One
 *   bad block in n costs at most 2·⌈log2 n⌉ extra posts. A block is rejected
 *   for a batch failure only once the server has read some batch of this
 *   upload: a server that fails everything is an outage, and then the blocks
 *   stay unsent.
 * - More than 100 blocks go in batches of at most 100.
 * - An abort, a spent budget or an outage stops the upload: everything not
 *   stored yet is `unsent`, to stay in the outbox, and `error` says why.
 *
 * Never rejects, whatever `post` and `register` do: their failures are read
 * like any other.
 */
export async function sendTelemetry<B extends TelemetryBlockLike>(
  blocks: readonly B[],
  options: SendTelemetryOptions<B>,
): Promise<SendTelemetryResult<SeqOf<B>>> {
  const list = Array.from(blocks);
  const up: Upload<B> = {
    options,
    outcomes: new Array(list.length),
    registered: false,
    stop: undefined,
    error: undefined,
    healthy: false,
    suspects: [],
  };
  const size = batchSizeOf(options.batchSize);
  const items = list.map((block, index) => ({ block, index }));
  for (let at = 0; at < items.length && up.stop === undefined; at += size) {
    if (options.signal?.aborted) up.stop = { error: options.signal.reason };
    else await uploadGroup(up, items.slice(at, at + size));
  }
  // Blocks that failed alone early are judged by what came after: rejected if the server then worked.
  for (const { item, error } of up.suspects)
    if (up.healthy) up.outcomes[item.index] = { kind: "rejected", error };
    else up.stop ??= { error };
  const stored: SeqOf<B>[] = [];
  const rejected: RejectedBlock<SeqOf<B>>[] = [];
  const unsent: SeqOf<B>[] = [];
  list.forEach((block, index) => {
    const outcome = up.outcomes[index];
    const seq = block.seq as SeqOf<B>;
    if (outcome === undefined) unsent.push(seq);
    else if (outcome.kind === "stored") stored.push(seq);
    else rejected.push({ seq, error: outcome.error });
  });
  const error = up.stop === undefined ? up.error : up.stop.error;
  return unsent.length === 0 ? { stored, rejected, unsent } : { stored, rejected, unsent, error };
}
