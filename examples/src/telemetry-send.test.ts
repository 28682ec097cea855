// Every rule of sendTelemetry, through the fetch example, against a loopback
// server that answers with the real servers' bodies (the TypeScript reference
// and its Rust port), numeric seqs included.
import { retryBudget } from "@wirefault/core";
import {
  createTelemetryDevice,
  startTelemetryPeer,
  type TelemetryDevice,
  type TelemetryPeer,
} from "@wirefault/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { upload } from "./telemetry-fetch.js";

// Short backoff, so that the retries the rules call for take milliseconds.
const fast = { policy: { baseMs: 1, capMs: 5 } };

let peer: TelemetryPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function start(flavor: "typescript" | "rust" = "typescript"): Promise<TelemetryPeer> {
  peer = await startTelemetryPeer({ flavor });
  return peer;
}

async function registered(server: TelemetryPeer, name = "sensor"): Promise<TelemetryDevice> {
  const device = createTelemetryDevice(name);
  const res = await fetch(`${server.url}/v1/devices`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(device.registration),
  });
  expect(res.status).toBe(201);
  return device;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("sendTelemetry against the reference server's answers", () => {
  it("200: numeric seqs are stored and reported as the numbers given; a resend is stored again as a duplicate", async () => {
    const server = await start();
    const device = await registered(server);
    const blocks = range(1, 5).map((seq) => device.blockWithSeq(seq));
    expect(await upload(server.url, blocks, device.registration, fast)).toEqual({
      stored: [1, 2, 3, 4, 5],
      rejected: [],
      unsent: [],
    });
    // Sent again, unchanged: the server ignores the duplicates and answers 200.
    expect((await upload(server.url, blocks, device.registration, fast)).stored).toEqual([1, 2, 3, 4, 5]);
    expect([server.stored.size, server.duplicates, server.batches]).toEqual([5, 5, [5, 5]]);
  });

  it("207 DEVICE_NOT_FOUND: registers once, then resends only those blocks; string seqs stay strings", async () => {
    const server = await start();
    const known = await registered(server, "known");
    const fresh = createTelemetryDevice("fresh");
    const blocks = [known.block(1), fresh.block(1), known.block(2), fresh.block(2)];
    const result = await upload(server.url, blocks, fresh.registration, fast);
    expect(result).toEqual({ stored: ["1", "1", "2", "2"], rejected: [], unsent: [] });
    expect(server.registrations).toBe(2); // the test's own, and the upload's one
    expect(server.batches).toEqual([4, 2]);
    expect(server.received.get(`${known.deviceId}:1`)).toBe(1);
  });

  it("DEVICE_NOT_FOUND again after registering: kept unsent, never a register loop", async () => {
    const server = await start();
    const other = createTelemetryDevice("other");
    const wrong = createTelemetryDevice("wrong");
    // The upload registers `wrong`, but the blocks are `other`'s.
    const result = await upload(server.url, [other.blockWithSeq(7)], wrong.registration, fast);
    expect(result).toMatchObject({ stored: [], rejected: [], unsent: [7], error: { code: "DEVICE_NOT_FOUND" } });
    expect(server.registrations).toBe(1);
  });

  it("INVALID_SIGNATURE: rejected with its typed error and never resent", async () => {
    const server = await start();
    const device = await registered(server);
    const blocks = [device.blockWithSeq(1), device.blockWithSeq(2, { badSignature: true }), device.blockWithSeq(3)];
    const result = await upload(server.url, blocks, device.registration, fast);
    expect(result.stored).toEqual([1, 3]);
    expect(result.rejected).toMatchObject([
      { seq: 2, error: { code: "INVALID_SIGNATURE", deviceId: device.deviceId } },
    ]);
    expect(result.unsent).toEqual([]);
    expect(server.received.get(`${device.deviceId}:2`)).toBe(1);
  });

  it("a deterministic 500 (a seq BigInt refuses): the bad block is isolated in at most 2·log2(n) extra posts", async () => {
    const server = await start();
    const device = await registered(server);
    const blocks: { seq: unknown }[] = range(1, 64).map((seq) => device.blockWithSeq(seq));
    blocks[37] = device.blockWithSeq(1.5);
    const result = await upload(server.url, blocks, device.registration, fast);
    expect(result.rejected).toMatchObject([
      {
        seq: 1.5,
        error: {
          code: "Internal Server Error",
          status: 500,
          message: "The number 1.5 cannot be converted to a BigInt because it is not an integer",
        },
      },
    ]);
    expect(result.stored).toEqual(blocks.map((b) => b.seq).filter((seq) => seq !== 1.5));
    expect(result.unsent).toEqual([]);
    expect(server.batches.length - 1).toBeLessThanOrEqual(2 * Math.log2(64));
    expect(server.stored.size).toBe(63);
  });

  it('several malformed blocks (null, "1e3", {}, a missing timestamp or deviceId) are each rejected, the rest stored', async () => {
    const server = await start();
    const device = await registered(server);
    const blocks: Record<string, unknown>[] = range(1, 40).map((seq) => ({ ...device.blockWithSeq(seq) }));
    blocks[3] = { ...device.blockWithSeq(null) };
    blocks[11] = { ...device.blockWithSeq("1e3") };
    blocks[20] = { ...device.blockWithSeq({}) };
    const { timestamp: _t, ...noTimestamp } = device.blockWithSeq(25);
    blocks[24] = noTimestamp;
    const { deviceId: _d, ...noDevice } = device.blockWithSeq(33);
    blocks[32] = noDevice;
    const result = await upload(server.url, blocks, device.registration, fast);
    expect(result.rejected.map((r) => [r.seq, r.error.code])).toEqual([
      [null, "Internal Server Error"],
      ["1e3", "Internal Server Error"],
      [{}, "Internal Server Error"],
      [25, "Internal Server Error"],
      [33, "ERR_INVALID_ARG_TYPE"],
    ]);
    expect(result.stored).toHaveLength(35);
    expect(result.unsent).toEqual([]);
    // Five bad blocks in 40: at most about 2·log2(40) extra posts each.
    expect(server.batches.length - 1).toBeLessThanOrEqual(5 * 2 * Math.ceil(Math.log2(40)));
  });

  it("413 for a batch over 1 MiB: split until each block fits; a block over 1 MiB alone is rejected", async () => {
    const server = await start();
    const device = await registered(server);
    const medium = (seq: number) => device.blockWithSeq(seq, { payload: new Uint8Array(300 * 1024).fill(0x61) });
    const huge = device.blockWithSeq(9, { payload: new Uint8Array(600 * 1024).fill(0x62) });
    const blocks = [device.blockWithSeq(1), medium(2), medium(3), huge, device.blockWithSeq(5)];
    const result = await upload(server.url, blocks, device.registration, fast);
    expect(result.stored).toEqual([1, 2, 3, 5]);
    expect(result.rejected).toMatchObject([{ seq: 9, error: { code: "FST_ERR_CTP_BODY_TOO_LARGE", status: 413 } }]);
  });

  it("more than 100 blocks go in batches of at most 100", async () => {
    const server = await start();
    const device = await registered(server);
    const blocks = range(1, 250).map((seq) => device.blockWithSeq(seq));
    const result = await upload(server.url, blocks, device.registration, fast);
    expect(result.stored).toHaveLength(250);
    expect(server.batches).toEqual([100, 100, 50]);
  });

  it("a transient 500 is retried as its row says, the whole batch again, not split", async () => {
    const server = await start();
    const device = await registered(server);
    server.plan({ kind: "error", code: "internal_error" }, { kind: "drop" });
    const blocks = range(1, 8).map((seq) => device.blockWithSeq(seq));
    expect((await upload(server.url, blocks, device.registration, fast)).stored).toEqual(range(1, 8));
    expect(server.batches).toEqual([8]); // the 500 and the drop answered before the server read a batch
    expect(server.requests).toBe(4); // registration, 500, drop, success
  });

  it("a 500 that goes away: the halves are stored, and nothing is rejected", async () => {
    const server = await start();
    const device = await registered(server);
    server.plan({ kind: "error", code: "Internal Server Error" });
    const blocks = range(1, 10).map((seq) => device.blockWithSeq(seq));
    expect(await upload(server.url, blocks, device.registration, fast)).toEqual({
      stored: range(1, 10),
      rejected: [],
      unsent: [],
    });
  });

  it("a spent budget: everything not stored is unsent, with the error that stopped it", async () => {
    const server = await start();
    const device = await registered(server);
    server.fault = { kind: "error", code: "internal_error" };
    const blocks = range(1, 3).map((seq) => device.blockWithSeq(seq));
    const budget = retryBudget({ capacity: 1 });
    const result = await upload(server.url, blocks, device.registration, { ...fast, budget });
    expect(result).toMatchObject({ stored: [], rejected: [], unsent: [1, 2, 3], error: { code: "internal_error" } });
    expect(server.requests).toBe(3); // registration, the first post, the one retry the budget paid for
  });

  it("an abort: everything not stored is unsent, and the upload settles", async () => {
    const server = await start();
    const device = await registered(server);
    const blocks = range(1, 150).map((seq) => device.blockWithSeq(seq));
    server.plan({ kind: "none" }, { kind: "hang" });
    const controller = new AbortController();
    const pending = upload(server.url, blocks, device.registration, { ...fast, signal: controller.signal });
    while (server.requests < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error("device going to sleep"));
    const result = await pending;
    expect(result.stored).toEqual(range(1, 100));
    expect(result.unsent).toEqual(range(101, 150));
    expect(result.error).toMatchObject({ message: "device going to sleep" });
  });

  it("a server that is gone: every block unsent, the network error kept, and it settles", async () => {
    const server = await start();
    const device = createTelemetryDevice();
    await server.close();
    const result = await upload(server.url, [device.blockWithSeq(1)], device.registration, fast);
    expect(result).toMatchObject({ stored: [], rejected: [], unsent: [1] });
    expect(result.error).toBeInstanceOf(Error);
  });
});

describe("sendTelemetry against the Rust port's answers", () => {
  it("`Invalid payload: <field>` is rejected in the one post, never resent; the rest is stored", async () => {
    const server = await start("rust");
    const device = await registered(server);
    const blocks: { seq: unknown }[] = [device.blockWithSeq(1), device.blockWithSeq(1.5), device.blockWithSeq("4")];
    const result = await upload(server.url, blocks, device.registration, fast);
    expect(result.stored).toEqual([1, "4"]);
    expect(result.rejected.map((r) => [r.seq, r.error.code, r.error.message])).toEqual([
      [1.5, "INVALID_PAYLOAD", "Invalid payload: seq"],
    ]);
    expect(server.batches).toEqual([3]);
  });

  it("`Raw/JSON mismatch for device <hex>` is rejected with its device, never resent; the rest is stored", async () => {
    const server = await start("rust");
    const device = await registered(server);
    const blocks = [device.blockWithSeq(1), device.blockWithSeq(2, { mismatch: true }), device.blockWithSeq(3)];
    const result = await upload(server.url, blocks, device.registration, fast);
    expect(result.stored).toEqual([1, 3]);
    expect(result.rejected).toMatchObject([
      { seq: 2, error: { code: "RAW_JSON_MISMATCH", deviceId: device.deviceId } },
    ]);
    expect(result.unsent).toEqual([]);
    expect(server.batches).toEqual([3]);
  });
});
