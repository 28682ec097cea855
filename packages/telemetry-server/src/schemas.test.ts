// registerDeviceSchema against the reference server's own answers (FIELD-NOTES.md,
// "what the reference server validates"): the same body refused, the same 400, byte for byte.
import { describe, expect, it } from "vitest";
import { registerDeviceSchema } from "./schemas.js";
import { validationErrorBody } from "./wire.js";

// What a server built on the schema answers: the reference's handler, in two lines.
const answer = (body: unknown): string | undefined => {
  const result = registerDeviceSchema.safeParse(body);
  return result.success ? undefined : JSON.stringify(validationErrorBody(result.error));
};

const hex64 = "ab".repeat(32);
const valid = { id: hex64, mac: "a1b2c3d4e5f6", ownerPubkey: hex64, name: "Pond" };

describe("registerDeviceSchema answers as the reference server does", () => {
  it("{} (captured live)", () => {
    expect(answer({})).toBe(
      '{"error":"validation_error","details":[{"code":"invalid_type","expected":"string","received":"undefined","path":["id"],"message":"Required"},{"code":"invalid_type","expected":"string","received":"undefined","path":["mac"],"message":"Required"},{"code":"invalid_type","expected":"string","received":"undefined","path":["ownerPubkey"],"message":"Required"},{"code":"invalid_type","expected":"string","received":"undefined","path":["name"],"message":"Required"}]}',
    );
  });

  it("null (captured live)", () => {
    expect(answer(null)).toBe(
      '{"error":"validation_error","details":[{"code":"invalid_type","expected":"object","received":"null","path":[],"message":"Expected object, received null"}]}',
    );
  });

  it("an empty name: zod 3's too_small, every key in zod's order", () => {
    expect(answer({ ...valid, name: "" })).toBe(
      '{"error":"validation_error","details":[{"code":"too_small","minimum":1,"type":"string","inclusive":true,"exact":false,"message":"String must contain at least 1 character(s)","path":["name"]}]}',
    );
  });

  it("a wrong length is an exact-length issue", () => {
    const details = JSON.parse(answer({ ...valid, id: "ab" }) as string).details;
    expect(details).toEqual([
      {
        code: "too_small",
        minimum: 64,
        type: "string",
        inclusive: true,
        exact: true,
        message: "String must contain exactly 64 character(s)",
        path: ["id"],
      },
    ]);
  });

  it.each([
    ["an array", [], "array"],
    ["a string (text/plain is handed over unparsed)", "id=1", "string"],
    ["a number", 7, "number"],
  ])("%s is refused like null", (_, body, received) => {
    expect(answer(body)).toBe(
      `{"error":"validation_error","details":[{"code":"invalid_type","expected":"object","received":"${received}","path":[],"message":"Expected object, received ${received}"}]}`,
    );
  });

  it("checks every rule of the table, reporting issues in the table's order", () => {
    const details = JSON.parse(
      answer({
        ...valid,
        mac: 12,
        type: 3,
        publishTo: 1.5,
        networks: ["a", 1],
        privacyPolicy: { humidity: { default_disposition: 0, per_destination: { mqtt: 9 } }, ph: {} },
        hardware: { model: "x" },
      }) as string,
    ).details;
    expect(details.map((issue: { path: unknown[]; code: string }) => [issue.path.join("."), issue.code])).toEqual([
      ["mac", "invalid_type"],
      ["type", "too_big"],
      ["publishTo", "invalid_type"],
      ["networks.1", "invalid_type"],
      ["privacyPolicy.ph.default_disposition", "invalid_type"],
      ["privacyPolicy.humidity.per_destination.mqtt", "too_big"],
      ["hardware.firmware_version", "invalid_type"],
    ]);
  });

  it("accepts a minimal registration and fills the defaults", () => {
    expect(registerDeviceSchema.parse(valid)).toEqual({
      ...valid,
      type: 0,
      publishTo: 1,
      networks: [],
      localServers: [],
    });
  });
});
