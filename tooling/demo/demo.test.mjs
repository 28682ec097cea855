import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The demo, run headless as `npm run demo` runs it (after the build).
describe("npm run demo", () => {
  it("runs every protocol's scenarios and ends with all of them as designed", () => {
    const script = fileURLToPath(new URL("./demo.mjs", import.meta.url));
    const run = spawnSync(process.execPath, [script, "--headless"], { encoding: "utf8", timeout: 300_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const protocol of ["teale-relay", "telemetry-server", "ckg-relay", "atlas", "tryll"]) {
      expect(run.stdout).toContain(`\n${protocol}\n`);
    }
    for (const heading of ["protocol", "scenario", "code", "action taken", "attempts", "outcome"]) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout).toMatch(/all \d+ scenarios ended as designed/);
    expect(run.stdout).not.toContain("UNEXPECTED");
    expect(run.stdout).not.toContain("\u001b[");
  });
});
