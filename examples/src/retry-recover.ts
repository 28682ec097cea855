import { retry } from "@wirefault/core";
import { getDevice, type Pace, register } from "./device-lookup.js";

// The same lookup with wirefault's own retry(): the reset is a handler, performed by retry() itself.
export function lookupWithRecover(
  base: string,
  deviceId: string,
  registration: object,
  { policy = {} }: Pace = {},
): Promise<unknown> {
  return retry((_attempt, signal) => getDevice(base, deviceId, signal), {
    policy,
    signal: AbortSignal.timeout(10_000),
    recover: { reset: (_error, { signal }) => register(base, registration, signal) },
  });
}
