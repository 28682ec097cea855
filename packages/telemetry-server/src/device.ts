import { isProtocolError, type ProtocolError } from "@wirefault/core";
import { PROTOCOL } from "./catalog.js";
import type { BatchResult } from "./parse.js";

const ours = (value: unknown): value is ProtocolError => isProtocolError(value) && value.protocol === PROTOCOL;

// Worth sending again: register-then-resend (`reset`), or possibly transient.
const resendable = (error: ProtocolError): boolean => error.action === "reset" || error.retryable !== "no";

/**
 * The seqs worth sending again after a batch: DEVICE_NOT_FOUND blocks (once
 * the device is registered) and unknown per-block errors. After a top-level
 * error that allows it (a 500), that is every seq in `sent`.
 * INVALID_SIGNATURE and INVALID_PAYLOAD blocks are never resent unchanged.
 */
export function seqsToResend(result: BatchResult, sent: Iterable<string | number | bigint> = []): string[] {
  if (result.error) return resendable(result.error) ? [...new Set(Array.from(sent, String))] : [];
  return [...new Set(result.errors.filter(resendable).map((error) => error.seq))];
}

/**
 * True when the device must register (`POST /v1/devices`) before anything
 * else: a batch with a DEVICE_NOT_FOUND block, or an error whose action is `reset`.
 */
export function mustRegister(target: BatchResult | unknown): boolean {
  if (ours(target)) return target.action === "reset";
  if (isProtocolError(target) || typeof target !== "object" || target === null) return false;
  const { error, errors } = target as Partial<BatchResult>;
  if (error !== undefined) return mustRegister(error);
  return Array.isArray(errors) && errors.some((block) => ours(block) && block.action === "reset");
}

/**
 * True when a registration answer means the device is registered and may
 * carry on: 200, 201, or 409 `device_already_exists` (a status or an error).
 */
export function isAlreadyRegistered(target: number | unknown): boolean {
  if (typeof target === "number") return target === 200 || target === 201 || target === 409;
  return ours(target) && (target.code === "device_already_exists" || target.status === 409);
}
