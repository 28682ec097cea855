import type { RateLimiter, RetryBudget, RetryPolicy } from "@wirefault/core";
import {
  type SendTelemetryResult,
  type SeqOf,
  sendTelemetry,
  type TelemetryBlockLike,
} from "@wirefault/telemetry-server";

/** What the device shares with its other uploads, and how long it waits. */
export interface UploadOptions {
  readonly signal?: AbortSignal;
  readonly budget?: RetryBudget;
  readonly limiter?: RateLimiter;
  readonly policy?: RetryPolicy;
}

// Uploads a device's outbox. fetch makes the two requests; sendTelemetry decides what each answer means:
// register then resend, retry, split a batch that fails the same way every time, reject bad blocks.
export function upload<B extends TelemetryBlockLike>(
  base: string,
  blocks: readonly B[],
  registration: object,
  { signal = AbortSignal.timeout(60_000), ...shared }: UploadOptions = {},
): Promise<SendTelemetryResult<SeqOf<B>>> {
  const request = (path: string, body: object, attempt: AbortSignal) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: attempt,
    });
  return sendTelemetry(blocks, {
    post: (batch, attempt) => request("/v1/telemetry", { blocks: batch }, attempt),
    register: (attempt) => request("/v1/devices", registration, attempt),
    signal,
    ...shared,
  });
}
