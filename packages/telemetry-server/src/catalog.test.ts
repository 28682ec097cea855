import type { CatalogEntry } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { catalog, type TelemetryServerEntry, TelemetryServerErrorCode } from "./catalog.js";
import { protocol } from "./protocol.js";

const { index } = protocol;

// The page's statuses and bodies, the per-block codes of its domain classes
// and field notes, the framework's shapes, and our own 500 body.
const PAGE = [
  ["validation_error", 400, "no", "fix-request"],
  ["device_already_exists", 409, "no", "fix-request"],
  ["Device not found", 404, "no", "reset"],
  ["internal_error", 500, "yes", "retry"],
  ["DEVICE_NOT_FOUND", 207, "no", "reset"],
  ["INVALID_SIGNATURE", 207, "no", "fix-request"],
  ["INVALID_PAYLOAD", 207, "no", "fix-request"],
  // The Rust port (FIELD-NOTES.md, third pass).
  ["RAW_JSON_MISMATCH", 207, "no", "fix-request"],
  ["internal", 500, "yes", "retry"],
  ["blocks must have 1..100 items", 400, "no", "fix-request"],
  ["FST_ERR_VALIDATION", 400, "no", "fix-request"],
  ["FST_ERR_CTP_INVALID_JSON_BODY", 400, "no", "fix-request"],
  ["FST_ERR_CTP_EMPTY_JSON_BODY", 400, "no", "fix-request"],
  ["FST_ERR_CTP_BODY_TOO_LARGE", 413, "no", "fix-request"],
  ["ERR_INVALID_ARG_TYPE", 500, "no", "fix-request"],
  ["Not Found", 404, "no", "fix-request"],
  ["Internal Server Error", 500, "yes", "retry"],
] as const;

describe("catalog", () => {
  it("lists exactly the page's codes, in order", () => {
    expect(catalog.map((entry) => entry.code)).toEqual(PAGE.map(([code]) => code));
  });

  it.each(PAGE)("%s: status %i, retryable %s, action %s", (code, status, retryable, action) => {
    const entry = index.get(code, "http");
    expect(entry).toMatchObject({ surface: "http", code, status, retryable, action });
    expect(entry?.summary.length).toBeGreaterThan(10);
  });

  it("caps retries of 500s, which the field notes show can be deterministic", () => {
    const policy = (code: string) => (index.get(code) as CatalogEntry | undefined)?.policy;
    expect(policy("internal_error")).toEqual({ maxAttempts: 3 });
    expect(policy("Internal Server Error")).toEqual({ maxAttempts: 3 });
    expect(policy("internal")).toEqual({ maxAttempts: 3 });
  });

  it("covers every error status of the page's table; 200 and 201 are successes, not codes", () => {
    const statuses = new Set<number>(catalog.map((entry) => entry.status));
    for (const status of [207, 400, 404, 409, 500]) expect(statuses.has(status)).toBe(true);
    expect(statuses.has(200)).toBe(false);
    expect(statuses.has(201)).toBe(false);
  });

  it("has one surface, unique codes and unique constant names", () => {
    expect(new Set(catalog.map((entry) => entry.surface))).toEqual(new Set(["http"]));
    expect(new Set(catalog.map((entry) => entry.code)).size).toBe(catalog.length);
    expect(new Set(catalog.map((entry) => entry.name)).size).toBe(catalog.length);
  });

  it("exposes literal constants by name, identifiers for the phrase codes", () => {
    expect(TelemetryServerErrorCode.validation_error).toBe("validation_error");
    expect(TelemetryServerErrorCode.device_not_found).toBe("Device not found");
    expect(TelemetryServerErrorCode.DEVICE_NOT_FOUND).toBe("DEVICE_NOT_FOUND");
    expect(TelemetryServerErrorCode.route_not_found).toBe("Not Found");
    expect(TelemetryServerErrorCode.internal_server_error).toBe("Internal Server Error");
    expect(Object.isFrozen(TelemetryServerErrorCode)).toBe(true);
    expect(Object.isFrozen(catalog)).toBe(true);
  });

  it("lets a bare status stand for exactly the page's four top-level bodies", () => {
    expect(
      (catalog as readonly TelemetryServerEntry[])
        .filter((entry) => entry.bareStatus)
        .map((entry) => [entry.status, entry.code]),
    ).toEqual([
      [400, "validation_error"],
      [409, "device_already_exists"],
      [404, "Device not found"],
      [500, "internal_error"],
    ]);
  });

  it("holds the per-block templates as the page and field notes write them, each with its slot and class", () => {
    const rows = (catalog as readonly TelemetryServerEntry[]).filter((entry) => entry.template !== undefined);
    expect(rows.map((entry) => [entry.code, entry.template, entry.slot, entry.errorClass, entry.status])).toEqual([
      ["DEVICE_NOT_FOUND", "Device not found: <device_id_hex>", "deviceId", "DeviceNotFoundError", 207],
      ["INVALID_SIGNATURE", "Invalid signature for device <device_id_hex>", "deviceId", "InvalidSignatureError", 207],
      ["INVALID_PAYLOAD", "Invalid payload: <detail>", "detail", "InvalidPayloadError", 207],
      ["RAW_JSON_MISMATCH", "Raw/JSON mismatch for device <device_id_hex>", "deviceId", "RawJsonMismatchError", 207],
    ]);
    // A class or a slot without a template would be a class nothing builds.
    for (const entry of catalog as readonly TelemetryServerEntry[])
      expect(entry.template === undefined).toBe(entry.errorClass === undefined && entry.slot === undefined);
  });
});
