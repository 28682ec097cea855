// A Tryll client reads a stream whose frames arrive cut at seeded random
// boundaries, mixed with garbage. It decodes every real error and gets a typed
// error for every garbage frame; a stream it cannot resynchronise ends in a
// typed TOO_LARGE, and a reconnect resumes.
import { isProtocolError, MALFORMED, TOO_LARGE } from "@wirefault/core";
import { seededRandom } from "@wirefault/test-utils";
import { catalog, TryllError } from "@wirefault/tryll";
import { decodeFrame, encodeErrorFrame, FrameReader } from "@wirefault/tryll/frame";
import { afterEach, describe, expect, it } from "vitest";
import { errorFaults } from "../peers/shared.js";
import { lengthPrefixed, startTryllPeer, type TryllFault, type TryllPeer } from "../peers/tryll.js";
import { report, TryllClient } from "./clients.js";

let peer: TryllPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

type Expected =
  | { readonly kind: "error"; readonly code: number }
  | { readonly kind: "garbage" }
  | { readonly kind: "ok" };

/** Seeded Fisher-Yates. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

describe("Tryll client over a stream cut at random boundaries, mixed with garbage", () => {
  it("decodes every real error and raises a typed error for every garbage frame", async () => {
    const server = await startTryllPeer({ seed: 11, split: { maxChunk: 9, seed: 12 } });
    peer = server;
    const random = seededRandom(13);
    // Every catalog code twice, failed turns, successes and framed garbage, in a seeded order.
    const plan: { fault: TryllFault; expected: Expected }[] = shuffle(
      [
        ...[...errorFaults(catalog), ...errorFaults(catalog)].map((fault) => ({
          fault,
          expected: { kind: "error", code: fault.code } as const,
        })),
        ...Array.from({ length: 10 }, () => ({
          fault: { kind: "turn-failed", message: "backend crash" } as const,
          expected: { kind: "error", code: 4001 } as const,
        })),
        ...Array.from({ length: 30 }, (_, i) => ({
          // At least 12 bytes, the least a frame may carry; shorter is a violation that stops the stream.
          fault: { kind: "garbage", bytes: 12 + ((i * 37) % 200) } as const,
          expected: { kind: "garbage" } as const,
        })),
        ...Array.from({ length: 30 }, () => ({ fault: { kind: "none" } as const, expected: { kind: "ok" } as const })),
      ],
      random,
    );
    server.plan(...plan.map(({ fault }) => fault));

    const client = await TryllClient.connect(server.port);
    // Each request at least the 12 bytes a message takes.
    for (let i = 0; i < plan.length; i++) client.request(`request number ${i}`);
    const seen = { errors: 0, garbage: 0, ok: 0 };
    for (const [i, { expected }] of plan.entries()) {
      const event = await client.next(5_000);
      if (event.type !== "frame") throw new Error(`stream ended after ${i} frames`);
      const err = decodeFrame(event.frame);
      switch (expected.kind) {
        case "ok":
          expect(err).toBeUndefined();
          seen.ok++;
          break;
        case "garbage":
          expect(err).toBeInstanceOf(TryllError);
          expect([err?.code, err?.known, err?.action]).toEqual([MALFORMED, false, "abort"]);
          seen.garbage++;
          break;
        case "error":
          expect(err).toBeInstanceOf(TryllError);
          expect([err?.code, err?.known]).toEqual([expected.code, true]);
          expect(err?.requestId).toBe(BigInt(i + 1));
          seen.errors++;
          break;
      }
    }
    // The stream really arrived in pieces: many more chunks than frames.
    expect(client.chunks).toBeGreaterThan(plan.length * 2);
    expect(client.reader.buffered).toBe(0);
    expect(server.requests).toBe(plan.length);

    // Raw garbage then a prefix over 1 MiB: the reader stops with a typed TOO_LARGE; a reconnect resumes.
    server.plan({ kind: "garbage", framed: false, bytes: 3 }, { kind: "oversized" });
    client.request("junk request");
    client.request("junk request");
    const end = await client.next(5_000);
    expect(end).toMatchObject({ type: "end", readerError: true });
    expect(isProtocolError(client.reader.error) && client.reader.error.code).toBe(TOO_LARGE);
    const again = await TryllClient.connect(server.port);
    server.plan({ kind: "error", code: 2002 });
    again.request();
    const resumed = await again.next();
    expect(resumed.type === "frame" && decodeFrame(resumed.frame)?.code).toBe(2002);
    again.close();

    report("tryll-stream", {
      scenario: "Tryll: frames cut at seeded random boundaries over TCP, mixed with garbage",
      faults: server.faultsInjected,
      sent: plan.length,
      realErrorsDecoded: seen.errors,
      garbageTyped: seen.garbage,
      successes: seen.ok,
      chunksReceived: client.chunks,
      lost: plan.length - seen.errors - seen.garbage - seen.ok,
      duplicated: 0,
    });
  });

  it("gives the same frames for every split of the same bytes (200 seeded splits, in memory)", () => {
    const random = seededRandom(99);
    const frames = [
      ...catalog.map((e) => encodeErrorFrame({ code: e.code, message: e.summary, requestId: 7n })),
      lengthPrefixed(new Uint8Array([0x00, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8])),
    ];
    const stream = new Uint8Array(frames.reduce((n, f) => n + f.byteLength, 0));
    let offset = 0;
    for (const f of frames) {
      stream.set(f, offset);
      offset += f.byteLength;
    }
    const expected = frames.map((f) => decodeFrame(f)?.code);
    expect(expected.at(-1)).toBe(MALFORMED);
    for (let split = 0; split < 200; split++) {
      const reader = new FrameReader();
      const decoded: unknown[] = [];
      for (let at = 0; at < stream.byteLength; ) {
        const size = 1 + Math.floor(random() * 64);
        for (const frame of reader.push(stream.subarray(at, at + size))) decoded.push(decodeFrame(frame)?.code);
        at += size;
      }
      expect(decoded).toEqual(expected);
      expect(reader.buffered).toBe(0);
    }
  });
});
