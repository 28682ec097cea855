// Sums every Vitest JSON report the run left behind into one closing line,
// "N passed, M failed", so that a run that executed no test is visible.
// Each test counts once; a test file that failed outside any test (an import
// error, a failing hook) counts as one failure; a workspace whose tests should
// have run but left no report counts as one failure and is named.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const REPORT = ".vitest-report.json";
const defaultRoot = new URL("../..", import.meta.url).pathname;
const GROUPS = ["packages", "tooling", "examples"];

/** Workspaces whose `npm test` runs Vitest: each must leave a report. */
export function testedWorkspaces(root = defaultRoot) {
  const found = [];
  for (const group of GROUPS) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const manifest = join(dir, name, "package.json");
      if (!existsSync(manifest)) continue;
      const { name: id, scripts } = JSON.parse(readFileSync(manifest, "utf8"));
      if (typeof scripts?.test === "string") found.push({ id, report: join(dir, name, REPORT) });
    }
  }
  return found;
}

/** Every report path: one per workspace package, plus suites run from the root. */
export function reportPaths(root = defaultRoot) {
  const paths = [];
  for (const group of GROUPS) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) paths.push(join(dir, name, REPORT));
  }
  // examples/ is one workspace of its own, not a group of them.
  paths.push(join(root, "examples", REPORT));
  const extra = join(root, ".cache", "reports");
  if (existsSync(extra)) for (const name of readdirSync(extra)) paths.push(join(extra, name));
  return paths.filter((path) => existsSync(path));
}

/** Counts one Vitest JSON report: tests once each, plus files that failed outside a test. */
export function countReport(report) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    let failedHere = 0;
    for (const test of tests) {
      if (test.status === "passed") passed++;
      else if (test.status === "failed") failedHere++;
      else skipped++;
    }
    // A file that failed with no failing test in it: an import error or a hook.
    if (file.status === "failed" && failedHere === 0) failedHere = 1;
    failed += failedHere;
  }
  return { passed, failed, skipped };
}

/** The run's totals, and the workspaces whose tests left no report. */
export function summarise(root = defaultRoot, { expectWorkspaces = false } = {}) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const path of reportPaths(root)) {
    try {
      const counts = countReport(JSON.parse(readFileSync(path, "utf8")));
      passed += counts.passed;
      failed += counts.failed;
      skipped += counts.skipped;
    } catch {
      failed += 1;
    }
  }
  const missing = expectWorkspaces
    ? testedWorkspaces(root)
        .filter((workspace) => !existsSync(workspace.report))
        .map((workspace) => workspace.id)
    : [];
  return { passed, failed: failed + missing.length, skipped, missing };
}

/** The closing line, "N passed, M failed" (", K skipped" when any). */
export function closingLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`;
}

/** Prints the missing workspaces, then the closing line; returns the exit code. */
export function report(totals) {
  if (totals.missing.length > 0) console.log(`tests did not run in: ${totals.missing.join(", ")}`);
  console.log(closingLine(totals));
  return totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(report(summarise(defaultRoot, { expectWorkspaces: true })));
}
