import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The demo, run headless as `npm run demo` runs it (after the build).
const script = fileURLToPath(new URL("./demo.mjs", import.meta.url));
let once;
// One run serves every test: it is the slowest thing here.
const demoRun = () => {
  once ??= spawnSync(process.execPath, [script, "--headless"], { encoding: "utf8", timeout: 300_000 });
  return once;
};

describe("npm run demo", () => {
  it("runs every protocol's scenarios and ends with all of them as designed", () => {
    const run = demoRun();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const protocol of ["teale-relay", "telemetry-server", "ckg-relay", "atlas", "tryll"]) {
      expect(run.stdout).toContain(`\n${protocol}\n`);
    }
    expect(run.stdout).toMatch(/\n {2}scenario +code +action +tries +waited\n/);
    expect(run.stdout).toMatch(/all \d+ scenarios ended as designed/);
    expect(run.stdout).not.toContain("✗");
    expect(run.stdout).not.toContain("\u001b[");
  });

  it("ends with a summary that fits an 80-column terminal, every scenario in it", () => {
    const run = demoRun();
    expect(run.status).toBe(0);
    const summary = run.stdout.slice(run.stdout.lastIndexOf("\n\n  scenario ")).trim().split("\n");
    for (const line of summary) expect([...line].length, line).toBeLessThanOrEqual(80);
    // One block per protocol, and each scenario's code on a line of it.
    for (const protocol of ["teale-relay", "telemetry-server", "ckg-relay", "atlas", "tryll"])
      expect(summary).toContain(protocol);
    for (const code of ["rate_limited", "DEVICE_NOT_FOUND", "UND_ERR_SOCKET", "PAYLOAD_TOO_LARGE", "4001", "5004"])
      expect(summary.some((line) => line.includes(code))).toBe(true);
  });

  it("says what happened in words a newcomer follows", () => {
    const run = demoRun();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('the relay says peer "gone-node" is not connected: discover peers again');
    expect(run.stdout).toContain("accepted on the retry and stored once: the server holds 4 blocks, no duplicate");
    // A platform failure has no protocol code: the line says it was the network, then the system's code.
    expect(run.stdout).toMatch(/: network error [A-Z_]+ → retry, 2 attempts/);
    expect(run.stdout).not.toMatch(/: (UND_ERR_[A-Z_]+|E[A-Z]{4,}) → /);
    for (const odd of ["rediscover it", "accepted 1 once", "server stored", ", resend 0"]) {
      expect(run.stdout).not.toContain(odd);
    }
  });

  it("is introduced in the README with what its first run costs", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const tryIt = readme.slice(readme.indexOf("## Try it"), readme.indexOf("## Install"));
    expect(tryIt).toContain("npm run demo");
    expect(tryIt).toMatch(/first run builds/i);
    expect(tryIt).toMatch(/\d+ minutes?/);
    // The script says so too, before the silent build starts.
    const scripts = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).scripts;
    expect(scripts.demo.indexOf("first run")).toBeGreaterThan(-1);
    expect(scripts.demo.indexOf("first run")).toBeLessThan(scripts.demo.indexOf("turbo run build"));
  });
});
