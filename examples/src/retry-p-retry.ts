import { isProtocolError } from "@wirefault/core";
import pRetry from "p-retry";
import { getDevice, type Pace, register, safeToRepeat } from "./device-lookup.js";

// p-retry performs the loop; its shouldRetry asks wirefault whether the same request may be sent again.
export async function lookupWithPRetry(
  base: string,
  deviceId: string,
  registration: object,
  { policy = {} }: Pace = {},
): Promise<unknown> {
  const lookup = () =>
    pRetry(() => getDevice(base, deviceId), {
      retries: 3,
      minTimeout: policy.baseMs ?? 1000,
      maxTimeout: policy.capMs ?? 30_000,
      shouldRetry: ({ error }) => safeToRepeat(error),
    });
  try {
    return await lookup();
  } catch (error) {
    // Skipped by shouldRetry: re-create the state a reset asks for, then look up again.
    if (!isProtocolError(error) || error.action !== "reset") throw error;
    await register(base, registration);
    return lookup();
  }
}
