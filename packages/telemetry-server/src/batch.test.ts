import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { growth, LINEAR_GROWTH } from "@wirefault/test-utils";
import { describeExhaustive } from "@wirefault/test-utils/typecheck";
import { describe, expect, it } from "vitest";
import { parseBatchResponse, readBatchResponse } from "./batch.js";
import { type BlockCode, catalog } from "./catalog.js";
import { DeviceNotFoundError, InvalidPayloadError, InvalidSignatureError, TelemetryServerError } from "./error.js";
import { fromResponse, parseError } from "./protocol.js";

// The page's 207, verbatim, and the bodies other statuses bring (field notes).
const PAGE_207 = `{
"accepted": 0,
"errors": [
{ "seq": "42", "error": "Invalid signature for device c5785e…a2c66a" }
]
}`;
const PAGE_404 = `{ "error": "Device not found" }`;
const FST_VALIDATION = `{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"body/blocks must NOT have more than 100 items"}`;
const FST_500 = `{"statusCode":500,"error":"Internal Server Error","message":"Cannot convert abc to a BigInt"}`;

describe("parseBatchResponse: the page's shapes", () => {
  it("207 gives typed per-block errors with seq and deviceId", () => {
    const result = parseBatchResponse(207, PAGE_207, { sent: 1 });
    expect(result.status).toBe(207);
    expect(result.accepted).toBe(0);
    expect(result.error).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    const [err] = result.errors;
    expect(err).toBeInstanceOf(InvalidSignatureError);
    expect(err?.toJSON()).toEqual({
      name: "InvalidSignatureError",
      message: "Invalid signature for device c5785e…a2c66a",
      protocol: "telemetry-server",
      surface: "http",
      code: "INVALID_SIGNATURE",
      codeName: "INVALID_SIGNATURE",
      status: 207,
      retryable: "no",
      action: "fix-request",
      known: true,
      seq: "42",
      deviceId: "c5785e…a2c66a",
      cause: undefined,
    });
    expect({ accepted: result.accepted, errors: result.errors.map((e) => e.toWire()) }).toEqual(JSON.parse(PAGE_207));
  });

  it("200 means all accepted, duplicates included: not an error", () => {
    const result = parseBatchResponse(200, `{"accepted":1,"errors":[]}`, { sent: 1 });
    expect(result).toEqual({ status: 200, accepted: 1, errors: [], error: undefined });
  });

  it("types each template and keeps unknown messages with known: false", () => {
    const body = JSON.stringify({
      accepted: 1,
      errors: [
        { seq: "1", error: "Device not found: ab12" },
        { seq: "2", error: "Invalid signature for device cd34" },
        { seq: "3", error: "Invalid payload: raw is not hex" },
        { seq: "4", error: "Quota exceeded" },
      ],
    });
    const { errors } = parseBatchResponse(207, body, { sent: 5 });
    expect(errors.map((e) => [e.constructor, e.code, e.seq, e.deviceId, e.detail])).toEqual([
      [DeviceNotFoundError, "DEVICE_NOT_FOUND", "1", "ab12", undefined],
      [InvalidSignatureError, "INVALID_SIGNATURE", "2", "cd34", undefined],
      [InvalidPayloadError, "INVALID_PAYLOAD", "3", undefined, "raw is not hex"],
      [TelemetryServerError, "Quota exceeded", "4", undefined, undefined],
    ]);
    expect(errors[0]).toMatchObject({ retryable: "no", action: "reset", status: 207 });
    expect(errors[3]).toMatchObject({ known: false, retryable: "maybe", action: "retry", message: "Quota exceeded" });
    expect(errors[3]?.raw).toEqual({ seq: "4", error: "Quota exceeded" });
  });

  it("any other status is a top-level error, never a per-block one", () => {
    const notFound = parseBatchResponse(404, PAGE_404);
    expect(notFound.errors).toEqual([]);
    expect(notFound.accepted).toBe(0);
    expect(notFound.error).toMatchObject({ code: "Device not found", status: 404 });

    const fst = parseBatchResponse(400, FST_VALIDATION, { sent: 101 });
    expect(fst).toMatchObject({ status: 400, accepted: 0, errors: [] });
    expect(fst.error).toMatchObject({ code: "FST_ERR_VALIDATION", action: "fix-request" });

    const crash = parseBatchResponse(500, FST_500, { retryAfterMs: 1000 });
    expect(crash.error).toMatchObject({ code: "Internal Server Error", retryable: "yes", retryAfterMs: 1000 });

    // A 207-shaped body under another status is still not per-block: it names no code, so it is the bare 500.
    const odd = parseBatchResponse(500, PAGE_207);
    expect(odd.errors).toEqual([]);
    expect(odd.error).toMatchObject({ code: "internal_error", known: true, status: 500, retryable: "yes" });

    expect(parseBatchResponse(201, `{"device":{}}`).error).toMatchObject({ code: MALFORMED, status: 201 });
  });

  it("an empty per-block message keeps its seq: MALFORMED, known: false, one more try", () => {
    // Found by the reliability fuzz: core reads an empty code as no code, which would drop the seq.
    const { errors } = parseBatchResponse(200, `{"accepted":0,"errors":[{"seq":0,"error":""}],"__proto__":{"x":1}}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: MALFORMED, seq: "0", known: false, retryable: "maybe", action: "retry" });
    expect(errors[0]?.message).toBe("");
    // The entry is the peer's, not an error wirefault raised: echoed as it came, seq a number.
    expect(errors[0]?.local).toBe(false);
    expect(errors[0]?.toWire()).toEqual({ seq: 0, error: "" });
  });

  it("unknown-device telemetry arrives as 207 per block", () => {
    const result = parseBatchResponse(207, `{"accepted":0,"errors":[{"seq":"1","error":"Device not found: ab"}]}`);
    expect(result.error).toBeUndefined();
    expect(result.errors[0]).toBeInstanceOf(DeviceNotFoundError);
  });
});

describe("parseBatchResponse: bad input", () => {
  const malformed = (status: number, body: unknown, sent?: number) => {
    const result = parseBatchResponse(status, body, sent === undefined ? {} : { sent });
    expect(result.accepted).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.error).toBeInstanceOf(TelemetryServerError);
    return result.error;
  };

  it("accepted negative", () => {
    const err = malformed(207, `{"accepted":-1,"errors":[]}`);
    expect(err).toMatchObject({ code: MALFORMED, status: 207, known: false, retryable: "no", action: "abort" });
    expect(err?.message).toBe("Batch answer has a bad accepted count: -1");
  });

  it("accepted a string", () => {
    const err = malformed(200, `{"accepted":"1","errors":[]}`);
    expect(err).toMatchObject({ code: MALFORMED, status: 200 });
    expect(err?.message).toBe("Batch answer has a bad shape at accepted");
  });

  it("accepted a fraction", () => {
    expect(malformed(200, `{"accepted":1.5,"errors":[]}`)?.message).toBe("Batch answer has a bad accepted count: 1.5");
  });

  it("accepted more than the blocks sent", () => {
    const err = malformed(200, `{"accepted":3,"errors":[]}`, 2);
    expect(err?.message).toBe("Batch answer accepts 3 of 2 blocks sent");
    expect(parseBatchResponse(200, `{"accepted":2,"errors":[]}`, { sent: 2 }).error).toBeUndefined();
  });

  it.each([`{}`, `"x"`, `null`, `3`, `{"x":1}`])("errors not an array: %s", (errors) => {
    const err = malformed(207, `{"accepted":0,"errors":${errors}}`);
    expect(err?.message).toBe("Batch answer has a bad shape at errors");
  });

  it("a seq that is a number is normalised to a string and kept", () => {
    const result = parseBatchResponse(207, `{"accepted":0,"errors":[{"seq":42,"error":"Device not found: ab"}]}`);
    expect(result.error).toBeUndefined();
    expect(result.errors[0]?.seq).toBe("42");
    expect(result.errors[0]?.raw).toEqual({ seq: 42, error: "Device not found: ab" });
  });

  it.each([`null`, `true`, `{}`, `[1]`])("a seq that is neither string nor number: %s", (seq) => {
    const err = malformed(207, `{"accepted":0,"errors":[{"seq":${seq},"error":"x"}]}`);
    expect(err?.message).toBe("Batch answer has a seq that is neither a string nor a number");
  });

  it("a missing seq or a non-string error", () => {
    expect(malformed(207, `{"accepted":0,"errors":[{"error":"x"}]}`)?.code).toBe(MALFORMED);
    expect(malformed(207, `{"accepted":0,"errors":[{"seq":"1","error":5}]}`)?.message).toBe(
      "Batch answer has a bad shape at errors.0.error",
    );
  });

  it("a 5 MB body is refused by the size cap before parsing", () => {
    const body = `{"accepted":0,"errors":[${`{"seq":"1","error":"Device not found: ab"},`.repeat(120_000)}]}`;
    expect(body.length).toBeGreaterThan(5_000_000);
    const err = malformed(207, body);
    expect(err).toMatchObject({ code: TOO_LARGE, status: 207, known: false });
    expect(err?.raw).toBeUndefined();
    expect(parseError(body, { status: 500 })).toMatchObject({ code: TOO_LARGE, status: 500 });
    expect(parseBatchResponse(207, new TextEncoder().encode(body)).error?.code).toBe(TOO_LARGE);
  });

  it("a body that is not JSON", () => {
    expect(malformed(200, "OK")?.message).toBe("Batch answer is not JSON");
    expect(malformed(207, "")?.code).toBe(MALFORMED);
  });

  it("templates with the hex missing or extra spaces", () => {
    const body = JSON.stringify({
      accepted: 0,
      errors: [
        { seq: "1", error: "Device not found: " },
        { seq: "2", error: "Invalid signature for device" },
        { seq: "3", error: "Device not found:    ab12   " },
        { seq: "4", error: "Invalid  signature  for  device   cd34" },
      ],
    });
    const { errors } = parseBatchResponse(207, body);
    expect(errors.map((e) => [e.code, e.deviceId, e.message])).toEqual([
      ["DEVICE_NOT_FOUND", undefined, "Device not found: "],
      ["INVALID_SIGNATURE", undefined, "Invalid signature for device"],
      ["DEVICE_NOT_FOUND", "ab12", "Device not found:    ab12   "],
      ["INVALID_SIGNATURE", "cd34", "Invalid  signature  for  device   cd34"],
    ]);
  });

  it("a 1 MB adversarial message parses in linear time", () => {
    const body = (scale: number) =>
      JSON.stringify({
        accepted: 0,
        errors: [{ seq: "1", error: `Device not found: ${"a".repeat(62_500 * scale)} x` }],
      });
    const { errors } = parseBatchResponse(207, body(16));
    expect(growth((scale) => () => parseBatchResponse(207, body(scale)))).toBeLessThan(LINEAR_GROWTH);
    expect(errors[0]).toMatchObject({ code: "DEVICE_NOT_FOUND", seq: "1" });
    expect(errors[0]?.deviceId).toBeUndefined();
  });

  it("a strange status is a top-level error", () => {
    for (const status of [Number.NaN, -1, 0, 99, 1000, 200.5]) {
      const result = parseBatchResponse(status, `{"accepted":0,"errors":[]}`);
      expect(result.status).toBe(0);
      expect(result.error).toMatchObject({ code: MALFORMED, status: undefined });
    }
  });
});

describe("a 207 answer's errors", () => {
  it("gives every error of a 207 answer its own first line and the caller's frames", () => {
    function callerOfTheBatch() {
      return parseBatchResponse(207, {
        accepted: 0,
        errors: [
          { seq: 1, error: "Device not found: ab" },
          { seq: 2, error: "bad" },
        ],
      });
    }
    const limit = Error.stackTraceLimit;
    const [a, b] = callerOfTheBatch().errors;
    expect(Error.stackTraceLimit).toBe(limit);
    expect(a?.stack).toMatch(/^DeviceNotFoundError: Device not found: ab\n\s+at callerOfTheBatch/);
    expect(b?.stack).toMatch(/^TelemetryServerError: bad\n\s+at callerOfTheBatch/);
  });

  it("stack: false gives the same errors with no stack, and a top-level error none either", () => {
    const body = { accepted: 1, errors: [{ seq: 1, error: "Device not found: ab" }] };
    const limit = Error.stackTraceLimit;
    const bare = parseBatchResponse(207, body, { stack: false });
    const usual = parseBatchResponse(207, body);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(bare.errors.map((e) => e.toJSON())).toEqual(usual.errors.map((e) => e.toJSON()));
    expect(bare.errors[0]?.stack).toBe("DeviceNotFoundError: Device not found: ab");
    const failed = parseBatchResponse(503, `{"error":"down"}`, { stack: false }).error;
    expect(failed?.stack).toBe(`${failed?.name}: ${failed?.message}`);
    expect(parseBatchResponse(503, `{"error":"down"}`).error?.stack?.split("\n").length).toBeGreaterThan(1);
  });
});

const json = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "application/json", ...headers } });

// A body far past the cap, streamed without a Content-Length.
const huge = (status: number) => {
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= 5 * 1024 * 1024) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { response: new Response(stream, { status }), sent: () => sent };
};

describe("readBatchResponse", () => {
  it("reads the page's 207", async () => {
    const result = await readBatchResponse(
      json(`{"accepted":0,"errors":[{"seq":"42","error":"Invalid signature for device c5785e…a2c66a"}]}`, 207),
      { sent: 1 },
    );
    expect(result.error).toBeUndefined();
    expect(result.errors[0]).toBeInstanceOf(InvalidSignatureError);
    expect(result.errors[0]).toMatchObject({ seq: "42", deviceId: "c5785e…a2c66a" });
  });

  it("reads a 200 with a duplicate as plain success", async () => {
    expect(await readBatchResponse(json(`{"accepted":1,"errors":[]}`, 200))).toEqual({
      status: 200,
      accepted: 1,
      errors: [],
      error: undefined,
    });
  });

  it("gives a top-level error for any other status, with Retry-After", async () => {
    const result = await readBatchResponse(json(`{"error":"internal_error"}`, 500, { "retry-after": "2" }));
    expect(result.errors).toEqual([]);
    expect(result.error).toMatchObject({ code: "internal_error", retryAfterMs: 2000 });
  });

  it("reads any other status exactly as fromResponse does", async () => {
    for (const [status, body] of [
      [404, ""],
      [500, "<html>"],
      [502, ""],
      [400, FST_VALIDATION],
    ] as const) {
      const result = await readBatchResponse(json(body, status));
      const alone = await fromResponse(json(body, status));
      expect(result).toMatchObject({ status, accepted: 0, errors: [] });
      expect(result.error?.toJSON()).toEqual(alone.toJSON());
    }
  });

  it("checks accepted against the blocks sent", async () => {
    const result = await readBatchResponse(json(`{"accepted":5,"errors":[]}`, 200), { sent: 2 });
    expect(result.error?.code).toBe(MALFORMED);
  });

  it("refuses a 5 MB answer", async () => {
    const result = await readBatchResponse(huge(207).response);
    expect(result).toMatchObject({ status: 207, accepted: 0, errors: [] });
    expect(result.error).toMatchObject({ code: TOO_LARGE, status: 207 });
  });

  it("a broken stream is a MALFORMED top-level error", async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("reset"));
      },
    });
    const result = await readBatchResponse(new Response(stream, { status: 207 }));
    expect(result.error?.code).toBe(MALFORMED);
    expect(result.errors).toEqual([]);
  });

  it("reads an entry that spells a top-level code as unknown: a block's code comes from its template", () => {
    const result = parseBatchResponse(
      207,
      '{"accepted":0,"errors":[{"seq":"1","error":"Not Found"},{"seq":"2","error":"validation_error"}]}',
    );
    for (const err of result.errors) {
      expect(err.known).toBe(false);
      expect(err.codeName).toBeUndefined();
      expect(err.policy).toBeUndefined();
      expect(err).toMatchObject({ status: 207, retryable: "maybe", action: "retry" });
    }
    expect(result.errors.map((err) => err.code)).toEqual(["Not Found", "validation_error"]);
    // Read alone, the same entry gives the same answer; a body without seq is still the top-level code.
    expect(parseError({ seq: "1", error: "Not Found" }).known).toBe(false);
    expect(parseError({ error: "Device not found" }, { status: 404 }).known).toBe(true);
  });

  it("types a known entry's code as a BlockCode, which indexes a Record without a cast", () => {
    // Keyed by the block codes only: a top-level code is no key, and a missing block code fails to compile.
    const next: Record<BlockCode, string> = {
      DEVICE_NOT_FOUND: "register, then resend",
      INVALID_SIGNATURE: "check the key",
      INVALID_PAYLOAD: "fix the block",
      RAW_JSON_MISMATCH: "fix the block's raw or its JSON",
    };
    const [err] = parseBatchResponse(207, PAGE_207).errors;
    if (!err?.known) throw new Error("the page's 207 entry is documented");
    // Compiles only because a known entry's code is a block code, not any telemetry code.
    const code: BlockCode = err.code;
    expect(next[code]).toBe("check the key");
  });

  it("types unknown-device blocks for re-registration", async () => {
    const result = await readBatchResponse(
      json(`{"accepted":1,"errors":[{"seq":"2","error":"Device not found: ab12"}]}`, 207),
    );
    expect(result.errors[0]).toBeInstanceOf(DeviceNotFoundError);
  });
});

// The README's pattern over a batch, compiled by tsc: a switch with every
// block code (the rows with a message template) compiles, and the same switch
// with one case removed does not; a top-level code is no case of it.
const imports = 'import { parseBatchResponse, readBatchResponse } from "./index.js";';
const codes = catalog.filter((entry) => "template" in entry).map((entry) => entry.code);
describeExhaustive(new URL(".", import.meta.url), {
  parseBatchResponse: {
    imports,
    bind: "for (const err of parseBatchResponse(207, input).errors) {",
    close: "}",
    codes,
  },
  readBatchResponse: {
    imports,
    bind: "for (const err of (await readBatchResponse(input as Response)).errors) {",
    close: "}",
    codes,
  },
});
