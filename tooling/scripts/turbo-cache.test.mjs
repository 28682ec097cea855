import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TEST_PHASE } from "./phases.mjs";

const root = new URL("../..", import.meta.url).pathname;
const turbo = `${root}node_modules/.bin/turbo`;

/** Each build task's hash, as `turbo run <flags> build` would compute it. */
function buildHashes(flags) {
  const out = execFileSync(turbo, ["run", ...flags, "build", "--dry=json"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const dry = JSON.parse(out.slice(out.indexOf("{")));
  return Object.fromEntries(dry.tasks.map((task) => [task.taskId, task.hash]));
}

// `npm run demo` (and bench, test:reliability, release) build with plain
// `turbo run build`; `npm test` passes its own flags. A flag that changes the
// task hash (the env mode does) makes each of them rebuild everything the
// other just built: 38 tasks, 0 cached.
describe("turbo's cache across the repo's entry points", () => {
  it("gives the build the same hash under npm test's flags as under npm run demo's", () => {
    const scripts = JSON.parse(readFileSync(`${root}package.json`, "utf8")).scripts;
    // The demo's own flags (log output only) do not enter the hash; an env mode would.
    expect(scripts.demo).toContain("turbo run build --output-logs=errors-only &&");
    const testRunner = readFileSync(`${root}tooling/scripts/phases.mjs`, "utf8");
    const testFlags = testRunner.match(/"--env-mode=[a-z]+"/g)?.map((flag) => flag.slice(1, -1)) ?? [];
    const plain = buildHashes([]);
    expect(Object.keys(plain).length).toBeGreaterThan(5);
    expect(buildHashes(testFlags)).toEqual(plain);
    // The explicit flag and the config agree.
    expect(buildHashes(["--env-mode=loose"])).toEqual(plain);
  }, 120_000);
});

describe("npm test's test phase", () => {
  it("runs tests only, so no build can empty a dist under a running test", () => {
    const [, ...flags] = TEST_PHASE;
    const out = execFileSync(turbo, [...flags, "--dry=json", "--", "--reporter=dot"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
    const tasks = JSON.parse(out.slice(out.indexOf("{"))).tasks.map((task) => task.task);
    expect(tasks.length).toBeGreaterThan(5);
    expect(new Set(tasks)).toEqual(new Set(["test"]));
  }, 120_000);

  it("waits for its own package's build when turbo runs the tests directly", () => {
    const config = JSON.parse(readFileSync(`${root}turbo.json`, "utf8"));
    expect(config.tasks.test.dependsOn).toEqual(expect.arrayContaining(["^build", "build"]));
  });
});
