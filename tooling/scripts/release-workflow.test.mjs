import { readdirSync, readFileSync } from "node:fs";
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
    // first-release.mjs first: a never-published package's first CHANGELOG is its "First release" changeset.
    expect(pkg.scripts["version-packages"]).toBe(
      "node tooling/scripts/first-release.mjs && changeset version && npm install --package-lock-only --no-audit --no-fund --ignore-scripts",
    );
  });

  it("runs on Debian as root, where .ci/run can install Chromium", () => {
    expect(workflow).toMatch(/^\s*container: node:20-bookworm$/m);
  });

  it("fails CI on an install warning about engines", () => {
    const ci = read(".ci/run");
    expect(ci).toMatch(/npm ci [^\n]*\| tee \.cache\/npm-ci\.log/);
    expect(ci).toContain('if grep -q "EBADENGINE" .cache/npm-ci.log; then');
  });
});

describe("what a releaser needs", () => {
  const manifests = readdirSync(new URL("packages/", root))
    .map((folder) => [folder, JSON.parse(read(`packages/${folder}/package.json`))])
    .filter(([, manifest]) => !manifest.private);

  it("every published package names the same repository, for provenance", () => {
    const urls = new Set(manifests.map(([, manifest]) => manifest.repository?.url));
    expect([...urls]).toHaveLength(1);
    for (const [folder, manifest] of manifests) expect(manifest.repository.directory).toBe(`packages/${folder}`);
  });

  it("CONTRIBUTING's Releasing section has the token, provenance and Deno notes", () => {
    const contributing = read("CONTRIBUTING.md");
    const releasing = contributing.slice(contributing.indexOf("\n## Releasing\n"));
    expect(releasing.length).toBeGreaterThan(20);
    for (const note of [
      "ENEEDAUTH",
      "_authToken=dummy",
      "`repository.url`",
      "Deno refuses versions less than 24 hours old",
    ])
      expect(releasing).toContain(note);
  });
});
