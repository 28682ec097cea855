// What `npm run version-packages` writes, run for real (first-release.mjs, then
// `changeset version` with the repo's config and changelog module) in a copy of
// the repo's manifests and changesets.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { foldFirstReleases, formatChangeset, planFirstReleases, publicVersions } from "./first-release.mjs";

const require = createRequire(import.meta.url);
const { isBreaking } = require("./changelog.cjs");
const root = new URL("../..", import.meta.url).pathname;
const CHANGESET = join(root, "node_modules", "@changesets", "cli", "bin.js");
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const workspaces = () =>
  rootManifest.workspaces.flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(join(root, pattern.slice(0, -2)))
          .map((name) => `${pattern.slice(0, -2)}/${name}`)
          .filter((dir) => existsSync(join(root, dir, "package.json")))
      : [pattern],
  );

const sandboxes = [];
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of the repo's manifests, changeset config and changelog module.
 * `versions` sets public packages' versions; `changesets` replaces the pending
 * ones (by default the repo's own are copied).
 */
function sandbox({ versions, changesets } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "wirefault-changesets-"));
  sandboxes.push(dir);
  const copy = (path) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(root, path), join(dir, path));
  };
  copy("package.json");
  for (const workspace of workspaces()) copy(`${workspace}/package.json`);
  copy("tooling/scripts/changelog.cjs");
  if (changesets) {
    copy(".changeset/config.json");
    for (const [id, change] of Object.entries(changesets))
      writeFileSync(join(dir, ".changeset", `${id}.md`), formatChangeset(change));
  } else cpSync(join(root, ".changeset"), join(dir, ".changeset"), { recursive: true });
  // A released repo: each package at its version, its dependents' ranges on it.
  const set = versions ?? {};
  for (const folder of Object.keys(set)) {
    const path = join(dir, "packages", folder, "package.json");
    const pkg = JSON.parse(readFileSync(path, "utf8"));
    for (const name of Object.keys(pkg.dependencies ?? {}))
      if (set[folderOf(name)] !== undefined) pkg.dependencies[name] = `^${set[folderOf(name)]}`;
    writeFileSync(path, JSON.stringify({ ...pkg, version: set[folder] }, null, 2));
  }
  return dir;
}

/** `npm run version-packages` without the lock refresh. */
function version(dir) {
  foldFirstReleases(dir);
  execFileSync(process.execPath, [CHANGESET, "version"], { cwd: dir, stdio: "pipe" });
}

const read = (dir, path) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path), "utf8") : undefined);
const manifest = (dir, folder) => JSON.parse(readFileSync(join(dir, folder, "package.json"), "utf8"));
const PUBLIC = Object.keys(publicVersions(root));
const folderOf = (name) => name.replace("@wirefault/", "");
const released = (version) => Object.fromEntries(PUBLIC.map((name) => [folderOf(name), version]));

describe("isBreaking", () => {
  it.each([
    ["1.2.3", "2.0.0", true],
    ["1.2.3", "1.3.0", false],
    ["0.1.0", "0.2.0", true],
    ["0.1.0", "0.1.1", false],
    ["0.0.1", "0.0.2", true],
  ])("%s → %s: %s", (from, to, expected) => expect(isBreaking(from, to)).toBe(expected));
});

describe("npm run version-packages", { timeout: 60_000 }, () => {
  it("writes each never-published package one first-release entry, and nothing for private workspaces", () => {
    const dir = sandbox();
    const before = publicVersions(dir);
    version(dir);
    for (const name of PUBLIC) {
      const log = read(dir, `packages/${folderOf(name)}/CHANGELOG.md`);
      if (before[name] !== "0.0.0") continue;
      // Only the package's own "First release" line: no development history, no dependency noise.
      const items = log.split("\n").filter((line) => line.startsWith("- "));
      expect(items, name).toHaveLength(1);
      expect(items[0], name).toMatch(/^- First release\b/);
      expect(log).not.toMatch(/Updated dependencies|Patch Changes/);
    }
    for (const workspace of workspaces()) {
      if (!manifest(root, workspace).private) continue;
      expect(read(dir, `${workspace}/CHANGELOG.md`), workspace).toBeUndefined();
      expect(manifest(dir, workspace).version, workspace).toBe(manifest(root, workspace).version);
    }
  });

  it("names a breaking core change in every dependent's changelog", () => {
    const dir = sandbox({
      versions: released("0.1.0"),
      changesets: {
        "core-rename": {
          releases: [{ name: "@wirefault/core", type: "minor" }],
          summary: "`retry()` takes `maxAttempts` in its options only; the positional form is gone.",
        },
      },
    });
    version(dir);
    expect(manifest(dir, "packages/core").version).toBe("0.2.0");
    expect(read(dir, "packages/core/CHANGELOG.md")).toContain(
      "## 0.2.0\n\n### Minor Changes\n\n- `retry()` takes `maxAttempts` in its options only",
    );
    for (const folder of ["atlas", "ckg-relay", "teale-relay", "telemetry-server", "tryll"]) {
      expect(manifest(dir, `packages/${folder}`).dependencies["@wirefault/core"]).toBe("^0.2.0");
      const log = read(dir, `packages/${folder}/CHANGELOG.md`);
      expect(log, folder).toContain("- Breaking, from `@wirefault/core` 0.2.0 (was 0.1.0)");
      expect(log, folder).toContain(
        "  - `retry()` takes `maxAttempts` in its options only; the positional form is gone.",
      );
      expect(log, folder).not.toContain("Updated dependencies");
    }
    expect(read(dir, "tooling/test-utils/CHANGELOG.md")).toBeUndefined();
    expect(manifest(dir, "tooling/test-utils").version).toBe("0.0.0");
  });

  it("names a compatible core change without calling it breaking", () => {
    const dir = sandbox({
      versions: released("0.1.0"),
      changesets: {
        "core-fix": {
          releases: [{ name: "@wirefault/core", type: "patch" }],
          summary: "`parseRetryAfter` reads a date with a two-digit year.",
        },
        "atlas-fix": {
          releases: [{ name: "@wirefault/atlas", type: "patch" }],
          summary: "Atlas reads `ref_msg_id` given as a number.",
        },
      },
    });
    version(dir);
    const log = read(dir, "packages/atlas/CHANGELOG.md");
    expect(log).toContain("- Atlas reads `ref_msg_id` given as a number.");
    expect(log).toContain("- Uses `@wirefault/core` 0.1.1:\n  - `parseRetryAfter` reads a date with a two-digit year.");
    expect(log).not.toContain("Breaking");
  });

  it("keeps a published package's changes while folding an unpublished one's history", () => {
    const dir = sandbox({
      versions: { ...released("0.1.0"), tryll: "0.0.0" },
      changesets: {
        "tryll-initial": {
          releases: [{ name: "@wirefault/tryll", type: "minor" }],
          summary: "First release: typed Tryll errors.",
        },
        "tryll-rename": {
          releases: [{ name: "@wirefault/tryll", type: "major" }],
          summary: "The `./wire` subpath is renamed `./frame`.",
        },
        shared: {
          releases: [
            { name: "@wirefault/tryll", type: "patch" },
            { name: "@wirefault/atlas", type: "patch" },
          ],
          summary: "Masks `api_key=` in messages.",
        },
      },
    });
    version(dir);
    expect(manifest(dir, "packages/tryll").version).toBe("0.1.0");
    const tryll = read(dir, "packages/tryll/CHANGELOG.md");
    expect(tryll).toContain("- First release: typed Tryll errors.");
    expect(tryll).not.toMatch(/subpath|api_key/);
    expect(read(dir, "packages/atlas/CHANGELOG.md")).toContain("- Masks `api_key=` in messages.");
  });
});

describe("the first-release plan", () => {
  const versions = { "@wirefault/a": "0.0.0", "@wirefault/b": "0.1.0" };
  const first = { id: "a-initial", releases: [{ name: "@wirefault/a", type: "minor" }], summary: "First release: a." };
  it("fails a never-published package with no first release, or two", () => {
    expect(planFirstReleases([], versions).problems).toEqual([
      '@wirefault/a was never published and has no "First release" changeset',
    ]);
    expect(planFirstReleases([first, { ...first, id: "again" }], versions).problems).toEqual([
      '@wirefault/a has 2 "First release" changesets: a-initial, again',
    ]);
  });
  it("fails a first release of a published package", () => {
    const late = { id: "b-initial", releases: [{ name: "@wirefault/b", type: "minor" }], summary: "First release: b." };
    expect(planFirstReleases([first, late], versions).problems).toEqual([
      '"First release" of @wirefault/b in b-initial, which is already at 0.1.0',
    ]);
  });
});

describe("the repo's pending changesets", () => {
  it("give every never-published package exactly one first release", () => {
    expect(() => foldFirstReleases(root, { check: true })).not.toThrow();
  });
});
