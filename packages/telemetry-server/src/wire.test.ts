import { ProtocolError } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import * as z4 from "zod";
import { z as z3 } from "zod/v3";
import { parseBatchResponse } from "./batch.js";
import { DeviceNotFoundError, InvalidPayloadError, InvalidSignatureError } from "./error.js";
import { parseError } from "./protocol.js";
import {
  batchResponse,
  deviceExistsBody,
  deviceNotFoundBody,
  frameworkErrorBody,
  internalErrorBody,
  validationErrorBody,
} from "./wire.js";

describe("batchResponse", () => {
  it("builds the page's 207 byte for byte", () => {
    const reply = batchResponse([{ seq: "42", error: new InvalidSignatureError("c5785e…a2c66a") }]);
    expect(reply.status).toBe(207);
    expect(JSON.stringify(reply.body)).toBe(
      JSON.stringify(
        JSON.parse(`{
"accepted": 0,
"errors": [
{ "seq": "42", "error": "Invalid signature for device c5785e…a2c66a" }
]
}`),
      ),
    );
    expect(Object.keys(reply.body)).toEqual(["accepted", "errors"]);
  });

  it("answers 200 when every block was accepted, duplicates included", () => {
    const reply = batchResponse([{ seq: "1" }, { seq: "1", error: null }, { seq: 2n, error: undefined }]);
    expect(JSON.stringify(reply)).toBe(`{"status":200,"body":{"accepted":3,"errors":[]}}`);
  });

  it("turns each domain error into a { seq, error } entry, in order, seq as a string", () => {
    const reply = batchResponse([
      { seq: 1, error: new DeviceNotFoundError("ab12") },
      { seq: "2" },
      { seq: 3n, error: new InvalidPayloadError("raw is not hex") },
      { seq: "4", error: new InvalidSignatureError("cd34") },
    ]);
    expect(JSON.stringify(reply)).toBe(
      `{"status":207,"body":{"accepted":1,"errors":[` +
        `{"seq":"1","error":"Device not found: ab12"},` +
        `{"seq":"3","error":"Invalid payload: raw is not hex"},` +
        `{"seq":"4","error":"Invalid signature for device cd34"}]}}`,
    );
  });

  it("accepts per-block errors read back from another server", () => {
    const { errors } = parseBatchResponse(207, `{"accepted":0,"errors":[{"seq":"9","error":"Device not found:  ab"}]}`);
    expect(batchResponse(errors.map((error) => ({ seq: error.seq, error }))).body).toEqual({
      accepted: 0,
      errors: [{ seq: "9", error: "Device not found:  ab" }],
    });
  });

  it.each([
    ["a plain Error", new Error("db password is hunter2")],
    ["a string", "boom"],
    ["a top-level error of this package", parseError(`{"error":"validation_error"}`)],
    [
      "an error of another protocol",
      new ProtocolError({
        protocol: "atlas",
        code: "DEVICE_NOT_FOUND",
        message: "m",
        retryable: "no",
        action: "abort",
        known: false,
      }),
    ],
    ["a lookalike with an undocumented code", Object.assign(new Error("Device gone: ab"), { code: "DEVICE_GONE" })],
    ["a lookalike with no message", { code: "DEVICE_NOT_FOUND" }],
    ["false", false],
  ])("anything else is a 500 in Fastify's shape that never leaks the message: %s", (_, error) => {
    const reply = batchResponse([
      { seq: "1", error: new DeviceNotFoundError("ab") },
      { seq: "2", error },
    ]);
    expect(JSON.stringify(reply)).toBe(
      `{"status":500,"body":{"statusCode":500,"error":"Internal Server Error","message":"Internal Server Error"}}`,
    );
  });

  it("accepts the reference server's own classes: any error with a documented block code and its message", () => {
    class DeviceNotFoundError extends Error {
      code = "DEVICE_NOT_FOUND";
      constructor(hex: string) {
        super(`Device not found: ${hex}`);
      }
    }
    class InvalidSignatureError extends Error {
      code = "INVALID_SIGNATURE";
      constructor(hex: string) {
        super(`Invalid signature for device ${hex}`);
      }
    }
    const reply = batchResponse([
      { seq: 6, error: new DeviceNotFoundError("ab12") },
      { seq: "7", error: new InvalidSignatureError("cd34") },
      { seq: "8" },
    ]);
    expect(JSON.stringify(reply)).toBe(
      `{"status":207,"body":{"accepted":1,"errors":[` +
        `{"seq":"6","error":"Device not found: ab12"},{"seq":"7","error":"Invalid signature for device cd34"}]}}`,
    );
  });

  it("a throwing iterable or a hostile error is a 500 too", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("secret");
        },
      },
    );
    expect(batchResponse([{ seq: "1", error: hostile }])).toEqual({ status: 500, body: frameworkErrorBody() });
    const throwing: Iterable<{ seq: string }> = {
      *[Symbol.iterator]() {
        yield { seq: "1" };
        throw new Error("secret");
      },
    };
    expect(batchResponse(throwing)).toEqual({ status: 500, body: frameworkErrorBody() });
  });

  it("the 500 body parses back as the framework's Internal Server Error, retryable", () => {
    const reply = batchResponse([{ seq: "1", error: new Error("x") }]);
    expect(parseError(reply.body, { status: reply.status })).toMatchObject({
      code: "Internal Server Error",
      retryable: "yes",
      status: 500,
    });
  });
});

describe("body builders", () => {
  it("device exists and device not found, as the page", () => {
    expect(JSON.stringify(deviceExistsBody())).toBe(`{"error":"device_already_exists"}`);
    expect(JSON.stringify(deviceNotFoundBody())).toBe(`{"error":"Device not found"}`);
    expect(JSON.stringify(internalErrorBody())).toBe(`{"error":"internal_error"}`);
    expect(parseError(deviceNotFoundBody(), { status: 404 }).action).toBe("reset");
    expect(parseError(deviceExistsBody(), { status: 409 }).code).toBe("device_already_exists");
  });

  it("passes zod 3 issues through unchanged: same objects, same key order", () => {
    const error = z3.object({ name: z3.string().min(1) }).safeParse({ name: "" }).error;
    if (!error) throw new Error("expected a ZodError");
    const body = validationErrorBody(error);
    expect(Object.keys(body)).toEqual(["error", "details"]);
    expect(body.details[0]).toBe(error.issues[0]);
    // The exact issue the field notes observed on the wire.
    expect(JSON.stringify(body)).toBe(
      `{"error":"validation_error","details":[{"code":"too_small","minimum":1,"type":"string","inclusive":true,"exact":false,"message":"String must contain at least 1 character(s)","path":["name"]}]}`,
    );
    const back = parseError(JSON.stringify(body), { status: 400 });
    expect(JSON.stringify(back.details)).toBe(JSON.stringify(error.issues));
  });

  it("takes a zod 4 ZodError", () => {
    const error = z4.object({ name: z4.string().min(1), seq: z4.string() }).safeParse({ name: "" }).error;
    if (!error) throw new Error("expected a ZodError");
    const body = validationErrorBody(error);
    expect(body.error).toBe("validation_error");
    expect(body.details).toHaveLength(2);
    body.details.forEach((issue, i) => {
      expect(issue).toBe(error.issues[i]);
    });
    const back = parseError(JSON.stringify(body), { status: 400 });
    expect(back.details).toEqual(JSON.parse(JSON.stringify(error.issues)));
    expect(back.toWire()).toEqual(JSON.parse(JSON.stringify(body)));
  });

  it("takes a bare issue array and never shares it", () => {
    const issues = [{ code: "custom", path: [], message: "m" }];
    const body = validationErrorBody(issues);
    expect(body.details).toEqual(issues);
    expect(body.details).not.toBe(issues);
    expect(body.details[0]).toBe(issues[0]);
  });
});
