import { MALFORMED, TOO_LARGE } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { AtlasErrorCode, catalog, ERR_RATE_LIMITED, ranges } from "./catalog.js";
import * as entry from "./index.js";
import { protocol } from "./protocol.js";

const { index } = protocol;

// The page's tables, in page order, with the retry classification the issue decided.
const WIRE = [
  [1001, "ERR_PROTOCOL_VERSION", "no", "abort"],
  [1002, "ERR_HANDSHAKE_FAILED", "maybe", "reconnect"],
  [1003, "ERR_HANDSHAKE_TIMEOUT", "yes", "reconnect"],
  [1004, "ERR_INVALID_IDENTITY", "no", "fix-request"],
  [2001, "ERR_NOT_VERIFIED", "maybe", "reset"],
  [2002, "ERR_PAYLOAD_TOO_LARGE", "no", "fix-request"],
  [2003, "ERR_MESSAGE_REJECTED", "no", "fix-request"],
  [4001, "ERR_RATE_LIMITED", "yes", "throttle"],
  [5001, "ERR_INTERNAL", "yes", "retry"],
] as const;

const ZONE = [
  ["zone_not_found", "no", "fix-request"],
  ["action_not_found", "no", "fix-request"],
  ["invalid_params", "no", "fix-request"],
  ["not_member", "maybe", "reset"],
  ["payment_required", "maybe", "reset"],
  ["payment_invalid", "no", "fix-request"],
  ["payment_failed", "no", "user-action"],
  ["full", "maybe", "wait"],
  ["skills_mismatch", "no", "user-action"],
  ["not_open", "no", "user-action"],
  ["banned", "no", "user-action"],
  ["stopped", "no", "user-action"],
  ["rate_limited", "yes", "throttle"],
  ["steward_unavailable", "yes", "retry"],
  ["stale_manifest", "yes", "reset"],
  ["replica_not_ready", "yes", "retry"],
  ["not_steward", "maybe", "reset"],
  ["internal", "yes", "retry"],
] as const;

describe("catalog", () => {
  it("lists exactly the page's wire codes, then its zone codes, in page order", () => {
    expect(catalog.map((e) => e.code)).toEqual([...WIRE.map((w) => w[0]), ...ZONE.map((z) => z[0])]);
    expect(catalog.filter((e) => e.surface === "wire")).toHaveLength(9);
    expect(catalog.filter((e) => e.surface === "zone")).toHaveLength(18);
  });

  it.each(WIRE)("wire %i is %s, retryable %s, action %s", (code, name, retryable, action) => {
    expect(index.get(code, "wire")).toMatchObject({ surface: "wire", code, name, retryable, action });
    expect("status" in (index.get(code, "wire") ?? {})).toBe(false);
    expect(AtlasErrorCode[name]).toBe(code);
  });

  it.each(ZONE)("zone %s is retryable %s, action %s, named by its code", (code, retryable, action) => {
    expect(index.get(code, "zone")).toMatchObject({ surface: "zone", code, name: code, retryable, action });
    expect(AtlasErrorCode[code]).toBe(code);
  });

  it("exports each wire constant, read off its row, with the page's value", () => {
    for (const [code, name] of WIRE) expect((entry as Record<string, unknown>)[name]).toBe(code);
    const literal: 4001 = ERR_RATE_LIMITED;
    expect(literal).toBe(4001);
  });

  it("exports every wire code by its row's name, with the row's code", () => {
    const exported = Object.entries(entry).filter(([name]) => name.startsWith("ERR_"));
    expect(Object.fromEntries(exported)).toEqual(
      Object.fromEntries(catalog.filter((e) => e.surface === "wire").map((e) => [e.name, e.code])),
    );
  });

  it("says which wire code answers input wirefault refused: 2003 for unreadable, 2002 for too large", () => {
    const answering = catalog.filter((e) => "answers" in e).map((e) => [e.code, "answers" in e && e.answers]);
    expect(answering).toEqual([
      [2002, TOO_LARGE],
      [2003, MALFORMED],
    ]);
  });

  it("is frozen, with a one-line summary per code", () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(AtlasErrorCode)).toBe(true);
    for (const entry of catalog) {
      expect(Object.isFrozen(entry)).toBe(true);
      expect(entry.summary).toMatch(/^\S.*\S$/);
      expect(entry.summary).not.toContain("\n");
    }
  });

  it("keeps codes unique across both surfaces", () => {
    expect(new Set(catalog.map((e) => e.code)).size).toBe(catalog.length);
    expect(new Set(catalog.map((e) => e.name)).size).toBe(catalog.length);
  });
});

describe("ranges", () => {
  it("are the page's four ranges on the wire surface", () => {
    expect(ranges.map((r) => [r.min, r.max, r.summary])).toEqual([
      [1000, 1999, "Handshake and protocol errors"],
      [2000, 2999, "Message validation errors"],
      [4000, 4999, "Rate limiting and access control"],
      [5000, 5999, "Internal server errors"],
    ]);
    expect(ranges.every((r) => r.surface === "wire")).toBe(true);
  });

  it.each([
    [1000, "handshake", "maybe", "reconnect"],
    [1999, "handshake", "maybe", "reconnect"],
    [2000, "validation", "no", "fix-request"],
    [2999, "validation", "no", "fix-request"],
    [4000, "rate-limit", "yes", "throttle"],
    [4999, "rate-limit", "yes", "throttle"],
    [5000, "internal", "yes", "retry"],
    [5999, "internal", "yes", "retry"],
  ] as const)("classifies unknown %i by its range %s", (code, name, retryable, action) => {
    const c = index.classify(code, "wire");
    expect(c).toMatchObject({ known: false, surface: "wire", retryable, action, codeName: undefined });
    expect(c.range?.name).toBe(name);
  });

  it.each([0, 999, 3000, 3999, 6000, 4_294_967_295])("leaves %i, outside every range, to abort", (code) => {
    expect(index.classify(code, "wire")).toMatchObject({
      known: false,
      range: undefined,
      retryable: "no",
      action: "abort",
    });
  });

  it("never lets a wire code match on the zone surface, or the reverse", () => {
    expect(index.get(4001, "zone")).toBeUndefined();
    expect(index.get("rate_limited", "wire")).toBeUndefined();
    expect(index.classify(4500, "zone").range).toBeUndefined();
  });
});
