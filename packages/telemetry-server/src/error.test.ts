import { describe, expect, it } from "vitest";
import { catalog, type TelemetryServerEntry } from "./catalog.js";
import { DeviceNotFoundError, InvalidPayloadError, InvalidSignatureError, TelemetryServerError } from "./error.js";
import { parseError } from "./protocol.js";

describe("domain errors", () => {
  it("carry the exact templates, internal codes and names", () => {
    const cases = [
      [
        new InvalidSignatureError("ab12"),
        "INVALID_SIGNATURE",
        "Invalid signature for device ab12",
        "InvalidSignatureError",
      ],
      [new DeviceNotFoundError("ab12"), "DEVICE_NOT_FOUND", "Device not found: ab12", "DeviceNotFoundError"],
      [
        new InvalidPayloadError("raw is not hex"),
        "INVALID_PAYLOAD",
        "Invalid payload: raw is not hex",
        "InvalidPayloadError",
      ],
    ] as const;
    for (const [error, code, message, name] of cases) {
      expect(error).toBeInstanceOf(TelemetryServerError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(error.name).toBe(name);
      expect(error.status).toBe(207);
      expect(error.protocol).toBe("telemetry-server");
      expect(error.known).toBe(true);
    }
  });

  it("keep deviceId, detail, seq and cause", () => {
    const cause = new Error("verify failed");
    const error = new InvalidSignatureError("ab12", { seq: 7, cause });
    expect(error).toMatchObject({ deviceId: "ab12", seq: "7", retryable: "no", action: "fix-request" });
    // A cause is kept as a masked copy, never the live object (issue 26).
    expect(error.cause).not.toBe(cause);
    expect(error.cause).toMatchObject({ name: (cause as Error).name, message: (cause as Error).message });
    expect(error.toWire()).toEqual({ seq: "7", error: "Invalid signature for device ab12" });
    expect(new DeviceNotFoundError("ab").toWire()).toEqual({ error: "Device not found: ab" });
    expect(new InvalidPayloadError("x")).toMatchObject({ detail: "x", action: "fix-request" });
    expect(new InvalidPayloadError("x").deviceId).toBeUndefined();
  });

  it("serialize without raw", () => {
    expect(new DeviceNotFoundError("ab12", { seq: "1" }).toJSON()).toEqual({
      name: "DeviceNotFoundError",
      message: "Device not found: ab12",
      protocol: "telemetry-server",
      surface: "http",
      code: "DEVICE_NOT_FOUND",
      codeName: "DEVICE_NOT_FOUND",
      status: 207,
      retryable: "no",
      action: "reset",
      known: true,
      seq: "1",
      deviceId: "ab12",
      cause: undefined,
    });
  });
});

describe("TelemetryServerError", () => {
  it("names itself on the prototype and copies only its listed fields", () => {
    const error = new TelemetryServerError({
      protocol: "telemetry-server",
      code: "validation_error",
      message: "m",
      retryable: "no",
      action: "fix-request",
      known: true,
      details: [],
      secret: "x",
    } as never);
    expect(error.name).toBe("TelemetryServerError");
    expect(Object.hasOwn(error, "name")).toBe(false);
    expect(error.details).toEqual([]);
    expect((error as unknown as Record<string, unknown>).secret).toBeUndefined();
    expect(error.toWire()).toEqual({ error: "validation_error", details: [] });
  });

  it("rebuilds a framework body without a code when the code is the reason phrase", () => {
    const init = { protocol: "telemetry-server", retryable: "no", action: "fix-request", known: true } as const;
    expect(
      new TelemetryServerError({ ...init, code: "Not Found", message: "m", status: 404, reason: "Not Found" }).toWire(),
    ).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: "m",
    });
    expect(new TelemetryServerError({ ...init, code: "X", message: "m", reason: "Bad Request" }).toWire()).toEqual({
      statusCode: 0,
      code: "X",
      error: "Bad Request",
      message: "m",
    });
  });
});

describe("the class of a code", () => {
  it("is the one its catalog row names, however the code arrives; the base class without one", () => {
    for (const entry of catalog as readonly TelemetryServerEntry[]) {
      const name = entry.errorClass ?? "TelemetryServerError";
      if (entry.template !== undefined)
        expect(parseError({ seq: "1", error: entry.template.replace(/<[^>]*>/, "ab12") }).name).toBe(name);
      // A top-level body naming a block code is that code's class too.
      const err = parseError({ error: entry.code });
      expect([err.code, err.name]).toEqual([entry.code, name]);
      expect(err).toBeInstanceOf(TelemetryServerError);
    }
  });

  it("is the base class for an unknown code, and for wirefault's own", () => {
    expect(parseError({ seq: "1", error: "Quota exceeded" }).constructor).toBe(TelemetryServerError);
    expect(parseError("{").constructor).toBe(TelemetryServerError);
  });
});
