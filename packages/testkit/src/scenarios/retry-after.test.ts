// Servers answer with a 10-hour retry hint (`Retry-After: 36000`, or the
// protocol's own field). The client waits at most the clamp: 60 s by default,
// less when `maxRetryAfterMs` says so, and never 10 hours.

import * as ckg from "@wirefault/ckg-relay";
import { type RetryOptions, retry } from "@wirefault/core";
import * as teale from "@wirefault/teale-relay";
import { readBatchResponse } from "@wirefault/telemetry-server";
import { recordingClock } from "@wirefault/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Peers, startPeers } from "../peers/index.js";
import type { Fault } from "../peers/shared.js";
import { createTelemetryDevice } from "../peers/telemetry.js";
import { report, WsClient } from "./clients.js";

const sensor = createTelemetryDevice("retry-after");

const TEN_HOURS_S = 36_000;
const DEFAULT_CLAMP_MS = 60_000;
let peers: Peers;
const sockets: WsClient[] = [];

beforeAll(async () => {
  peers = await startPeers({ seed: 8 });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await peers.close();
});

const json = { "content-type": "application/json" };

/** One scenario per peer: plan a 10-hour hint, then make one attempt the way a client would. */
interface Case {
  readonly name: string;
  plan(fault: Fault<never>): void;
  attempt(): Promise<unknown>;
  /** What the client adds to retry() for this server's code (a reset needs its handler). */
  readonly options?: RetryOptions;
}

async function nextJson(client: WsClient): Promise<unknown> {
  const event = await client.next();
  if (event.type !== "message") throw new Error(`closed with ${event.code}`);
  return JSON.parse(String(event.data));
}

function cases(): Case[] {
  return [
    {
      name: "Teale local API (Retry-After header)",
      plan: (f) => peers.tealeApi.plan(f),
      attempt: async () => {
        const res = await fetch(`${peers.tealeApi.url}/v1/chat/completions`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ model: "m", messages: [] }),
        });
        if (!res.ok) throw await teale.fromResponse(res);
        return res.json();
      },
      // model_not_loaded is a reset: check the model is listed again, then send (after the hint).
      options: {
        recover: {
          reset: async (_error, { signal }) =>
            (await fetch(`${peers.tealeApi.url}/v1/models`, { signal })).arrayBuffer(),
        },
      },
    },
    {
      name: "telemetry server (Retry-After header)",
      plan: (f) => peers.telemetry.plan(f),
      attempt: async () => {
        const res = await fetch(`${peers.telemetry.url}/v1/telemetry`, {
          method: "POST",
          headers: json,
          // A well-formed block of an unregistered device: a 207, which is an answer, once the hint is over.
          body: JSON.stringify({ blocks: [sensor.block(1)] }),
        });
        const answer = await readBatchResponse(res, { sent: 1 });
        if (answer.error) throw answer.error;
        return answer;
      },
    },
    {
      name: "CKG Relay HTTP (Retry-After header)",
      plan: (f) => peers.ckgRelay.plan(f),
      attempt: async () => {
        const body = ckg.validateEvent({ agent_id: "athena", thread_id: "t", payload: {} });
        const res = await fetch(`${peers.ckgRelay.url}/v1/events`, { method: "POST", headers: json, body });
        if (!res.ok) throw await ckg.fromResponse(res);
        return res.json();
      },
    },
    {
      name: "CKG Relay WebSocket (retry_after field)",
      plan: (f) => peers.ckgRelay.plan(f),
      attempt: async () => {
        const client = await WsClient.open(peers.ckgRelay.wsUrl);
        sockets.push(client);
        client.send(ckg.validateEvent({ event_id: "e1", agent_id: "athena", thread_id: "t", payload: {} }));
        const msg = await nextJson(client);
        client.close();
        if (ckg.isErrorMessage(msg)) throw ckg.parseError(msg);
        return msg;
      },
    },
    {
      name: "Teale relay WebSocket (retryAfterSeconds field)",
      plan: (f) => peers.tealeRelay.plan(f),
      attempt: async () => {
        const client = await WsClient.open(peers.tealeRelay.url);
        sockets.push(client);
        client.send(JSON.stringify({ discover: {} }));
        const msg = await nextJson(client);
        client.close();
        if (teale.isErrorFrame(msg)) throw teale.parseError(msg);
        return msg;
      },
    },
  ];
}

describe("a 10-hour retry hint", () => {
  it("is honoured up to the default 60 s clamp, then the call succeeds", async () => {
    const rows: Record<string, number> = {};
    for (const c of cases()) {
      c.plan({ kind: "retry-after", seconds: TEN_HOURS_S });
      const clock = recordingClock();
      const hints: (number | undefined)[] = [];
      await retry(() => c.attempt(), {
        ...c.options,
        clock,
        onRetry: ({ error }) => {
          hints.push((error as { retryAfterMs?: number }).retryAfterMs);
        },
      });
      expect(hints, c.name).toEqual([TEN_HOURS_S * 1000]);
      expect(clock.delays, c.name).toEqual([DEFAULT_CLAMP_MS]);
      rows[c.name] = clock.elapsed;
    }
    report("retry-after-default", {
      scenario: "10-hour Retry-After, default clamp (5 servers)",
      faults: 5,
      sent: 5,
      maxWaitMs: Math.max(...Object.values(rows)),
      askedMs: TEN_HOURS_S * 1000,
      lost: 0,
      duplicated: 0,
    });
  });

  // Issue 27: 9007199254741 s (or 15 digits) was dropped, in the header and in the body's field alike,
  // and the code's own backoff applied: a larger value meant a shorter wait.
  it("a hint too large for a number of ms is clamped to the same 60 s, header or body field, never dropped", async () => {
    const rows: Record<string, number> = {};
    for (const seconds of [9_007_199_254_741, 999_999_999_999_999]) {
      for (const c of cases()) {
        c.plan({ kind: "retry-after", seconds });
        const clock = recordingClock();
        const hints: (number | undefined)[] = [];
        await retry(() => c.attempt(), {
          ...c.options,
          clock,
          onRetry: ({ error }) => {
            hints.push((error as { retryAfterMs?: number }).retryAfterMs);
          },
        });
        expect(hints, `${c.name}: ${seconds}`).toEqual([Number.MAX_SAFE_INTEGER]);
        expect(clock.delays, `${c.name}: ${seconds}`).toEqual([DEFAULT_CLAMP_MS]);
        rows[`${c.name}: ${seconds}`] = (clock.delays[0] as number) / DEFAULT_CLAMP_MS;
      }
    }
    report("retry-after-too-large-all", {
      scenario: "Retry-After / retry_after / retryAfterSeconds of 9007199254741 and 999999999999999 s (5 servers)",
      faults: Object.keys(rows).length,
      sent: Object.keys(rows).length,
      waitOverClamp: Math.max(...Object.values(rows)),
      lost: 0,
      duplicated: 0,
    });
  });

  // On the real clock: the only wait scheduled is the clamp (the delays say so); how long
  // it took is a figure for the report, never a bound (the test's timeout catches a 10-hour wait).
  it("waits at most a caller's smaller clamp, in real time", async () => {
    const clampMs = 25;
    const waits: number[] = [];
    for (const c of cases()) {
      c.plan({ kind: "retry-after", seconds: TEN_HOURS_S });
      const delays: number[] = [];
      const started = performance.now();
      await retry(() => c.attempt(), {
        ...c.options,
        maxRetryAfterMs: clampMs,
        onRetry: ({ delayMs }) => void delays.push(delayMs),
      });
      const elapsed = performance.now() - started;
      expect(delays, c.name).toEqual([clampMs]);
      waits.push(elapsed);
    }
    report("retry-after-clamp", {
      scenario: `10-hour Retry-After, maxRetryAfterMs ${clampMs} (5 servers, real clock)`,
      faults: 5,
      sent: 5,
      maxWallMs: Math.round(Math.max(...waits)),
      lost: 0,
      duplicated: 0,
    });
  });
});
