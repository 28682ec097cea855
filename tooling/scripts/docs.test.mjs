import { catalogTable, describePolicy } from "@wirefault/cli";
import { describe, expect, it } from "vitest";
import { loadCatalogs, stale, staleApiDocs, withTable } from "./docs.mjs";

describe("generated docs", () => {
  it("every README table and docs/errors.md match the catalogs", async () => {
    expect(await stale()).toEqual([]);
  });

  it("docs/api matches a fresh TypeDoc run", { timeout: 300_000 }, () => {
    expect(staleApiDocs()).toEqual([]);
  });

  it("finds all five protocols by their exported definitions", async () => {
    const found = await loadCatalogs();
    expect(found.map(({ protocol }) => protocol.name)).toEqual([
      "teale-relay",
      "telemetry-server",
      "ckg-relay",
      "atlas",
      "tryll",
    ]);
  });

  it("renders a catalog as a table, hiding columns that say nothing", () => {
    const table = catalogTable([
      { surface: "relay", code: "a|b", name: "a|b", retryable: "yes", action: "retry", summary: "s", status: 503 },
    ]);
    expect(table).toBe(
      "| Code | Status | Retryable | Action | Retry policy | Summary |\n|---|---|---|---|---|---|\n| `a\\|b` | 503 | yes | `retry` |  | s |",
    );
  });

  it("describes policies in one line", () => {
    expect(describePolicy({ baseMs: 2000, factor: 2, maxAttempts: 4 })).toBe("from 2 s ×2, 4 attempts max");
    expect(describePolicy({ baseMs: 1000, factor: 2, minDelayMs: 10_000, capMs: 60_000 })).toBe(
      "from 1 s ×2, ≥ 10 s, ≤ 60 s",
    );
  });

  it("refuses a README without markers", () => {
    expect(() => withTable("# x", "t")).toThrow(/catalog:start/);
  });
});
