import { type KnownCode, MALFORMED, TOO_LARGE } from "@wirefault/core";
import { LINEAR_BUDGET_MS } from "@wirefault/test-utils";
import { describe, expect, expectTypeOf, it } from "vitest";
import { MAX_BYTES, type TelemetryServerCode } from "./catalog.js";
import type { ParsedTelemetryServerError } from "./error.js";
import { DeviceNotFoundError, InvalidPayloadError, InvalidSignatureError, TelemetryServerError } from "./error.js";
import { parseBatchResponse, parseError } from "./parse.js";

// The page's own bodies, verbatim.
const PAGE_400 = `{
"error": "validation_error",
"details": [
{ "code": "too_small", "path": ["name"], "message": "String must contain at least 1 character(s)" }
]
}`;
const PAGE_409 = `{ "error": "device_already_exists" }`;
const PAGE_404 = `{ "error": "Device not found" }`;
const PAGE_207 = `{
"accepted": 0,
"errors": [
{ "seq": "42", "error": "Invalid signature for device c5785e…a2c66a" }
]
}`;

// Observed on the wire (field notes).
const ZOD3_ISSUE = `{"code":"too_small","minimum":1,"type":"string","inclusive":true,"exact":false,"message":"String must contain at least 1 character(s)","path":["name"]}`;
const ZOD3_INVALID_TYPE = `{"code":"invalid_type","expected":"string","received":"undefined","path":["name"],"message":"Required"}`;
const FST_VALIDATION = `{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"body/blocks must NOT have more than 100 items"}`;
const FST_JSON = `{"statusCode":400,"code":"FST_ERR_CTP_INVALID_JSON_BODY","error":"Bad Request","message":"Body is not valid JSON but content-type is set to 'application/json'"}`;
const FST_ROUTE = `{"message":"Route GET:/v1/nope not found","error":"Not Found","statusCode":404}`;
const FST_500 = `{"statusCode":500,"error":"Internal Server Error","message":"Cannot convert abc to a BigInt"}`;
const RUST_400 = `{"error":"blocks must have 1..100 items"}`;

describe("parseError: the page's top-level bodies", () => {
  it("400 validation_error keeps the raw Zod issues", () => {
    const err = parseError(PAGE_400, { status: 400 });
    expect(err).toBeInstanceOf(TelemetryServerError);
    expect(err.toJSON()).toEqual({
      name: "TelemetryServerError",
      message: "validation_error at name: String must contain at least 1 character(s)",
      protocol: "telemetry-server",
      surface: "http",
      code: "validation_error",
      codeName: "validation_error",
      status: 400,
      retryable: "no",
      action: "fix-request",
      known: true,
      details: [{ code: "too_small", path: ["name"], message: "String must contain at least 1 character(s)" }],
      cause: undefined,
    });
    expect(err.toWire()).toEqual(JSON.parse(PAGE_400));
  });

  it("409 device_already_exists", () => {
    const err = parseError(PAGE_409, { status: 409 });
    expect(err).toMatchObject({ code: "device_already_exists", status: 409, retryable: "no", known: true });
    expect(err.message).toBe("device_already_exists");
    expect(err.toWire()).toEqual(JSON.parse(PAGE_409));
  });

  it("404 Device not found: register", () => {
    const err = parseError(PAGE_404, { status: 404 });
    expect(err).toMatchObject({
      code: "Device not found",
      codeName: "device_not_found",
      status: 404,
      retryable: "no",
      action: "reset",
      known: true,
    });
    expect(err.message).toBe("Device not found");
    expect(err.toWire()).toEqual(JSON.parse(PAGE_404));
  });

  it("500 with our documented body retries, capped", () => {
    const err = parseError(`{"error":"internal_error"}`, { status: 500 });
    expect(err).toMatchObject({ code: "internal_error", status: 500, retryable: "yes", action: "retry", known: true });
    expect(err.policy).toEqual({ maxAttempts: 3 });
  });

  it("takes the page's status when the transport gave none, and the transport's when it did", () => {
    expect(parseError(PAGE_409).status).toBe(409);
    expect(parseError(PAGE_409, { status: 400 }).status).toBe(400);
  });

  it("keeps Retry-After from the context", () => {
    expect(parseError(`{"error":"internal_error"}`, { status: 500, retryAfterMs: 2000 }).retryAfterMs).toBe(2000);
  });

  it("reads bytes and decoded objects as well as strings", () => {
    const bytes = new TextEncoder().encode(PAGE_409);
    expect(parseError(bytes, { status: 409 }).code).toBe("device_already_exists");
    expect(parseError(bytes.buffer, { status: 409 }).code).toBe("device_already_exists");
    expect(parseError({ error: "device_already_exists" }).code).toBe("device_already_exists");
  });
});

describe("parseError: field-notes variants", () => {
  it("keeps zod 3 issues verbatim, key order included", () => {
    const body = `{"error":"validation_error","details":[${ZOD3_ISSUE},${ZOD3_INVALID_TYPE}]}`;
    const err = parseError(body, { status: 400 });
    expect(err.details).toHaveLength(2);
    expect(JSON.stringify(err.details)).toBe(`[${ZOD3_ISSUE},${ZOD3_INVALID_TYPE}]`);
    expect(Object.keys(err.details?.[1] ?? {})).toEqual(["code", "expected", "received", "path", "message"]);
    expect(JSON.stringify(err.toWire())).toBe(body);
  });

  it("says the first issue's path and message in its own message, and counts the rest", () => {
    const issues = [
      { code: "invalid_type", path: ["blocks", 0, "seq"], message: "Required" },
      { code: "custom", path: [], message: "second" },
      { code: "custom", path: [], message: "third" },
    ];
    const at = (details: unknown[]) => parseError({ error: "validation_error", details }, { status: 400 }).message;
    expect(at(issues)).toBe("validation_error at blocks[0].seq: Required (and 2 more)");
    expect(at(issues.slice(1))).toBe("validation_error: second (and 1 more)");
    expect(at([{ code: "too_small", path: [0, "name"], message: "Too short" }])).toBe(
      "validation_error at [0].name: Too short",
    );
    // No issue to tell of: the code itself, as before.
    expect(at([])).toBe("validation_error");
    expect(parseError(`{"error":"validation_error"}`, { status: 400 }).message).toBe("validation_error");
    // The wire body is unchanged by the message.
    expect(parseError({ error: "validation_error", details: issues }).toWire()).toEqual({
      error: "validation_error",
      details: issues,
    });
  });

  it("keeps a copy of each issue of a decoded body, every key in its order", () => {
    const issue = { code: "custom", path: ["blocks", 0, "seq"], message: "bad", params: { x: 1 } };
    const err = parseError({ error: "validation_error", details: [issue] }, { status: 400 });
    expect(err.details?.[0]).toEqual(issue);
    expect(err.details?.[0]).not.toBe(issue);
    expect(Object.keys(err.details?.[0] ?? {})).toEqual(["code", "path", "message", "params"]);
  });

  it("drops an issue that cannot be copied (a cycle, a throwing getter), so JSON.stringify(err) works", () => {
    const cyclic: Record<string, unknown> = { code: "custom", path: [], message: "m" };
    cyclic.self = cyclic;
    const getter = {
      code: "custom",
      path: [],
      get message(): string {
        throw new Error("getter");
      },
    };
    const ok = { code: "too_small", path: ["name"], message: "m" };
    const err = parseError({ error: "validation_error", details: [cyclic, getter, ok] }, { status: 400 });
    expect(err.details).toEqual([ok]);
    expect(() => JSON.stringify(err)).not.toThrow();
  });

  it("drops details entries that are not issues, keeping the rest", () => {
    const ok = { code: "too_small", path: ["name"], message: "m" };
    const err = parseError(
      { error: "validation_error", details: [ok, { code: 1 }, null, "x", { code: "c", path: [{}], message: "m" }] },
      { status: 400 },
    );
    expect(err.details).toEqual([ok]);
  });

  it("the framework's 400 from the telemetry endpoint", () => {
    const err = parseError(FST_VALIDATION, { status: 400 });
    expect(err).toMatchObject({
      code: "FST_ERR_VALIDATION",
      message: "body/blocks must NOT have more than 100 items",
      status: 400,
      retryable: "no",
      action: "fix-request",
      known: true,
      reason: "Bad Request",
    });
    expect(err.toWire()).toEqual(JSON.parse(FST_VALIDATION));
  });

  it("the framework's invalid-JSON 400", () => {
    const err = parseError(FST_JSON, { status: 400 });
    expect(err).toMatchObject({
      code: "FST_ERR_CTP_INVALID_JSON_BODY",
      status: 400,
      action: "fix-request",
      known: true,
    });
    expect(err.toWire()).toEqual(JSON.parse(FST_JSON));
  });

  it("the framework's unknown route 404 is not an unknown device", () => {
    const err = parseError(FST_ROUTE);
    expect(err).toMatchObject({
      code: "Not Found",
      codeName: "route_not_found",
      message: "Route GET:/v1/nope not found",
      status: 404,
      action: "fix-request",
      known: true,
    });
    expect(err.toWire()).toEqual(JSON.parse(FST_ROUTE));
  });

  it("the framework's 500 for a malformed block retries, capped", () => {
    const err = parseError(FST_500, { status: 500 });
    expect(err).toMatchObject({
      code: "Internal Server Error",
      message: "Cannot convert abc to a BigInt",
      status: 500,
      retryable: "yes",
      action: "retry",
      known: true,
    });
    expect(err.policy).toEqual({ maxAttempts: 3 });
    expect(err.toWire()).toEqual(JSON.parse(FST_500));
  });

  it("the Rust port's 400 sentence: unknown code, classified by status", () => {
    const err = parseError(RUST_400, { status: 400 });
    expect(err).toMatchObject({
      code: "blocks must have 1..100 items",
      message: "blocks must have 1..100 items",
      status: 400,
      retryable: "no",
      action: "fix-request",
      known: false,
    });
    expect(err.codeName).toBeUndefined();
    expect(err.toWire()).toEqual(JSON.parse(RUST_400));
  });

  it("an unknown code with a status of the page takes that status's meaning", () => {
    expect(parseError(`{"error":"db_down"}`, { status: 500 })).toMatchObject({
      code: "db_down",
      retryable: "yes",
      action: "retry",
      known: false,
    });
    expect(parseError(`{"error":"db_down"}`, { status: 500 }).policy).toEqual({ maxAttempts: 3 });
    expect(parseError(`{"error":"gone"}`, { status: 404 })).toMatchObject({ action: "reset", known: false });
    expect(parseError(`{"error":"slow"}`, { status: 429 })).toMatchObject({ retryable: "yes", action: "throttle" });
  });

  it("an unknown code without a status is a protocol violation", () => {
    expect(parseError(`{"error":"db_down"}`)).toMatchObject({ code: "db_down", retryable: "no", action: "abort" });
  });

  it("a 207 entry on its own parses to its domain class", () => {
    const err = parseError(`{"seq":"42","error":"Device not found: ab12"}`);
    expect(err).toBeInstanceOf(DeviceNotFoundError);
    expect(err).toMatchObject({ code: "DEVICE_NOT_FOUND", seq: "42", deviceId: "ab12", status: 207 });
  });
});

describe("parseError: bodies that name no code", () => {
  it.each([
    ["empty", ""],
    ["HTML", "<html>Bad Gateway</html>"],
    ["JSON without a code", `{"oops":true}`],
    ["an array", "[]"],
    ["null", "null"],
    ["an empty error", `{"error":""}`],
  ])("%s: MALFORMED, classified by status", (_, body) => {
    const err = parseError(body, { status: 500 });
    expect(err).toMatchObject({ code: MALFORMED, status: 500, retryable: "yes", action: "retry", known: false });
    const e502 = parseError(body, { status: 502 });
    expect(e502).toMatchObject({ code: MALFORMED, status: 502, retryable: "yes", action: "retry" });
    expect(parseError(body)).toMatchObject({ code: MALFORMED, status: undefined, retryable: "no", action: "abort" });
  });

  it("keeps the raw body, out of toJSON", () => {
    const err = parseError("<html>", { status: 500 });
    expect(err.raw).toBe("<html>");
    expect(Object.keys(err.toJSON())).not.toContain("raw");
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });
});

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

    // A 207-shaped body under another status is still not per-block.
    const odd = parseBatchResponse(500, PAGE_207);
    expect(odd.errors).toEqual([]);
    expect(odd.error).toMatchObject({ code: MALFORMED, status: 500, retryable: "yes" });

    expect(parseBatchResponse(201, `{"device":{}}`).error).toMatchObject({ code: MALFORMED, status: 201 });
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
    const message = `Device not found: ${"a".repeat(1_000_000)} x`;
    const started = performance.now();
    const { errors } = parseBatchResponse(207, JSON.stringify({ accepted: 0, errors: [{ seq: "1", error: message }] }));
    expect(performance.now() - started).toBeLessThan(LINEAR_BUDGET_MS);
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

describe("hostile input", () => {
  const throwing = () =>
    Object.defineProperty({}, "error", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
  const trap = () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
        ownKeys() {
          throw new Error("trap");
        },
        has() {
          throw new Error("trap");
        },
      },
    );

  it("throwing getters and proxies become errors, never throws", () => {
    for (const value of [throwing(), trap()]) {
      const err = parseError(value, { status: 500 });
      expect(err).toBeInstanceOf(TelemetryServerError);
      expect(err.code).toBe(MALFORMED);
      const result = parseBatchResponse(207, value);
      expect(result.error?.code).toBe(MALFORMED);
      expect(parseBatchResponse(207, { accepted: 0, errors: [value] }).error?.code).toBe(MALFORMED);
    }
    expect(parseError("{}", trap() as never)).toBeInstanceOf(TelemetryServerError);
    expect(parseBatchResponse(207, "{}", trap() as never).error?.code).toBe(MALFORMED);
  });

  it("__proto__ keys are never copied", () => {
    const err = parseError(`{"error":"validation_error","__proto__":{"polluted":1},"details":[]}`, { status: 400 });
    expect(err.code).toBe("validation_error");
    expect((err as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const result = parseBatchResponse(
      207,
      `{"accepted":0,"__proto__":{"x":1},"errors":[{"seq":"1","error":"Device not found: ab","__proto__":{"y":2}}]}`,
    );
    expect(result.errors[0]?.deviceId).toBe("ab");
    expect((result.errors[0] as unknown as Record<string, unknown>).y).toBeUndefined();
  });
});

describe("size and time at the cap", () => {
  it("holds a decoded object's text to the 1 MiB cap, like text", () => {
    const big = "x".repeat(MAX_BYTES + 1);
    expect(parseError({ error: big }, { status: 400 }).code).toBe(TOO_LARGE);
    expect(parseError({ error: "validation_error", message: big }, { status: 400 }).code).toBe(TOO_LARGE);
    const details = Array.from({ length: 5 }, () => ({ code: "c", path: [], message: "m".repeat(300_000) }));
    expect(parseError({ error: "validation_error", details }, { status: 400 }).code).toBe(TOO_LARGE);
    expect(parseError({ seq: 1, error: big }).code).toBe(TOO_LARGE);
    const errors = Array.from({ length: 5 }, (_, seq) => ({ seq, error: "e".repeat(300_000) }));
    expect(parseBatchResponse(207, { accepted: 0, errors }).error?.code).toBe(TOO_LARGE);
    // Within the cap, the same shapes are read.
    expect(
      parseError({ error: "validation_error", details: details.slice(0, 3) }, { status: 400 }).details,
    ).toHaveLength(3);
  });

  it("copies issues as JSON would, masking every string, keys included", () => {
    const issue = {
      code: "custom",
      path: ["a", 1],
      message: "token=abc",
      n: Number.NaN,
      f: () => 1,
      u: undefined,
      l: [undefined],
      "api_key=k": 1,
    };
    const err = parseError({ error: "validation_error", details: [issue] }, { status: 400 });
    expect(err.details?.[0]).toEqual({
      code: "custom",
      path: ["a", 1],
      message: "token=[redacted]",
      n: null,
      l: [null],
      "api_key=[redacted]": 1,
    });
    const deep: Record<string, unknown> = { code: "c", path: [], message: "m" };
    let at = deep;
    for (let i = 0; i < 200; i++) {
      const next: Record<string, unknown> = {};
      at.next = next;
      at = next;
    }
    expect(parseError({ error: "validation_error", details: [deep] }, { status: 400 }).details).toEqual([]);
  });

  it("reads 1 MiB of details entries, or of a 207's errors, in linear time", () => {
    const details = `{"error":"validation_error","details":[${Array(330_000).fill("{}").join(",")}]}`;
    const issues = `{"error":"validation_error","details":[${Array(14_000).fill('{"code":"too_small","path":["a",1],"message":"must be"}').join(",")}]}`;
    const batch = JSON.stringify({
      accepted: 0,
      errors: Array.from({ length: 36_000 }, (_, i) => ({ seq: i, error: "bad" })),
    });
    // JSON.parse alone is most of each figure; each gets its own budget.
    let started = performance.now();
    expect(parseError(details, { status: 400 }).details).toEqual([]);
    expect(performance.now() - started).toBeLessThan(LINEAR_BUDGET_MS);
    started = performance.now();
    expect(parseError(issues, { status: 400 }).details).toHaveLength(14_000);
    expect(performance.now() - started).toBeLessThan(LINEAR_BUDGET_MS);
    started = performance.now();
    expect(parseBatchResponse(207, batch).errors).toHaveLength(36_000);
    expect(performance.now() - started).toBeLessThan(LINEAR_BUDGET_MS);
  });

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
});

describe("the code type", () => {
  it("is the documented literal union once narrowed by known, so a switch on it is exhaustive", () => {
    const err: ParsedTelemetryServerError = parseError('{"error":"device_already_exists"}', { status: 409 });
    expect(err.known).toBe(true);
    if (err.known) {
      expectTypeOf(err.code).toEqualTypeOf<KnownCode<TelemetryServerCode>>();
      expect(err.code).toBe("device_already_exists");
    } else expectTypeOf(err.code).not.toEqualTypeOf<KnownCode<TelemetryServerCode>>();
  });
});
