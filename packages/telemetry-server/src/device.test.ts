import { isRetryable, retry } from "@wirefault/core";
import { recordingClock, revokedProxy, seededRandom, throwingGetters, trapProxy } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBatchResponse, readBatchResponse } from "./batch.js";
import { isAlreadyRegistered, mustRegister, seqsToResend } from "./device.js";
import { DeviceNotFoundError, InvalidPayloadError, InvalidSignatureError } from "./error.js";
import { parseError } from "./protocol.js";
import { batchResponse } from "./wire.js";

const mixed = () =>
  parseBatchResponse(
    207,
    JSON.stringify({
      accepted: 1,
      errors: [
        { seq: "1", error: "Device not found: ab12" },
        { seq: "2", error: "Invalid signature for device ab12" },
        { seq: "3", error: "Invalid payload: raw is not hex" },
        { seq: "4", error: "Quota exceeded" },
        { seq: "1", error: "Device not found: ab12" },
      ],
    }),
  );

describe("seqsToResend", () => {
  it("resends unknown-device and unknown-message blocks, never bad signatures or payloads", () => {
    expect(seqsToResend(mixed())).toEqual(["1", "4"]);
  });

  it("resends nothing after a 200", () => {
    expect(seqsToResend(parseBatchResponse(200, `{"accepted":2,"errors":[]}`), ["1", "2"])).toEqual([]);
  });

  it("resends the whole batch after a 500, which is safe because duplicates are accepted", () => {
    expect(seqsToResend(parseBatchResponse(500, `{"error":"internal_error"}`), [1, "2", 3n, "2"])).toEqual([
      1,
      "2",
      3n,
    ]);
    expect(seqsToResend(parseBatchResponse(500, `{"error":"internal_error"}`))).toEqual([]);
  });

  it("resends nothing after a 400 or an unreadable answer", () => {
    expect(seqsToResend(parseBatchResponse(400, `{"error":"validation_error"}`), ["1"])).toEqual([]);
    expect(seqsToResend(parseBatchResponse(207, `{"accepted":-1,"errors":[]}`), ["1"])).toEqual([]);
  });
});

describe("mustRegister", () => {
  it("is true for a batch with a DEVICE_NOT_FOUND block", () => {
    expect(mustRegister(mixed())).toBe(true);
    expect(
      mustRegister(
        parseBatchResponse(207, `{"accepted":0,"errors":[{"seq":"2","error":"Invalid signature for device a"}]}`),
      ),
    ).toBe(false);
    expect(mustRegister(parseBatchResponse(200, `{"accepted":1,"errors":[]}`))).toBe(false);
  });

  it("is true for a 404 Device not found and a DeviceNotFoundError", () => {
    expect(mustRegister(parseError(`{"error":"Device not found"}`, { status: 404 }))).toBe(true);
    expect(mustRegister(parseBatchResponse(404, `{"error":"Device not found"}`))).toBe(true);
    expect(mustRegister(new DeviceNotFoundError("ab"))).toBe(true);
  });

  it("is false for everything else", () => {
    expect(mustRegister(new InvalidSignatureError("ab"))).toBe(false);
    expect(mustRegister(new InvalidPayloadError("x"))).toBe(false);
    expect(mustRegister(parseError(`{"statusCode":404,"error":"Not Found","message":"Route GET:/x not found"}`))).toBe(
      false,
    );
    expect(mustRegister(parseBatchResponse(500, `{"error":"internal_error"}`))).toBe(false);
    for (const value of [
      undefined,
      null,
      1,
      "DEVICE_NOT_FOUND",
      {},
      { errors: "x" },
      { errors: [{ action: "reset" }] },
    ])
      expect(mustRegister(value)).toBe(false);
  });
});

describe("isAlreadyRegistered", () => {
  it("treats 200, 201 and 409 at registration as registered", () => {
    expect([200, 201, 409].map(isAlreadyRegistered)).toEqual([true, true, true]);
    expect([400, 404, 500, 207].map(isAlreadyRegistered)).toEqual([false, false, false, false]);
  });

  it("reads a 409 error too", () => {
    expect(isAlreadyRegistered(parseError(`{"error":"device_already_exists"}`))).toBe(true);
    expect(isAlreadyRegistered(parseError("", { status: 409 }))).toBe(true);
    expect(isAlreadyRegistered(parseError(`{"error":"validation_error"}`, { status: 400 }))).toBe(false);
    expect(isAlreadyRegistered({ code: "device_already_exists" })).toBe(false);
  });
});

describe("a device loop against a fake server", () => {
  type Block = { seq: string; deviceId: string };

  // The reference server: unknown devices get 207 per block, duplicates are accepted.
  const server = (failures: number[] = []) => {
    const registered = new Set<string>();
    const stored = new Set<string>();
    let calls = 0;
    return {
      stored,
      calls: () => calls,
      register(deviceId: string) {
        const status = registered.has(deviceId) ? 409 : 201;
        registered.add(deviceId);
        return status;
      },
      telemetry(blocks: Block[]): Response {
        calls++;
        const status = failures.shift();
        if (status) return new Response(JSON.stringify({ error: "internal_error" }), { status });
        const reply = batchResponse(
          blocks.map((block) => {
            if (!registered.has(block.deviceId))
              return { seq: block.seq, error: new DeviceNotFoundError(block.deviceId) };
            stored.add(`${block.deviceId}:${block.seq}`);
            return { seq: block.seq };
          }),
        );
        return new Response(JSON.stringify(reply.body), { status: reply.status });
      },
    };
  };

  const upload = async (srv: ReturnType<typeof server>, blocks: Block[], clock = recordingClock()) => {
    let pending = blocks;
    for (let round = 0; pending.length > 0 && round < 3; round++) {
      const result = await retry(
        async () => {
          const answer = await readBatchResponse(srv.telemetry(pending), { sent: pending.length });
          if (answer.error) throw answer.error;
          return answer;
        },
        { clock, random: seededRandom(1) },
      );
      if (mustRegister(result)) {
        for (const id of new Set(result.errors.map((e) => e.deviceId))) {
          if (id !== undefined) expect(isAlreadyRegistered(srv.register(id))).toBe(true);
        }
      }
      const again = new Set(seqsToResend(result));
      pending = pending.filter((block) => again.has(block.seq));
    }
    return pending;
  };

  it("registers on a 207 DEVICE_NOT_FOUND and resends just those blocks", async () => {
    const srv = server();
    srv.register("aa");
    const left = await upload(srv, [
      { seq: "1", deviceId: "aa" },
      { seq: "2", deviceId: "bb" },
    ]);
    expect(left).toEqual([]);
    expect([...srv.stored].sort()).toEqual(["aa:1", "bb:2"]);
    expect(srv.calls()).toBe(2);
  });

  it("retries a 500 with backoff on the recording clock, then carries on", async () => {
    const srv = server([500]);
    srv.register("aa");
    const clock = recordingClock();
    await upload(srv, [{ seq: "1", deviceId: "aa" }], clock);
    expect(srv.calls()).toBe(2);
    expect(clock.delays).toHaveLength(1);
    expect(srv.stored.has("aa:1")).toBe(true);
  });

  it("caps a deterministic 500 at three attempts", async () => {
    const srv = server([500, 500, 500, 500, 500]);
    const clock = recordingClock();
    const failure = await upload(srv, [{ seq: "1", deviceId: "aa" }], clock).catch((error: unknown) => error);
    expect(isRetryable(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "internal_error", attempts: 3 });
    expect(srv.calls()).toBe(3);
    expect(clock.delays).toHaveLength(2);
  });

  it("does not retry a 400", async () => {
    const clock = recordingClock();
    let calls = 0;
    const failure = await retry(
      async () => {
        calls++;
        const answer = await readBatchResponse(
          new Response(`{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"m"}`, {
            status: 400,
          }),
        );
        throw answer.error;
      },
      { clock },
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "FST_ERR_VALIDATION", attempts: 1 });
    expect(calls).toBe(1);
    expect(clock.delays).toEqual([]);
  });
});

describe("never throws (fuzz)", () => {
  // Proxies are made inside the property: fast-check itself probes generated values.
  const HOSTILE = [
    () => trapProxy(),
    () => revokedProxy(),
    () => throwingGetters(["error", "errors", "seq", "action", "code", "status", "protocol"]),
    () => Symbol("s"),
    () => ({
      toString: () => {
        throw new Error("toString");
      },
    }),
  ];
  const hostile = fc.oneof(
    fc
      .anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true })
      .map((value) => () => value),
    fc.constantFrom(...HOSTILE),
  );
  const hostileItem = fc.oneof(
    fc.string().map((s) => () => s),
    fc.integer().map((n) => () => n),
    fc.constantFrom(...HOSTILE),
  );

  it("seqsToResend, with hostile results and hostile items in sent", () => {
    const failed = parseBatchResponse(500, '{"error":"internal_error"}');
    fc.assert(
      fc.property(hostile, fc.array(hostileItem), (make, makeSent) => {
        const result = make();
        const sent = makeSent.map((f) => f());
        expect(Array.isArray(seqsToResend(result as never, sent as never))).toBe(true);
        const seqs = sent.filter((s) => typeof s === "string" || typeof s === "number" || typeof s === "bigint");
        const firsts = seqs.filter((s, i) => seqs.findIndex((t) => String(t) === String(s)) === i);
        expect(seqsToResend(failed, sent as never)).toEqual(firsts);
        expect(seqsToResend({ status: 207, accepted: 0, error: undefined, errors: [result] } as never)).toEqual([]);
      }),
    );
    const throwingIterable = {
      *[Symbol.iterator]() {
        yield "1";
        throw new Error("iterator");
      },
    };
    expect(seqsToResend(failed, throwingIterable as never)).toEqual(["1"]);
  });

  it("mustRegister and isAlreadyRegistered, with anything", () => {
    fc.assert(
      fc.property(hostile, (make) => {
        const target = make();
        expect(typeof mustRegister(target)).toBe("boolean");
        expect(typeof mustRegister({ error: target, errors: [target] })).toBe("boolean");
        expect(typeof isAlreadyRegistered(target)).toBe("boolean");
      }),
    );
    expect(mustRegister(trapProxy())).toBe(false);
  });
});
