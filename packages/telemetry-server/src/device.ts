import { isProtocolError, type ProtocolError } from "@wirefault/core";
import { field } from "@wirefault/core/protocol";
import type { BatchResult } from "./batch.js";
import { PROTOCOL } from "./catalog.js";

const ours = (value: unknown): value is ProtocolError => isProtocolError(value) && value.protocol === PROTOCOL;

// Worth sending again: register-then-resend (`reset`), or possibly transient.
const resendable = (error: unknown): boolean => ours(error) && (error.action === "reset" || error.retryable !== "no");

// The seqs of an iterable as strings, skipping any that cannot be read (a
// throwing toString, a Symbol); a throwing iterator ends the list there.
function seqStrings(items: Iterable<unknown>): string[] {
  const out: string[] = [];
  try {
    for (const item of items) {
      try {
        if (typeof item === "string" || typeof item === "number" || typeof item === "bigint") out.push(String(item));
      } catch {
        // not a seq
      }
    }
  } catch {
    // what was read so far stands
  }
  return out;
}

/**
 * The seqs worth sending again after a batch: DEVICE_NOT_FOUND blocks (once
 * the device is registered) and unknown per-block errors. After a top-level
 * error that allows it (a 500), that is every seq in `sent`.
 * INVALID_SIGNATURE and INVALID_PAYLOAD blocks are never resent unchanged.
 * Never throws: a seq that cannot be read is left out.
 */
export function seqsToResend(result: BatchResult, sent: Iterable<string | number | bigint> = []): string[] {
  try {
    const error = field(result, "error");
    if (error) return resendable(error) ? [...new Set(seqStrings(sent ?? []))] : [];
    const errors = field(result, "errors");
    if (!Array.isArray(errors)) return [];
    return [...new Set(seqStrings(errors.filter(resendable).map((block) => field(block, "seq"))))];
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
