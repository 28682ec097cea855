// toWire() of what the real telemetry server (Fastify 5, zod 3) and its Rust port send (FIELD-NOTES.md).
import { describe, expect, it } from "vitest";
import { parseBatchResponse } from "./batch.js";
import { parseError } from "./protocol.js";

const REAL_SHAPES: [body: string, status: number][] = [
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

describe("toWire() round-trips every real shape byte for byte", () => {
  it.each(REAL_SHAPES)("%s", (body, status) => {
    const err = parseError(body, { status });
    expect(err.code).not.toBe("WIREFAULT_MALFORMED");
    expect(JSON.stringify(err.toWire())).toBe(body);
    expect(JSON.stringify(parseError(err.toWire(), { status }).toWire())).toBe(body);
  });

  it("a 207 entry keeps its seq as sent: a number stays a number, a string a string", () => {
    const body = JSON.parse(
      '{"accepted":1,"errors":[{"seq":6,"error":"Device not found: ab12"},{"seq":"7","error":"Invalid signature for device ab12"}]}',
    );
    const { errors } = parseBatchResponse(207, body, { sent: 3 });
    expect(errors.map((e) => e.seq)).toEqual(["6", "7"]);
    expect(errors.map((e) => JSON.stringify(e.toWire()))).toEqual([
      '{"seq":6,"error":"Device not found: ab12"}',
      '{"seq":"7","error":"Invalid signature for device ab12"}',
    ]);
  });
});
