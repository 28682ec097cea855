import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { growth, LINEAR_GROWTH } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { parseBatchResponse } from "./batch.js";
import { catalog, MAX_BYTES, type TelemetryServerEntry } from "./catalog.js";
import { DeviceNotFoundError, TelemetryServerError } from "./error.js";
import { parseError } from "./protocol.js";
import { matchTemplate } from "./readers.js";

// The page's own bodies, verbatim.
const PAGE_400 = `{
"error": "validation_error",
"details": [
{ "code": "too_small", "path": ["name"], "message": "String must contain at least 1 character(s)" }
]
}`;
const PAGE_409 = `{ "error": "device_already_exists" }`;
const PAGE_404 = `{ "error": "Device not found" }`;

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

  it("the Rust port's 400 sentence: a documented code, fix-request", () => {
    const err = parseError(RUST_400, { status: 400 });
    expect(err).toMatchObject({
      code: "blocks must have 1..100 items",
      message: "blocks must have 1..100 items",
      status: 400,
      retryable: "no",
      action: "fix-request",
      known: true,
    });
    expect(err.codeName).toBe("blocks_out_of_range");
    expect(err.toWire()).toEqual(JSON.parse(RUST_400));
  });

  // Core's rule, the same in every package: an unknown code says nothing the page's
  // rows say, so its status alone classifies it (no bare row's action or policy).
  it("an unknown code with a status is classified by the status alone", () => {
    expect(parseError(`{"error":"db_down"}`, { status: 500 })).toMatchObject({
      code: "db_down",
      retryable: "maybe",
      action: "retry",
      known: false,
    });
    expect(parseError(`{"error":"db_down"}`, { status: 500 }).policy).toBeUndefined();
    expect(parseError(`{"error":"gone"}`, { status: 404 })).toMatchObject({ action: "fix-request", known: false });
    expect(parseError(`{"error":"slow"}`, { status: 429 })).toMatchObject({ retryable: "yes", action: "throttle" });
  });

  it("an unknown code without a status is a protocol violation", () => {
    expect(parseError(`{"error":"db_down"}`)).toMatchObject({ code: "db_down", retryable: "no", action: "abort" });
  });

  it("a 207 entry on its own parses to its domain class", () => {
    const err = parseError(`{"seq":"42","error":"Device not found: ab12"}`);
    expect(err).toBeInstanceOf(DeviceNotFoundError);
    expect(err).toMatchObject({ code: "DEVICE_NOT_FOUND", seq: "42", deviceId: "ab12", status: 207 });
    // A message no template knows gets one more try, as in a batch: resending a block is safe.
    expect(parseError({ seq: 7, error: "Quota exceeded" })).toMatchObject({
      code: "Quota exceeded",
      seq: "7",
      known: false,
      retryable: "maybe",
      action: "retry",
      status: 207,
    });
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
  ])("%s: the status's bare row where there is one, else MALFORMED classified by status", (_, body) => {
    // Core's rule: a 500 that names no code is the page's 500, `internal_error`, with its capped policy.
    const err = parseError(body, { status: 500 });
    expect(err).toMatchObject({ code: "internal_error", status: 500, retryable: "yes", action: "retry", known: true });
    expect(err.policy).toEqual({ maxAttempts: 3 });
    expect(parseError(body, { status: 404 })).toMatchObject({ code: "Device not found", action: "reset", known: true });
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
      const err = parseError(value);
      expect(err).toBeInstanceOf(TelemetryServerError);
      expect(err.code).toBe(MALFORMED);
      // Nothing readable under a 500: the page's bare 500.
      expect(parseError(value, { status: 500 }).code).toBe("internal_error");
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
    const details = (scale: number) =>
      `{"error":"validation_error","details":[${Array(20_625 * scale)
        .fill("{}")
        .join(",")}]}`;
    const issue = '{"code":"too_small","path":["a",1],"message":"must be"}';
    const issues = (scale: number) =>
      `{"error":"validation_error","details":[${Array(875 * scale)
        .fill(issue)
        .join(",")}]}`;
    const batch = (scale: number) =>
      JSON.stringify({
        accepted: 0,
        errors: Array.from({ length: 2_250 * scale }, (_, i) => ({ seq: i, error: "bad" })),
      });
    expect(parseError(details(16), { status: 400 }).details).toEqual([]);
    expect(parseError(issues(16), { status: 400 }).details).toHaveLength(14_000);
    // A 207 lists at most 100 entries: 36,000 is a protocol violation, refused before any is read.
    expect(parseBatchResponse(207, batch(16))).toMatchObject({ errors: [], error: { code: "WIREFAULT_MALFORMED" } });
    // Each input grows on its own: JSON.parse alone is most of each figure.
    expect(
      growth((scale) =>
        (
          (text) => () =>
            parseError(text, { status: 400 })
        )(details(scale)),
      ),
    ).toBeLessThan(LINEAR_GROWTH);
    expect(
      growth((scale) =>
        (
          (text) => () =>
            parseError(text, { status: 400 })
        )(issues(scale)),
      ),
    ).toBeLessThan(LINEAR_GROWTH);
    expect(
      growth((scale) =>
        (
          (text) => () =>
            parseBatchResponse(207, text)
        )(batch(scale)),
      ),
    ).toBeLessThan(LINEAR_GROWTH);
  });
});

describe("message templates", () => {
  it("are the catalog's: every row with a template, and only those", () => {
    const matched = catalog.flatMap((entry) => {
      const template = (entry as TelemetryServerEntry).template;
      return template === undefined ? [] : [matchTemplate(template.replace(/<[^>]*>/, "ab12"))?.code];
    });
    expect(matched).toEqual(["DEVICE_NOT_FOUND", "INVALID_SIGNATURE", "INVALID_PAYLOAD", "RAW_JSON_MISMATCH"]);
  });

  it.each([
    ["Device not found: c5785ea2c66a", { code: "DEVICE_NOT_FOUND", deviceId: "c5785ea2c66a" }],
    ["Invalid signature for device c5785ea2c66a", { code: "INVALID_SIGNATURE", deviceId: "c5785ea2c66a" }],
    ["Invalid signature for device c5785e…a2c66a", { code: "INVALID_SIGNATURE", deviceId: "c5785e…a2c66a" }],
    ["Invalid payload: seq is not numeric", { code: "INVALID_PAYLOAD", detail: "seq is not numeric" }],
  ])("matches %j", (text, expected) => {
    expect(matchTemplate(text)).toEqual(expected);
  });

  it.each([
    ["Device not found: ", { code: "DEVICE_NOT_FOUND", deviceId: undefined }],
    ["Device not found:", { code: "DEVICE_NOT_FOUND", deviceId: undefined }],
    ["Device not found", { code: "DEVICE_NOT_FOUND", deviceId: undefined }],
    ["Invalid signature for device", { code: "INVALID_SIGNATURE", deviceId: undefined }],
    ["Invalid signature for device   ", { code: "INVALID_SIGNATURE", deviceId: undefined }],
    ["Invalid payload:", { code: "INVALID_PAYLOAD", detail: "" }],
  ])("hex or detail missing: %j", (text, expected) => {
    expect(matchTemplate(text)).toEqual(expected);
  });

  it.each([
    ["Device not found:   ab12  ", { code: "DEVICE_NOT_FOUND", deviceId: "ab12" }],
    ["  Device  not\tfound:ab12", { code: "DEVICE_NOT_FOUND", deviceId: "ab12" }],
    ["Device not found ab12", { code: "DEVICE_NOT_FOUND", deviceId: "ab12" }],
    ["Invalid  signature for   device \u00a0 ab12\n", { code: "INVALID_SIGNATURE", deviceId: "ab12" }],
    ["Invalid payload:    two  words ", { code: "INVALID_PAYLOAD", detail: "two  words " }],
  ])("extra spaces: %j", (text, expected) => {
    expect(matchTemplate(text)).toEqual(expected);
  });

  it("leaves the device id out when the rest is not one token", () => {
    expect(matchTemplate("Device not found: ab12 cd34")).toEqual({ code: "DEVICE_NOT_FOUND", deviceId: undefined });
  });

  it.each([
    "device not found: ab12",
    "Device not foundab12",
    "Invalid signature for deviceab12",
    "Invalid signatures for device ab12",
    "Error: Device not found: ab12",
  ])("does not match another sentence: %j", (text) => {
    expect(matchTemplate(text)).toBeUndefined();
  });
});

describe("linear time on 1 MB adversarial messages", () => {
  const MB = 1_000_000;
  // Each case builds its text at `size` characters, so its growth can be measured.
  const cases: [string, (size: number) => string][] = [
    ["long id then a word", (n) => `Device not found: ${"a".repeat(n)} x`],
    ["spaces before the id", (n) => `Device not found:${" ".repeat(n)}x`],
    ["spaces and no id", (n) => `Invalid signature for device${" ".repeat(n)}`],
    ["leading spaces", (n) => `${" ".repeat(n)}Device not found: ab`],
    ["spaces between the words", (n) => `Invalid${" ".repeat(n)}signature for device ab`],
    ["repeated prefixes", (n) => "Device not ".repeat(Math.floor(n / 11))],
    ["repeated near-miss", (n) => "Invalid signature for devic".repeat(Math.floor(n / 27))],
    ["tabs in a detail", (n) => `Invalid payload: ${"\t ".repeat(n / 2)}`],
    ["alternating space and letter", (n) => "a ".repeat(n / 2)],
  ];

  it.each(cases)("%s", (_, text) => {
    expect(text(MB).length).toBeGreaterThanOrEqual(MB - 30);
    expect(
      growth((scale) =>
        (
          (t) => () =>
            matchTemplate(t)
        )(text((MB / 16) * scale)),
      ),
    ).toBeLessThan(LINEAR_GROWTH);
  });
});
