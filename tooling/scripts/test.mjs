// `npm test`: build, typecheck, lint, package checks, then every package's
// tests, ending with the summed "N passed, M failed" line.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { CHECK_PHASE, TEST_PHASE } from "./phases.mjs";
import { REPORT, report, reportPaths, summarise } from "./summary.mjs";

const root = new URL("../..", import.meta.url).pathname;
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: "inherit", env }).status === 0;

// A run starts from no reports, so that stale ones cannot be counted.
for (const path of reportPaths()) rmSync(path, { force: true });

const checked = run("npx", CHECK_PHASE);
const tested = run("npx", [...TEST_PHASE, "--", "--reporter=dot", "--reporter=json", `--outputFile.json=${REPORT}`]);
const code = report(summarise(root, { expectWorkspaces: true }));
process.exit(checked && tested && code === 0 ? 0 : 1);
