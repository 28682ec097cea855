// A CKG client sends 200 events while the relay's agent goes offline for a
// window. Every event ends in exactly one outcome, delivered or failed with a
// typed error; none is lost or duplicated (by the relay's own log); every
// backoff follows the AGENT_OFFLINE policy (recorded by a clock that never sleeps).

import {
  CkgRelayErrorCode,
  type CkgRelayEvent,
  catalog,
  fromClose,
  fromResponse,
  isErrorMessage,
  parseError,
  userMessage,
  validateEvent,
} from "@wirefault/ckg-relay";
import { isProtocolError, type RetryEvent, retry } from "@wirefault/core";
import { recordingClock, seededRandom } from "@wirefault/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { type CkgRelayPeer, startCkgRelayPeer } from "../peers/ckg-relay.js";
import { report, WsClient } from "./clients.js";

const EVENTS = 200;
const WORKERS = 8;
// The agent is offline while the relay handles its requests number 60 to 299.
const OFFLINE_FROM = 60;
const OFFLINE_TO = 300;
const AGENT_OFFLINE = catalog.find((e) => e.code === "AGENT_OFFLINE");
if (AGENT_OFFLINE?.policy === undefined) throw new Error("the catalog lost AGENT_OFFLINE's policy");
const POLICY = AGENT_OFFLINE.policy;

/** The policy's nominal delay before retry `n` (from 1): base × factor^(n-1), capped. */
const nominal = (n: number) => Math.min(POLICY.baseMs * POLICY.factor ** (n - 1), POLICY.capMs);

type Outcome =
  | { readonly kind: "delivered"; readonly attempts: number; readonly delays: readonly number[] }
  | { readonly kind: "failed"; readonly error: unknown; readonly delays: readonly number[] };

// One attempt over a WebSocket, as in the package README: send, then settle on
// this event's reply, its error, or the socket's close; bounded by a timeout.
function sendOnce(ws: WebSocket, frame: string, eventId: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(() => reject(new Error(`no answer to ${eventId}`))), 5_000);
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.event_id !== eventId) return;
      if (isErrorMessage(msg)) settle(() => reject(parseError(msg)));
      else if (msg.type === "reply") settle(() => resolve(msg));
    };
    const onClose = (code: number, reason: Buffer) => settle(() => reject(fromClose(code, reason)));
    const settle = (done: () => void) => {
      clearTimeout(timer);
      ws.off("message", onMessage).off("close", onClose);
      done();
    };
    ws.on("message", onMessage).on("close", onClose);
    ws.send(frame);
  });
}

async function sendHttp(url: string, frame: string): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: frame });
  if (!res.ok) throw await fromResponse(res);
  return res.json();
}

let relay: CkgRelayPeer | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

async function run(transport: "ws" | "http", jitter: "equal" | "none") {
  const peer = await startCkgRelayPeer({ now: () => peer.requests });
  relay = peer;
  peer.offlineDuring(OFFLINE_FROM, OFFLINE_TO);
  const clock = recordingClock();
  const random = seededRandom(2024);
  const outcomes = new Map<string, Outcome>();
  const queue = Array.from({ length: EVENTS }, (_, i) => i);

  async function worker(): Promise<void> {
    const client = transport === "ws" ? await WsClient.open(peer.wsUrl) : undefined;
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const eventId = `evt_${String(i).padStart(3, "0")}`;
      const event: CkgRelayEvent = {
        type: "event",
        event_id: eventId,
        agent_id: "athena",
        thread_id: `thread-${i % 5}`,
        payload: { text: `message ${i}` },
      };
      const frame = validateEvent(event);
      const delays: number[] = [];
      let attempts = 0;
      try {
        await retry(
          () => {
            attempts++;
            return client ? sendOnce(client.ws, frame, eventId) : sendHttp(`${peer.url}/v1/events`, frame);
          },
          {
            clock,
            random,
            ...(jitter === "none" ? { jitter } : {}),
            onRetry: ({ delayMs }: RetryEvent) => {
              delays.push(delayMs);
            },
          },
        );
        expect(outcomes.has(eventId)).toBe(false);
        outcomes.set(eventId, { kind: "delivered", attempts, delays });
      } catch (error) {
        expect(outcomes.has(eventId)).toBe(false);
        outcomes.set(eventId, { kind: "failed", error, delays });
      }
    }
    client?.close();
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: WORKERS }, worker));
  const wallMs = performance.now() - started;

  // Exactly one outcome per event.
  expect(outcomes.size).toBe(EVENTS);
  const delivered = [...outcomes].filter(([, o]) => o.kind === "delivered").map(([id]) => id);
  const failed = [...outcomes].filter(([, o]) => o.kind === "failed");

  // The relay's own log: every delivered event once, no failed event, nothing else.
  expect([...peer.delivered.keys()].sort()).toEqual([...delivered].sort());
  expect([...peer.delivered.values()].every((n) => n === 1)).toBe(true);
  expect(peer.deliveries.length).toBe(delivered.length);

  // Failures are typed AGENT_OFFLINE errors that used the policy's 4 attempts.
  for (const [, outcome] of failed) {
    if (outcome.kind !== "failed") continue;
    const err = outcome.error;
    if (!isProtocolError(err)) throw err;
    expect(err.code).toBe(CkgRelayErrorCode.AGENT_OFFLINE);
    expect(err.attempts).toBe(POLICY.maxAttempts);
    expect(err.totalDelayMs).toBe(outcome.delays.reduce((a, b) => a + b, 0));
    expect(userMessage(err, { agentName: "Athena" })).toBe(
      "Athena is currently offline. Please try again in a moment.",
    );
  }

  // Every delay follows the policy: nominal 2, 4, 8 s; equal jitter keeps each in [nominal/2, nominal].
  const all: number[] = [];
  for (const outcome of outcomes.values()) {
    expect(outcome.delays.length).toBeLessThanOrEqual(POLICY.maxAttempts - 1);
    outcome.delays.forEach((delay, i) => {
      const n = nominal(i + 1);
      if (jitter === "none") expect(delay).toBe(n);
      else {
        expect(delay).toBeGreaterThanOrEqual(n / 2);
        expect(delay).toBeLessThanOrEqual(n);
      }
    });
    all.push(...outcome.delays);
  }
  // retry() slept exactly those delays, on the injected clock, and nothing else.
  expect([...clock.delays].sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));

  // Every attempt reached the relay: its request count is the attempts made.
  const attempts = [...outcomes.values()].reduce((sum, o) => sum + o.delays.length + 1, 0);
  expect(peer.requests).toBe(attempts);
  expect(peer.offlineAnswers).toBe(attempts - delivered.length);
  const retried = [...outcomes.values()].filter((o) => o.kind === "delivered" && o.attempts > 1).length;
  expect(failed.length).toBeGreaterThan(0);
  expect(retried).toBeGreaterThan(0);

  return report(`ckg-offline-${transport}`, {
    scenario: `CKG: ${EVENTS} events, agent offline for relay requests ${OFFLINE_FROM}-${OFFLINE_TO - 1} (${transport})`,
    faults: peer.offlineAnswers,
    sent: EVENTS,
    delivered: delivered.length,
    deliveredAfterRetry: retried,
    failedTyped: failed.length,
    lost: EVENTS - delivered.length - failed.length,
    duplicated: [...peer.delivered.values()].filter((n) => n > 1).length,
    requests: peer.requests,
    virtualBackoffMs: Math.round(clock.elapsed),
    wallMs: Math.round(wallMs),
  });
}

describe("CKG client, relay agent offline for a window", () => {
  it("over WebSocket, with the policy's equal jitter: one outcome per event, none lost or duplicated", async () => {
    const figures = await run("ws", "equal");
    expect([figures.lost, figures.duplicated]).toEqual([0, 0]);
  });

  it("over HTTP, without jitter: delays are exactly 2, 4, 8 s", async () => {
    const figures = await run("http", "none");
    expect([figures.lost, figures.duplicated]).toEqual([0, 0]);
  });
});
