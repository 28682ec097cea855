import { backoffDelay, isProtocolError, policyFor } from "@wirefault/core";
import { DelegateBackoff, handleWhen, retry } from "cockatiel";
import { getDevice, type Pace, register, safeToRepeat } from "./device-lookup.js";

// cockatiel performs the policy; wirefault says what each error means and how long its code wants to wait.
export async function lookupWithCockatiel(
  base: string,
  deviceId: string,
  registration: object,
  { policy = {} }: Pace = {},
): Promise<unknown> {
  const lookup = retry(handleWhen(safeToRepeat), {
    maxAttempts: 4,
    // The code's own backoff (its catalog policy, else `policy`), from wirefault's backoffDelay.
    backoff: new DelegateBackoff((context) => {
      const error = "error" in context.result ? context.result.error : undefined;
      return backoffDelay(context.attempt, policyFor(error, policy));
    }),
  });
  try {
    return await lookup.execute(({ signal }) => getDevice(base, deviceId, signal));
  } catch (error) {
    // cockatiel never repeats a reset: perform it here, then look up once more.
    if (!isProtocolError(error) || error.action !== "reset") throw error;
    await register(base, registration);
    return lookup.execute(({ signal }) => getDevice(base, deviceId, signal));
  }
}
