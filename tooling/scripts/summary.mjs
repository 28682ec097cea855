// Sums every Vitest JSON report the run left behind into one closing line,
// "N passed, M failed", so that a run that executed no test is visible.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const REPORT = ".vitest-report.json";
const root = new URL("../..", import.meta.url).pathname;

/** Every report path: one per workspace package, plus suites run from the root. */
export function reportPaths() {
  const paths = [];
  for (const group of ["packages", "tooling"]) {
    for (const name of readdirSync(join(root, group))) paths.push(join(root, group, name, REPORT));
  }
  // examples/ is one workspace of its own, not a group of them.
  paths.push(join(root, "examples", REPORT));
  const extra = join(root, ".cache", "reports");
  if (existsSync(extra)) for (const name of readdirSync(extra)) paths.push(join(extra, name));
  return paths.filter((path) => existsSync(path));
}

export function summarise() {
  let passed = 0;
  let failed = 0;
  for (const path of reportPaths()) {
    try {
      const report = JSON.parse(readFileSync(path, "utf8"));
      passed += report.numPassedTests ?? 0;
      // A suite that fails to load counts as a failure even with no test in it.
      failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
    } catch {
      failed += 1;
    }
  }
  return { passed, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { passed, failed } = summarise();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}
