import { describe, expect, it } from "vitest";
import { summaryTable, WIDTH, wrap } from "./summary.mjs";

const row = (over = {}) => ({
  protocol: "telemetry-server",
  scenario: "transient failure retried (connection reset)",
  code: "network error UND_ERR_SOCKET",
  action: "retry",
  attempts: 2,
  waitedMs: 1000,
  outcome: "accepted on the retry",
  ok: true,
  ...over,
});
const width = (line) => [...line].length;

describe("the demo's summary table", () => {
  it("fits 80 columns, wrapping the long cells word by word without losing one", () => {
    const rows = [
      row(),
      row({
        protocol: "ckg-relay",
        scenario: "refused before sending",
        code: "PAYLOAD_TOO_LARGE",
        action: "fix-request",
      }),
      row({ protocol: "ckg-relay", scenario: "#".repeat(120), code: "@".repeat(90), ok: false }),
    ];
    const lines = summaryTable(rows);
    expect(WIDTH).toBe(80);
    for (const line of lines) expect(width(line), line).toBeLessThanOrEqual(80);
    const text = lines.join(" ");
    for (const word of [..."transient failure retried (connection reset) network error UND_ERR_SOCKET".split(" ")])
      expect(text).toContain(word);
    // A word wider than its column is split across lines, never cut.
    expect(text.replaceAll(/[^#]/g, "")).toHaveLength(120);
    expect(text.replaceAll(/[^@]/g, "")).toHaveLength(90);
    expect(lines).toContain("telemetry-server");
    expect(lines.filter((line) => line === "ckg-relay")).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("✗ "))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("✓ "))).toHaveLength(2);
  });

  it("keeps a narrow table as it is: one line per row, under the header", () => {
    const lines = summaryTable([row({ scenario: "retried", code: "5001" })]);
    expect(lines).toEqual([
      "  scenario  code  action  tries  waited",
      "  --------  ----  ------  -----  ------",
      "telemetry-server",
      "✓ retried   5001  retry       2     1 s",
    ]);
  });

  it("wraps text at spaces, and splits only a word longer than the width", () => {
    expect(wrap("network error UND_ERR_SOCKET", 14)).toEqual(["network error", "UND_ERR_SOCKET"]);
    expect(wrap("abcdefgh ij", 3)).toEqual(["abc", "def", "gh", "ij"]);
    expect(wrap("", 5)).toEqual([""]);
  });
});
