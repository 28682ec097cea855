// A telemetry device uploads 200 signed blocks while its registration is
// missing (at first, then lost again), some signatures are wrong, and the
// network misbehaves. It re-registers and resends, and ends with every valid
// block accepted exactly once by the server's count; invalid blocks are
// reported once and resent only a bounded number of times.
import { isProtocolError, retry } from "@wirefault/core";
import {
  type BatchResult,
  fromResponse,
  isAlreadyRegistered,
  mustRegister,
  readBatchResponse,
  seqsToResend,
} from "@wirefault/telemetry-server";
import { recordingClock, seededRandom } from "@wirefault/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import {
  createTelemetryDevice,
  startTelemetryPeer,
  type TelemetryBlock,
  type TelemetryPeer,
} from "../peers/telemetry.js";
import { report } from "./clients.js";

const BLOCKS = 200;
const BATCH = 20;
const ROUNDS = 3; // resend rounds per upload, as in the package README
const MAX_CYCLES = 40; // upload cycles before the device gives up: the loop is bounded
const isBad = (seq: number) => seq % 9 === 0;

let peer: TelemetryPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

describe("telemetry device: missing registration, bad signatures, network faults", () => {
  it("ends with every valid block accepted exactly once, invalid ones reported and not resent forever", async () => {
    const server = await startTelemetryPeer({ seed: 3 });
    peer = server;
    const device = createTelemetryDevice("greenhouse-7");
    const clock = recordingClock();
    const random = seededRandom(5);
    const outbox: TelemetryBlock[] = [];
    for (let seq = 1; seq <= BLOCKS; seq++) outbox.push(device.block(seq, { badSignature: isBad(seq) }));
    const invalidReported = new Map<string, string>();
    let registrations = 0;
    let failedUploads = 0;

    // The weather before each upload cycle: what the server and the network do to it.
    const weather = new Map<number, () => unknown>([
      [3, () => server.forgetDevice(device.deviceId)], // the server lost the registration
      [4, () => server.plan({ kind: "error", code: "internal_error" })],
      [5, () => server.plan({ kind: "drop", after: true })], // stored, but the answer is lost
      [6, () => server.plan({ kind: "drop" })], // cut before anything was stored
      [7, () => server.plan({ kind: "close" })], // connection reset
      [8, () => server.plan({ kind: "slow", delayMs: 30 })],
      // Three 500s in a row: retry() stops at the code's cap of 3 attempts, and the batch waits in the outbox.
      [
        9,
        () => server.plan({ kind: "garbage" }, { kind: "oversized" }, { kind: "error", code: "Internal Server Error" }),
      ],
      [10, () => server.forgetDevice(device.deviceId)],
    ]);

    async function register(): Promise<void> {
      registrations++;
      const res = await fetch(`${server.url}/v1/devices`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(device.registration),
      });
      if (!isAlreadyRegistered(res.status)) throw await fromResponse(res);
      await res.body?.cancel();
    }

    async function post(blocks: readonly TelemetryBlock[]): Promise<BatchResult> {
      return retry(
        async () => {
          const res = await fetch(`${server.url}/v1/telemetry`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ blocks }),
          });
          const answer = await readBatchResponse(res, { sent: blocks.length });
          if (answer.error) throw answer.error;
          return answer;
        },
        { clock, random },
      );
    }

    // The README's upload loop: send, read the 207, register, resend; at most ROUNDS rounds.
    async function upload(batch: readonly TelemetryBlock[]): Promise<TelemetryBlock[]> {
      let pending = [...batch];
      for (let round = 0; pending.length > 0 && round < ROUNDS; round++) {
        const result = await post(pending);
        if (mustRegister(result)) await register();
        const again = new Set(seqsToResend(result));
        for (const e of result.errors) {
          if (again.has(e.seq)) continue;
          expect(invalidReported.has(e.seq)).toBe(false); // reported once
          invalidReported.set(e.seq, String(e.code));
        }
        pending = pending.filter((block) => again.has(block.seq));
      }
      return pending; // still to send: back to the outbox
    }

    let cycle = 0;
    for (; outbox.length > 0 && cycle < MAX_CYCLES; cycle++) {
      weather.get(cycle)?.();
      const batch = outbox.splice(0, BATCH);
      try {
        outbox.unshift(...(await upload(batch)));
      } catch (error) {
        expect(isProtocolError(error) && error.attempts).toBe(3);
        failedUploads++;
        outbox.unshift(...batch); // kept for the next cycle, never dropped
      }
    }

    const valid = Array.from({ length: BLOCKS }, (_, i) => i + 1).filter((seq) => !isBad(seq));
    const invalid = Array.from({ length: BLOCKS }, (_, i) => i + 1).filter(isBad);
    const key = (seq: number) => `${device.deviceId}:${seq}`;

    // Nothing left unsent, every valid block stored once, no invalid block stored.
    expect(outbox).toEqual([]);
    expect(server.stored.size).toBe(valid.length);
    for (const seq of valid) expect(server.stored.has(key(seq))).toBe(true);
    for (const seq of invalid) expect(server.stored.has(key(seq))).toBe(false);
    // Invalid blocks: each reported as INVALID_SIGNATURE, and received a bounded number of times.
    expect([...invalidReported.keys()].sort()).toEqual(invalid.map(String).sort());
    expect(new Set(invalidReported.values())).toEqual(new Set(["INVALID_SIGNATURE"]));
    for (const seq of invalid) expect(server.received.get(key(seq))).toBeLessThanOrEqual(ROUNDS);
    // The device registered when it had to, and the server saw the resends as duplicates, not new blocks.
    expect(registrations).toBe(3);
    expect(failedUploads).toBe(1);
    expect(server.duplicates).toBeGreaterThan(0);
    expect(clock.delays.every((ms) => ms <= 60_000)).toBe(true);

    const figures = report("telemetry-device", {
      scenario: `telemetry: ${BLOCKS} blocks, registration missing twice, ${invalid.length} bad signatures, network faults`,
      faults: server.faultsInjected + 2,
      sent: BLOCKS,
      validAccepted: server.stored.size,
      invalidReported: invalidReported.size,
      maxSendsOfAnInvalidBlock: Math.max(...invalid.map((seq) => server.received.get(key(seq)) ?? 0)),
      duplicatesIgnoredByServer: server.duplicates,
      registrations,
      failedUploads,
      requests: server.requests,
      cycles: cycle,
      lost: valid.filter((seq) => !server.stored.has(key(seq))).length,
      // Entries beyond the valid set: a block stored twice under another key, or an invalid one stored.
      duplicated: server.stored.size - valid.length,
    });
    expect([figures.lost, figures.duplicated]).toEqual([0, 0]);
  });
});
