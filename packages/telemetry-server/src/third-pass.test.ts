// FIELD-NOTES.md, "Added in the third pass": the Rust port's answers, and the
// bounds of a 207 (issue 27). Each shape is read through every path a device
// or a server author has: text, bytes, decoded, fromResponse or readBatchResponse.
import { retry } from "@wirefault/core";
import { recordingClock } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { MAX_BATCH_BLOCKS, parseBatchResponse, readBatchResponse } from "./batch.js";
import { mustRegister, seqsToResend } from "./device.js";
import { RawJsonMismatchError } from "./error.js";
import { fromResponse, parseError } from "./protocol.js";

const HEX = "c5785ea2c66a";
const forms = (text: string) => [text, new TextEncoder().encode(text), JSON.parse(text)];

describe("the Rust port's per-block answers: deterministic, never resent, each naming what it can", () => {
  const mismatch = `{"accepted":1,"errors":[{"seq":"7","error":"Raw/JSON mismatch for device ${HEX}"},{"seq":8,"error":"Invalid payload: timestamp"}]}`;

  it.each(forms(mismatch).map((input, i) => [["text", "bytes", "decoded"][i], input] as const))("as %s", (_, input) => {
    const result = parseBatchResponse(207, input);
    const [raw, payload] = result.errors;
    expect(raw).toBeInstanceOf(RawJsonMismatchError);
    expect(raw).toMatchObject({ code: "RAW_JSON_MISMATCH", known: true, retryable: "no", action: "fix-request" });
    expect(raw).toMatchObject({ deviceId: HEX, seq: "7", status: 207 });
    expect(payload).toMatchObject({ code: "INVALID_PAYLOAD", known: true, retryable: "no", detail: "timestamp" });
    expect(JSON.stringify(raw?.toWire())).toBe(`{"seq":"7","error":"Raw/JSON mismatch for device ${HEX}"}`);
    expect(JSON.stringify(payload?.toWire())).toBe('{"seq":8,"error":"Invalid payload: timestamp"}');
    expect(seqsToResend(result, ["6", "7", 8])).toEqual([]);
    expect(mustRegister(result)).toBe(false);
  });

  it("through readBatchResponse", async () => {
    const result = await readBatchResponse(new Response(mismatch, { status: 207 }));
    expect(result.errors.map((e) => [e.code, e.deviceId])).toEqual([
      ["RAW_JSON_MISMATCH", HEX],
      ["INVALID_PAYLOAD", undefined],
    ]);
  });

  it("a raised RawJsonMismatchError writes the port's exact sentence", () => {
    const err = new RawJsonMismatchError(HEX, { seq: 7 });
    expect(err.toWire()).toEqual({ seq: "7", error: `Raw/JSON mismatch for device ${HEX}` });
  });
});

describe("the Rust port's top-level answers", () => {
  const internal = '{"error":"internal"}';
  const range = '{"error":"blocks must have 1..100 items"}';

  it("500 internal: a storage failure, transient; the batch is resent, with attempts capped", async () => {
    const expected = { code: "internal", known: true, status: 500, retryable: "yes", action: "retry" };
    for (const input of forms(internal)) expect(parseError(input, { status: 500 })).toMatchObject(expected);
    expect(await fromResponse(new Response(internal, { status: 500 }))).toMatchObject(expected);
    const result = await readBatchResponse(new Response(internal, { status: 500 }));
    expect(result.error).toMatchObject(expected);
    expect(seqsToResend(result, [1, 2])).toEqual([1, 2]);
    let calls = 0;
    await retry(
      () => {
        calls++;
        throw parseError(internal, { status: 500 });
      },
      { clock: recordingClock() },
    ).catch(() => {});
    expect(calls).toBe(3);
  });

  it("400 blocks must have 1..100 items: fix the batch, resend nothing", async () => {
    const expected = { code: "blocks must have 1..100 items", known: true, status: 400, action: "fix-request" };
    for (const input of forms(range)) expect(parseError(input, { status: 400 })).toMatchObject(expected);
    expect(await fromResponse(new Response(range, { status: 400 }))).toMatchObject(expected);
    const result = parseBatchResponse(400, range);
    expect(result.error).toMatchObject(expected);
    expect(seqsToResend(result, ["1"])).toEqual([]);
    expect(JSON.stringify(result.error?.toWire())).toBe(range);
  });
});

describe("toWire() of an empty body", () => {
  it("a HEAD answer has none, and gives none back", async () => {
    for (const status of [404, 500, 400]) {
      const err = await fromResponse(new Response(null, { status }));
      expect(err.toWire()).toBe("");
    }
    expect(parseError("", { status: 404 }).toWire()).toBe("");
  });
});

describe("a 207 lists at most 100 entries (issue 27)", () => {
  const entries = (n: number, seq: (i: number) => unknown = (i) => `${i}`) =>
    JSON.stringify({ accepted: 0, errors: Array.from({ length: n }, (_, i) => ({ seq: seq(i), error: "{}" })) });

  it("100 entries are read", () => {
    expect(parseBatchResponse(207, entries(MAX_BATCH_BLOCKS)).errors).toHaveLength(100);
  });

  it("1 MiB of entries is a protocol violation reported as one error, with no entry built and nothing kept", () => {
    const body = entries(36_000);
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body.length).toBeLessThan(1_048_576);
    const result = parseBatchResponse(207, body);
    expect(result.errors).toEqual([]);
    expect(result.error).toMatchObject({ code: "WIREFAULT_MALFORMED", known: false, action: "abort", status: 207 });
    expect(result.error?.message).toBe("Batch answer lists 36000 errors, more than the 100 blocks a batch may hold");
    expect(result.error?.raw).toBeUndefined();
    expect(seqsToResend(result, ["1"])).toEqual([]);
  });

  it("101 is already too many; so is an accepted count that, with the errors, passes 100", () => {
    expect(parseBatchResponse(207, entries(101)).error?.code).toBe("WIREFAULT_MALFORMED");
    const over = JSON.stringify({ accepted: 100, errors: [{ seq: "1", error: "Device not found: ab" }] });
    expect(parseBatchResponse(207, over).error?.code).toBe("WIREFAULT_MALFORMED");
  });
});

describe("seqsToResend(result, sent) (issue 27)", () => {
  const answer = JSON.stringify({
    accepted: 0,
    errors: [
      { seq: 6, error: "Device not found: ab12" },
      { seq: "-1", error: "Device not found: ab12" },
      { seq: "abc", error: "Quota exceeded" },
      { seq: "9", error: "Invalid signature for device ab12" },
    ],
  });

  it("returns only seqs that were sent, each exactly as sent", () => {
    const result = parseBatchResponse(207, answer);
    expect(seqsToResend(result, ["1"])).toEqual([]);
    expect(seqsToResend(result, [6, 9])).toEqual([6]);
    expect(typeof seqsToResend(result, [6])[0]).toBe("number");
    expect(seqsToResend(result, ["6", "abc", 6n])).toEqual(["6", "abc"]);
    expect(seqsToResend(result, [6n])).toEqual([6n]);
  });

  it("without sent, the answer's own seqs, as strings", () => {
    expect(seqsToResend(parseBatchResponse(207, answer))).toEqual(["6", "-1", "abc"]);
  });
});

describe('a deterministic 500 from the TypeScript server (a seq of 1.5, null, "1e3", {} or no timestamp)', () => {
  it("is resent at most 3 times in all, never forever", async () => {
    const crash = '{"statusCode":500,"error":"Internal Server Error","message":"Cannot convert 1.5 to a BigInt"}';
    let calls = 0;
    const err = await retry(
      () => {
        calls++;
        throw parseError(crash, { status: 500 });
      },
      { maxAttempts: 50, clock: recordingClock() },
    ).catch((e) => e);
    expect(calls).toBe(3);
    expect(err).toMatchObject({ code: "Internal Server Error", attempts: 3 });
  });
});
