import type { CatalogEntry } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import {
  CkgRelayCloseCode,
  type CkgRelayCode,
  CkgRelayErrorCode,
  catalog,
  closeCodes,
  codeAliases,
  codes,
} from "./catalog.js";
import { classifyCloseCode, fromClose, parseError, protocol } from "./protocol.js";

// The page's table, in its order, then RELAY_INTERNAL_ERROR from its detailed section.
const PAGE = [
  ["AGENT_OFFLINE", 503, "yes", "retry"],
  ["NOT_ALLOWED", 403, "no", "user-action"],
  ["AGENT_NOT_FOUND", 404, "no", "fix-request"],
  ["AGENT_TIMEOUT", 504, "maybe", "retry"],
  ["AGENT_ERROR", 500, "maybe", "retry"],
  ["PAYLOAD_TOO_LARGE", 413, "no", "fix-request"],
  ["RATE_LIMITED", 429, "yes", "throttle"],
  ["INVALID_MESSAGE", 400, "no", "fix-request"],
  ["RELAY_INTERNAL_ERROR", 500, "yes", "retry"],
] as const;

const entries: readonly CatalogEntry[] = catalog;

describe("catalog", () => {
  it("lists exactly the page's codes, in its order", () => {
    expect(catalog.map((entry) => entry.code)).toEqual(PAGE.map(([code]) => code));
  });

  it.each(PAGE)("%s is %i, retryable %s, action %s", (code, status, retryable, action) => {
    const entry = catalog.find((e) => e.code === code);
    expect(entry).toMatchObject({ surface: "relay", code, name: code, status, retryable, action });
    expect(entry?.summary.length).toBeGreaterThan(10);
    expect(parseError({ type: "error", code })).toMatchObject({
      code,
      codeName: code,
      status,
      retryable,
      action,
      known: true,
    });
  });

  it("gives a retry policy to exactly the codes the page retries", () => {
    const withPolicy = entries.filter((entry) => entry.policy).map((entry) => entry.code);
    expect(withPolicy).toEqual([
      "AGENT_OFFLINE",
      "AGENT_TIMEOUT",
      "AGENT_ERROR",
      "RATE_LIMITED",
      "RELAY_INTERNAL_ERROR",
    ]);
    expect(entries.filter((entry) => entry.retryable === "no").every((entry) => !entry.policy)).toBe(true);
  });

  it("is frozen, policies included", () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(entries.every((entry) => Object.isFrozen(entry) && (!entry.policy || Object.isFrozen(entry.policy)))).toBe(
      true,
    );
    expect(Object.isFrozen(CkgRelayErrorCode)).toBe(true);
    expect(Object.isFrozen(codeAliases)).toBe(true);
  });

  it("exports literal-typed code constants", () => {
    expect(CkgRelayErrorCode).toEqual(Object.fromEntries(PAGE.map(([code]) => [code, code])));
    const offline: "AGENT_OFFLINE" = CkgRelayErrorCode.AGENT_OFFLINE;
    // @ts-expect-error an alias is read as its code, never a parsed code itself
    const alias: CkgRelayCode = "AGENT_NOT_ALLOWED";
    // @ts-expect-error not a documented code
    const typo: CkgRelayCode = "AGENT_OFLINE";
    expect([offline, alias, typo]).toEqual(["AGENT_OFFLINE", "AGENT_NOT_ALLOWED", "AGENT_OFLINE"]);
  });

  it("types a known code as assignable to CkgRelayCode, which indexes a Record without a cast", () => {
    // Keyed by the plain union: a missing code would fail to compile.
    const owner: Record<CkgRelayCode, string> = {
      AGENT_OFFLINE: "agent team",
      NOT_ALLOWED: "relay admin",
      AGENT_NOT_FOUND: "agent team",
      AGENT_TIMEOUT: "infrastructure team",
      AGENT_ERROR: "agent team",
      PAYLOAD_TOO_LARGE: "app team",
      RATE_LIMITED: "app team",
      INVALID_MESSAGE: "app team",
      RELAY_INTERNAL_ERROR: "relay support",
    };
    const err = parseError({ type: "error", code: "AGENT_TIMEOUT", error: "Agent took too long" });
    if (!err.known) throw new Error("AGENT_TIMEOUT is documented");
    const code: CkgRelayCode = err.code;
    expect(owner[code]).toBe("infrastructure team");
    const unknown = parseError({ type: "error", code: "AGENT_ON_FIRE", error: "?" });
    // @ts-expect-error before `known` is checked, the code is whatever the wire sent
    const unchecked: CkgRelayCode = unknown.code;
    expect(unchecked).toBe("AGENT_ON_FIRE");
  });

  it("reads AGENT_NOT_ALLOWED as NOT_ALLOWED, keeping the spelling received in raw", () => {
    expect(codeAliases).toEqual({ AGENT_NOT_ALLOWED: "NOT_ALLOWED" });
    const err = parseError({ type: "error", code: "AGENT_NOT_ALLOWED", message: "nope" });
    expect(err.raw).toMatchObject({ code: "AGENT_NOT_ALLOWED" });
    expect(err).toMatchObject({
      code: "NOT_ALLOWED",
      codeName: "NOT_ALLOWED",
      status: 403,
      retryable: "no",
      action: "user-action",
      known: true,
      message: "nope",
    });
  });

  it("marks one row per status as what a bare status stands for: a bare 500 is RELAY_INTERNAL_ERROR", () => {
    const bare = entries.filter((entry) => entry.bareStatus).map((entry) => [entry.status, entry.code]);
    expect(bare).toEqual([
      [503, "AGENT_OFFLINE"],
      [403, "NOT_ALLOWED"],
      [404, "AGENT_NOT_FOUND"],
      [504, "AGENT_TIMEOUT"],
      [413, "PAYLOAD_TOO_LARGE"],
      [429, "RATE_LIMITED"],
      [400, "INVALID_MESSAGE"],
      [500, "RELAY_INTERNAL_ERROR"],
    ]);
    expect(parseError("", { status: 500 })).toMatchObject({ code: "RELAY_INTERNAL_ERROR", known: true });
    expect(parseError("", { status: 503 })).toMatchObject({ code: "AGENT_OFFLINE", known: true });
  });
});

describe("codes, the catalog parseError is built from", () => {
  const PEOPLE = ["userMessage", "retryingUserMessage", "advice"];

  it("is the catalog without its text for people, row by row", () => {
    expect(codes.map((entry) => entry.code)).toEqual(catalog.map((entry) => entry.code));
    for (const [i, entry] of catalog.entries()) {
      const facts = Object.fromEntries(Object.entries(entry).filter(([key]) => !PEOPLE.includes(key)));
      expect(codes[i]).toEqual(facts);
      expect(PEOPLE.filter((key) => key in (codes[i] ?? {}))).toEqual([]);
    }
  });

  it("leaves the text to the whole catalog, which protocol and its index read", () => {
    expect(catalog.filter((entry) => entry.advice !== undefined)).toHaveLength(catalog.length);
    expect(protocol.catalog).toBe(catalog);
    for (const entry of catalog) expect(protocol.index.get(entry.code)).toBe(entry);
    expect(protocol.index.get("AGENT_NOT_ALLOWED")?.advice).toBe(catalog.index.get("NOT_ALLOWED")?.advice);
  });
});

describe("closeCodes", () => {
  it("lists 4001 BAD_AGENT_TOKEN, which the protocol reads and classifyCloseCode derives from", () => {
    expect(closeCodes).toEqual([expect.objectContaining({ code: 4001, name: "BAD_AGENT_TOKEN" })]);
    expect(Object.isFrozen(closeCodes)).toBe(true);
    expect(CkgRelayCloseCode).toEqual({ BAD_AGENT_TOKEN: 4001 });
    expect(Object.isFrozen(CkgRelayCloseCode)).toBe(true);
    const four: 4001 = CkgRelayCloseCode.BAD_AGENT_TOKEN;
    expect(protocol.closes.at(-1)).toBe(closeCodes[0]);
    for (const row of closeCodes) {
      expect(classifyCloseCode(row.code)).toEqual({ name: row.name, retryable: row.retryable, action: row.action });
      expect(fromClose(four)).toMatchObject({ codeName: row.name, retryable: row.retryable, action: row.action });
    }
  });
});
