// `npm test`: build, typecheck, lint, package checks, then every package's
// tests, ending with the summed "N passed, M failed" line.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { REPORT, reportPaths, summarise } from "./summary.mjs";

const root = new URL("../..", import.meta.url).pathname;
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: "inherit", env }).status === 0;

// A run starts from no reports, so that stale ones cannot be counted.
for (const path of reportPaths()) rmSync(path, { force: true });

const turbo = ["turbo", "run", "--env-mode=loose", "--concurrency=2"];
let ok = run("npx", [...turbo, "build", "typecheck", "lint", "check:pkg", "--output-logs=errors-only"]);
if (ok) {
  ok = run("npx", [
    ...turbo,
    "test",
    "--output-logs=full",
    "--",
    "--reporter=dot",
    "--reporter=json",
    `--outputFile.json=${REPORT}`,
  ]);
}
const { passed, failed } = summarise();
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 && passed > 0 ? 0 : 1);
