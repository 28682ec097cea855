import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
const workflow = read(".github/workflows/release.yml");
const pkg = JSON.parse(read("package.json"));
// Every `run:` line of the workflow, in order.
const runs = [...workflow.matchAll(/^\s*-?\s*run:\s*(.+)$/gm)].map((m) => m[1].trim());
const publishStep = workflow.indexOf("changesets/action");

describe("the release workflow", () => {
  it("is gated by .ci/run, the whole CI, before it versions or publishes", () => {
    expect(runs).toContain("bash .ci/run");
    expect(workflow.indexOf("bash .ci/run")).toBeLessThan(publishStep);
    // .ci/run installs with npm ci and runs the ship checks; a bare `npm test` gate would skip them.
    const ci = read(".ci/run");
    for (const step of ["npm ci", "npm test", "check:consumers", "npm run size", "check:publish", "test:runtimes"])
      expect(ci).toContain(step);
    expect(runs).not.toContain("npm test");
  });

  it("never lets npm install rewrite the lock; only the pinned npm is installed", () => {
    const installs = runs.filter((run) => /\bnpm (install|i)\b/.test(run));
    expect(installs).toEqual([`npm install -g "$(node -p 'require("./package.json").packageManager')"`]);
    expect(pkg.packageManager).toMatch(/^npm@\d+\.\d+\.\d+$/);
  });

  it("updates the lock of a version PR with --package-lock-only, without scripts", () => {
    expect(workflow).toContain("version: npm run version-packages");
    expect(pkg.scripts["version-packages"]).toBe(
      "changeset version && npm install --package-lock-only --no-audit --no-fund --ignore-scripts",
    );
  });

  it("runs on Debian as root, where .ci/run can install Chromium", () => {
    expect(workflow).toMatch(/^\s*container: node:20-bookworm$/m);
  });
});
