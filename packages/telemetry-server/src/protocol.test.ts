import { describeConformance } from "@wirefault/test-utils/conformance";
import { describe, expect, it } from "vitest";
import { TelemetryServerError } from "./error.js";
import { fromResponse, protocol } from "./protocol.js";

// What the real implementations send (FIELD-NOTES.md), with the status each came with; a secret echoed is masked.
const FIELD_NOTES: readonly (readonly [body: string, status?: number, masked?: string])[] = [
  [
    '{"error":"validation_error","details":[{"code":"too_small","minimum":1,"type":"string","inclusive":true,"exact":false,"message":"String must contain at least 1 character(s)","path":["name"]}]}',
    400,
  ],
  [
    '{"error":"validation_error","details":[{"code":"invalid_type","expected":"string","received":"undefined","path":["publicKey"],"message":"Required"}]}',
    400,
  ],
  [
    '{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"body/blocks must NOT have more than 100 items"}',
    400,
  ],
  [
    '{"statusCode":400,"code":"FST_ERR_CTP_INVALID_JSON_BODY","error":"Bad Request","message":"Body is not valid JSON but content-type is set to \'application/json\'"}',
    400,
  ],
  [
    '{"statusCode":400,"code":"FST_ERR_CTP_EMPTY_JSON_BODY","error":"Bad Request","message":"Body cannot be empty when content-type is set to \'application/json\'"}',
    400,
  ],
  [
    '{"statusCode":413,"code":"FST_ERR_CTP_BODY_TOO_LARGE","error":"Payload Too Large","message":"Request body is too large"}',
    413,
  ],
  [
    '{"statusCode":500,"code":"ERR_INVALID_ARG_TYPE","error":"Internal Server Error","message":"The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received undefined"}',
    500,
  ],
  ['{"message":"Route GET:/v1/nope not found","error":"Not Found","statusCode":404}', 404],
  ['{"statusCode":500,"error":"Internal Server Error","message":"Cannot convert abc to a BigInt"}', 500],
  ['{"error":"blocks must have 1..100 items"}', 400],
  ['{"error":"device_already_exists"}', 409],
  ['{"error":"Device not found"}', 404],
];

describeConformance(protocol, {
  fieldNotes: FIELD_NOTES,
  dir: new URL(".", import.meta.url),
  // A per-block code travels only inside its template's message, in a 207 entry.
  wire: (entry, code) => {
    const template = (entry as { template?: string }).template;
    return template === undefined ? { error: code } : { seq: "1", error: template.replace(/<[^>]*>/, "ab12") };
  },
});

const json = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "application/json", ...headers } });

describe("fromResponse", () => {
  it.each([
    [
      400,
      `{"error":"validation_error","details":[{"code":"too_small","path":["name"],"message":"String must contain at least 1 character(s)"}]}`,
      "validation_error",
      "fix-request",
    ],
    [409, `{ "error": "device_already_exists" }`, "device_already_exists", "fix-request"],
    [404, `{ "error": "Device not found" }`, "Device not found", "reset"],
    [500, `{"error":"internal_error"}`, "internal_error", "retry"],
    [
      400,
      `{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"body/blocks must NOT have more than 100 items"}`,
      "FST_ERR_VALIDATION",
      "fix-request",
    ],
    [400, `{"error":"blocks must have 1..100 items"}`, "blocks must have 1..100 items", "fix-request"],
  ])("%i %s", async (status, body, code, action) => {
    const err = await fromResponse(json(body, status));
    expect(err).toBeInstanceOf(TelemetryServerError);
    expect(err).toMatchObject({ code, status, action });
  });

  it("falls back to the status when the body is empty or not JSON", async () => {
    // Core's rule: a status with a bare row reads as that row's code.
    expect(await fromResponse(new Response("", { status: 500 }))).toMatchObject({
      code: "internal_error",
      known: true,
      status: 500,
      retryable: "yes",
      action: "retry",
    });
    expect(await fromResponse(new Response(null, { status: 404 }))).toMatchObject({
      code: "Device not found",
      status: 404,
      action: "reset",
    });
    expect(await fromResponse(new Response("<h1>Bad gateway</h1>", { status: 502 }))).toMatchObject({
      status: 502,
      retryable: "yes",
    });
  });

  it("keeps Retry-After and no other header", async () => {
    const err = await fromResponse(
      json(`{"error":"internal_error"}`, 500, { "retry-after": "3", "set-cookie": "session=s3cret", "x-token": "t0k" }),
    );
    expect(err.retryAfterMs).toBe(3000);
    const text = JSON.stringify(err);
    expect(text).not.toContain("s3cret");
    expect(text).not.toContain("t0k");
  });

  it("a body that fails mid-read reads as its status, with the failure as cause", async () => {
    const failure = new Error("socket hang up");
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(failure);
      },
    });
    const err = await fromResponse(new Response(stream, { status: 500 }));
    // Not a network failure core retries whatever the status: the 500 decides, and it is the page's bare 500.
    expect(err).toMatchObject({ code: "internal_error", known: true, status: 500, retryable: "yes" });
    // A cause is kept as a masked copy, never the live object (issue 26).
    expect(err.cause).not.toBe(failure);
    expect(err.cause).toMatchObject({ name: (failure as Error).name, message: (failure as Error).message });
  });
});
