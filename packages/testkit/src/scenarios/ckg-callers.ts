// Many concurrent callers of the CKG relay's HTTP API, each sending one event
// with retry(). The caller counts its own attempts: under load a connection can
// fail before the relay sees it (a network error retry() retries), so the
// relay's count alone says less than what the callers asked of it.

import * as ckg from "@wirefault/ckg-relay";
import { isProtocolError, type RetryOptions, retry } from "@wirefault/core";
import { expect } from "vitest";
import type { CkgRelayPeer } from "../peers/ckg-relay.js";

export interface Wave {
  /** Every request the callers made: the load retry() put on the relay. */
  attempts: number;
  /** Requests that failed before any answer (connection refused, reset, timed out). */
  networkFailures: number;
  /** Requests the relay counted. */
  requests: number;
  /** How each call ended: undefined on success, else what retry() rejected with. */
  errors: unknown[];
}

/** Runs `callers` concurrent callers, one event each, with the given retry options. */
export async function ckgWave(relay: CkgRelayPeer, callers: number, options: RetryOptions): Promise<Wave> {
  const before = relay.requests;
  let attempts = 0;
  let networkFailures = 0;
  const send = async (body: string) => {
    attempts++;
    const res = await fetch(`${relay.url}/v1/events`, { method: "POST", body }).catch((error: unknown) => {
      networkFailures++;
      throw ckg.parseError(error); // WIREFAULT_NETWORK or WIREFAULT_TIMEOUT, as a README caller reads it
    });
    if (!res.ok) throw await ckg.fromResponse(res);
    return res.json();
  };
  const errors = await Promise.all(
    Array.from({ length: callers }, async (_, i) => {
      const body = ckg.validateEvent({ event_id: `evt_${i}`, agent_id: "athena", thread_id: "t", payload: { i } });
      try {
        await retry(() => send(body), options);
        return undefined;
      } catch (error) {
        return error;
      }
    }),
  );
  const requests = relay.requests - before;
  // The relay saw every request that got an answer, and none the callers did not make.
  expect(requests).toBeGreaterThanOrEqual(attempts - networkFailures);
  expect(requests).toBeLessThanOrEqual(attempts);
  return { attempts, networkFailures, requests, errors };
}

/** The codes a caller may end with when its last request failed before the relay answered. */
export const NETWORK_CODES: readonly string[] = ["WIREFAULT_NETWORK", "WIREFAULT_TIMEOUT"];

/**
 * True when every call ended as `expected` says (undefined: success), or with a
 * network code, and no more calls ended so than requests were lost before an answer.
 */
export function endedAs(wave: Wave, expected: string | undefined): boolean {
  const lost = wave.errors.filter((e) => isProtocolError(e) && NETWORK_CODES.includes(String(e.code))).length;
  const ok = (e: unknown) => (expected === undefined ? e === undefined : isProtocolError(e) && e.code === expected);
  return (
    lost <= wave.networkFailures &&
    wave.errors.every((e) => ok(e) || (isProtocolError(e) && NETWORK_CODES.includes(String(e.code))))
  );
}
