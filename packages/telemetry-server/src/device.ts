import { isProtocolError, type ProtocolError } from "@wirefault/core";
import { field } from "@wirefault/core/protocol";
import type { BatchResult } from "./batch.js";
import { PROTOCOL } from "./catalog.js";

const ours = (value: unknown): value is ProtocolError => isProtocolError(value) && value.protocol === PROTOCOL;

// Worth sending again: register-then-resend (`reset`), or possibly transient.
const resendable = (error: unknown): boolean => ours(error) && (error.action === "reset" || error.retryable !== "no");

type Seq = string | number | bigint;

const isSeq = (item: unknown): item is Seq =>
  typeof item === "string" || typeof item === "number" || typeof item === "bigint";

// A seq's identity on the wire: the server echoes a seq as it was sent, so 6, "6" and 6n are one block.
const seqKey = (seq: Seq): string => String(seq);

// The seqs of an iterable, each once, as they were given; anything that is not a seq is
// skipped, and a throwing iterator ends the list there.
function seqList(items: Iterable<unknown>): Seq[] {
  const out: Seq[] = [];
  const seen = new Set<string>();
  try {
    for (const item of items) {
      if (!isSeq(item)) continue;
      const key = seqKey(item);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  } catch {
    // what was read so far stands
  }
  return out;
}

/**
 * The seqs worth sending again after a batch: DEVICE_NOT_FOUND blocks (once
 * the device is registered) and unknown per-block errors; after a top-level
 * error that allows it (a 500), every seq in `sent`. A deterministic per-block
 * error (INVALID_SIGNATURE, INVALID_PAYLOAD, RAW_JSON_MISMATCH) is never resent.
 *
 * With `sent`, only seqs in it are returned, each exactly as it was given (a
 * number stays a number), in its order: an answer cannot make a device resend
 * a block it never sent. Without it, the answer's own seqs, as strings.
 * Never throws: a seq that cannot be read is left out.
 */
export function seqsToResend<S extends Seq = string>(result: BatchResult, sent?: Iterable<S>): S[] {
  try {
    const given = sent === undefined || sent === null ? undefined : (seqList(sent) as S[]);
    const error = field(result, "error");
    if (error) return resendable(error) ? (given ?? []) : [];
    const errors = field(result, "errors");
    if (!Array.isArray(errors)) return [];
    const wanted = new Set<string>();
    for (const block of errors) {
      const seq = field(block, "seq");
      if (resendable(block) && isSeq(seq)) wanted.add(seqKey(seq));
    }
    if (given === undefined) return [...wanted] as S[];
    return given.filter((seq) => wanted.has(seqKey(seq)));
  } catch {
    return [];
  }
}

/**
 * True when the device must register (`POST /v1/devices`) before anything
 * else: a batch with a DEVICE_NOT_FOUND block, or an error whose action is `reset`.
 * Never throws.
 */
export function mustRegister(target: BatchResult | unknown): boolean {
  try {
    if (ours(target)) return target.action === "reset";
    if (isProtocolError(target) || typeof target !== "object" || target === null) return false;
    const error = field(target, "error");
    const errors = field(target, "errors");
    if (error !== undefined) return ours(error) && error.action === "reset";
    return Array.isArray(errors) && errors.some((block) => ours(block) && block.action === "reset");
  } catch {
    // A hostile Proxy or getter is not an answer that asks for registration.
    return false;
  }
}

/**
 * True when a registration answer means the device is registered and may
 * carry on: 200, 201, or 409 `device_already_exists` (a status or an error).
 */
export function isAlreadyRegistered(target: number | unknown): boolean {
  if (typeof target === "number") return target === 200 || target === 201 || target === 409;
  try {
    return ours(target) && (target.code === "device_already_exists" || target.status === 409);
  } catch {
    return false;
  }
}
