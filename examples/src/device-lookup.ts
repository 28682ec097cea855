import { isProtocolError, isRetryable, type RetryPolicy } from "@wirefault/core";
import { fromResponse } from "@wirefault/telemetry-server";

/** A device lookup against the telemetry server: GET /v1/devices/:id, a typed error when it fails. */
export async function getDevice(base: string, deviceId: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(`${base}/v1/devices/${deviceId}`, signal ? { signal } : {});
  if (!res.ok) throw await fromResponse(res); // 404 "Device not found" is a reset; 500 internal_error a retry
  return res.json();
}

/** Registers the device: what a "Device not found" asks for before the same lookup can succeed. */
export async function register(base: string, registration: object, signal?: AbortSignal): Promise<void> {
  const res = await fetch(`${base}/v1/devices`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(registration),
    ...(signal && { signal }),
  });
  if (!res.ok && res.status !== 409) throw await fromResponse(res); // 409: already registered, carry on
}

/**
 * What a generic retry library may repeat as it is: `isRetryable` (the same
 * request may succeed later) and an action such a library can perform. A
 * reset needs state re-created first, and a wait whose code has no policy is
 * a wait for an event: sending either again blindly cannot help.
 */
export function safeToRepeat(error: unknown): boolean {
  if (!isRetryable(error)) return false;
  if (!isProtocolError(error)) return true;
  return error.action !== "reset" && !(error.action === "wait" && error.policy === undefined);
}

/** Backoff where a code's catalog row says nothing; the examples' tests make it short. */
export interface Pace {
  readonly policy?: RetryPolicy;
}
