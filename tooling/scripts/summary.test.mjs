import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closingLine, countReport, REPORT, summarise } from "./summary.mjs";

const test = (status, title = "t") => ({ status, title, ancestorTitles: ["outer", "inner"] });

describe("countReport", () => {
  it("counts a failing test inside nested describes once", () => {
    // Vitest's own numFailedTestSuites counts the file and each describe around
    // the test: summing it with numFailedTests counted this one failure three times.
    const report = {
      numFailedTests: 1,
      numFailedTestSuites: 2,
      testResults: [{ status: "failed", assertionResults: [test("passed"), test("failed"), test("passed")] }],
    };
    expect(countReport(report)).toEqual({ passed: 2, failed: 1, skipped: 0 });
  });

  it("counts a file that failed to load as one failure", () => {
    const report = { testResults: [{ status: "failed", message: "Cannot find module", assertionResults: [] }] };
    expect(countReport(report)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  it("reports skipped and todo tests apart", () => {
    const report = {
      testResults: [{ status: "passed", assertionResults: [test("passed"), test("skipped"), test("todo")] }],
    };
    expect(countReport(report)).toEqual({ passed: 1, failed: 0, skipped: 2 });
  });
});

describe("summarise", () => {
  const workspace = (root, group, name, scripts) => {
    const dir = join(root, group, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `@x/${name}`, scripts }));
    return dir;
  };

  it("names every workspace with a test script that left no report, and counts it as failed", () => {
    const root = mkdtempSync(join(tmpdir(), "summary-"));
    const ran = workspace(root, "packages", "ran", { test: "vitest run" });
    workspace(root, "packages", "broken-build", { test: "vitest run" });
    workspace(root, "tooling", "no-tests", { build: "tsup" });
    writeFileSync(
      join(ran, REPORT),
      JSON.stringify({ testResults: [{ status: "passed", assertionResults: [test("passed")] }] }),
    );

    const totals = summarise(root, { expectWorkspaces: true });
    expect(totals).toEqual({ passed: 1, failed: 1, skipped: 0, missing: ["@x/broken-build"] });
    expect(summarise(root).failed).toBe(0);
  });

  it("counts an unreadable report as a failure", () => {
    const root = mkdtempSync(join(tmpdir(), "summary-"));
    writeFileSync(join(workspace(root, "packages", "a", { test: "vitest run" }), REPORT), "{not json");
    expect(summarise(root, { expectWorkspaces: true })).toMatchObject({ passed: 0, failed: 1, missing: [] });
  });
});

describe("closingLine", () => {
  it("is the plain line CI reads", () => {
    expect(closingLine({ passed: 3, failed: 0, skipped: 0 })).toBe("3 passed, 0 failed");
    expect(closingLine({ passed: 3, failed: 1, skipped: 2 })).toBe("3 passed, 1 failed, 2 skipped");
  });
});
