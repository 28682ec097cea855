// sendTelemetry's edges on the injectable clock, against an in-memory server
// answering with the reference server's bodies, byte for byte as FIELD-NOTES
// records them. The rules end to end over fetch are in examples/.
import { recordingClock } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sendTelemetry } from "./send-telemetry.js";

interface Block {
  readonly seq: unknown;
  readonly deviceId?: string;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/**
 * The TypeScript reference server, in memory: a seq BigInt refuses crashes the
 * request with the framework's 500 (blocks before it stored); an unknown
 * device is a 207 entry echoing the seq as sent; duplicates count as accepted.
 */
function referenceServer(known = new Set(["ab12"])) {
  const stored = new Set<string>();
  const posts: number[] = [];
  let registrations = 0;
  return {
    stored,
    posts,
    get registrations() {
      return registrations;
    },
    post: (blocks: Block[]) => {
      posts.push(blocks.length);
      const errors: { seq: unknown; error: string }[] = [];
      for (const block of blocks) {
        try {
          BigInt(block.seq as string);
        } catch (error) {
          return json(500, { statusCode: 500, error: "Internal Server Error", message: (error as Error).message });
        }
        const device = block.deviceId ?? "ab12";
        if (!known.has(device)) errors.push({ seq: block.seq, error: `Device not found: ${device}` });
        else stored.add(`${device}:${String(block.seq)}`);
      }
      return json(errors.length ? 207 : 200, { accepted: blocks.length - errors.length, errors });
    },
    register: (device: string) => {
      registrations++;
      const again = known.has(device);
      known.add(device);
      return again ? json(409, { error: "device_already_exists" }) : json(201, { device: { id: device } });
    },
  };
}

const options = (server: ReturnType<typeof referenceServer>, device = "cd34") => ({
  post: (blocks: Block[]) => server.post(blocks),
  register: () => server.register(device),
  clock: recordingClock(),
  random: () => 0.5,
});

describe("sendTelemetry", () => {
  it("matches a 207 entry by seq and device id when two devices share a seq", async () => {
    const server = referenceServer();
    const blocks = [
      { seq: 1, deviceId: "ab12" },
      { seq: 1, deviceId: "cd34" },
    ];
    const result = await sendTelemetry(blocks, options(server));
    expect(result).toEqual({ stored: [1, 1], rejected: [], unsent: [] });
    expect(server.posts).toEqual([2, 1]);
    expect(server.registrations).toBe(1);
  });

  it("isolates any set of bad blocks, in at most 2·⌈log2 n⌉ extra posts per bad block", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100 }),
        fc.uniqueArray(fc.nat(99), { maxLength: 4 }),
        async (n, at) => {
          const bad = at.filter((i) => i < n);
          const blocks: Block[] = Array.from({ length: n }, (_, i) => ({ seq: bad.includes(i) ? `bad${i}` : i }));
          const server = referenceServer();
          const result = await sendTelemetry(blocks, options(server));
          if (bad.length === n) {
            // Nothing the server would store: as from an outage, every block stays unsent.
            expect(result).toMatchObject({ stored: [], rejected: [], unsent: blocks.map((b) => b.seq) });
            return;
          }
          expect(result.rejected.map((r) => r.seq).sort()).toEqual(bad.map((i) => `bad${i}`).sort());
          expect(result.stored).toEqual(blocks.map((b) => b.seq).filter((seq) => typeof seq === "number"));
          expect(result.unsent).toEqual([]);
          // A lone bad block found by bisection; a second one may cost its own retries (its message differs).
          const bound = bad.length * (2 * Math.ceil(Math.log2(Math.max(n, 2))) + 2);
          expect(server.posts.length - 1).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a server that answers the framework's 500 to everything is down: every block unsent, and the budget ends the halving", async () => {
    const posts: number[] = [];
    const crash = json(500, { statusCode: 500, error: "Internal Server Error", message: "connect ECONNREFUSED db" });
    const budget = { tokens: 3, tryAcquire: () => budget.tokens-- > 0, succeeded: () => {} };
    const blocks = Array.from({ length: 64 }, (_, seq) => ({ seq }));
    const result = await sendTelemetry(blocks, {
      post: (batch) => {
        posts.push(batch.length);
        return crash.clone();
      },
      register: () => json(201, {}),
      budget,
      clock: recordingClock(),
    });
    expect(result).toMatchObject({ stored: [], rejected: [], unsent: blocks.map((b) => b.seq) });
    expect(result.error).toMatchObject({ code: "Internal Server Error" });
    expect(posts.length).toBeLessThanOrEqual(8);
  });

  it("sends in batches of at most `batchSize`, clamped to 1 … 100", async () => {
    for (const [batchSize, expected] of [
      [3, [3, 3, 1]],
      [0, [1, 1, 1, 1, 1, 1, 1]],
      [500, [7]],
      [Number.NaN, [7]],
    ] as const) {
      const server = referenceServer();
      const blocks = Array.from({ length: 7 }, (_, seq) => ({ seq }));
      await sendTelemetry(blocks, { ...options(server), batchSize });
      expect(server.posts).toEqual(expected);
    }
  });

  it("never rejects: a throwing post or register leaves the blocks unsent with the failure", async () => {
    const server = referenceServer();
    const boom = new TypeError("not a function");
    const result = await sendTelemetry([{ seq: 1 }], {
      ...options(server),
      post: () => {
        throw boom;
      },
    });
    expect(result).toEqual({ stored: [], rejected: [], unsent: [1], error: boom });
    const refused = await sendTelemetry([{ seq: 2, deviceId: "ef56" }], {
      ...options(server),
      register: () => json(400, { error: "validation_error", details: [] }),
    });
    expect(refused).toMatchObject({ stored: [], rejected: [], unsent: [2], error: { code: "DEVICE_NOT_FOUND" } });
  });

  it("an already aborted signal sends nothing, and every block is unsent with the signal's reason", async () => {
    const server = referenceServer();
    const reason = new Error("shutting down");
    const result = await sendTelemetry([{ seq: 1 }, { seq: 2 }], {
      ...options(server),
      signal: AbortSignal.abort(reason),
    });
    expect(result).toEqual({ stored: [], rejected: [], unsent: [1, 2], error: reason });
    expect(server.posts).toEqual([]);
  });

  it("an empty outbox posts nothing", async () => {
    const server = referenceServer();
    expect(await sendTelemetry([], options(server))).toEqual({ stored: [], rejected: [], unsent: [] });
    expect(server.posts).toEqual([]);
  });
});
