// Run before `changeset version` (npm run version-packages). A package that
// was never published (version 0.0.0) has no history a user could have seen:
// its first CHANGELOG entry is its one "First release" changeset, and what
// other changesets say about it (renames, speed-ups, fixes of unpublished code)
// is dropped from them. Changesets for published packages are left alone.
//
//   node tooling/scripts/first-release.mjs [--check]
//
// --check changes nothing and fails when a never-published package has no
// "First release" changeset, or more than one (CI runs it in check:publish).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The summary prefix that marks a package's first release. */
export const FIRST_RELEASE = /^First release\b/;
/** The version of a package that was never published. */
export const UNPUBLISHED = "0.0.0";

/** A changeset file's releases (`{ name, type }`) and summary. */
export function parseChangeset(text) {
  const match = /^---\r?\n([\s\S]*?)\r?\n?---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error("not a changeset: no front matter");
  const releases = match[1]
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const release = /^["']?([^"':]+)["']?\s*:\s*(major|minor|patch|none)$/.exec(line);
      if (!release) throw new Error(`not a changeset release line: ${line}`);
      return { name: release[1], type: release[2] };
    });
  return { releases, summary: match[2].trim() };
}

/** A changeset file's text from its releases and summary. */
export const formatChangeset = ({ releases, summary }) =>
  `---\n${releases.map(({ name, type }) => `"${name}": ${type}`).join("\n")}\n---\n\n${summary}\n`;

/**
 * The plan for the pending changesets, given the public packages' versions
 * (`{ name: version }`): which files to rewrite or delete, and the problems
 * (a never-published package without exactly one first-release changeset).
 */
export function planFirstReleases(changesets, versions) {
  const unpublished = new Set(Object.keys(versions).filter((name) => versions[name] === UNPUBLISHED));
  const firsts = new Map([...unpublished].map((name) => [name, []]));
  const rewrite = [];
  const remove = [];
  const problems = [];
  for (const { id, releases, summary } of changesets) {
    const first = FIRST_RELEASE.test(summary);
    for (const { name } of releases) {
      if (first && unpublished.has(name)) firsts.get(name).push(id);
      if (first && versions[name] !== undefined && !unpublished.has(name))
        problems.push(`"First release" of ${name} in ${id}, which is already at ${versions[name]}`);
    }
    if (first) continue;
    const kept = releases.filter(({ name }) => !unpublished.has(name));
    if (kept.length === releases.length) continue;
    if (kept.length === 0) remove.push(id);
    else rewrite.push({ id, releases: kept, summary });
  }
  for (const [name, ids] of firsts) {
    if (ids.length === 0) problems.push(`${name} was never published and has no "First release" changeset`);
    if (ids.length > 1) problems.push(`${name} has ${ids.length} "First release" changesets: ${ids.join(", ")}`);
  }
  return { rewrite, remove, problems };
}

/** The pending changesets of a repo, read from its .changeset folder. */
export function readChangesets(root) {
  const dir = join(root, ".changeset");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .map((file) => ({ id: file.slice(0, -3), ...parseChangeset(readFileSync(join(dir, file), "utf8")) }));
}

/** The versions of the repo's public packages (packages/*), by name. */
export function publicVersions(root) {
  const dir = join(root, "packages");
  const versions = {};
  for (const folder of readdirSync(dir)) {
    const path = join(dir, folder, "package.json");
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, "utf8"));
    if (!manifest.private) versions[manifest.name] = manifest.version;
  }
  return versions;
}

/** Applies the plan to `root`'s .changeset folder; throws on its problems. */
export function foldFirstReleases(root, { check = false } = {}) {
  const plan = planFirstReleases(readChangesets(root), publicVersions(root));
  if (plan.problems.length) throw new Error(`first release:\n  ${plan.problems.join("\n  ")}`);
  if (!check) {
    const file = (id) => join(root, ".changeset", `${id}.md`);
    for (const change of plan.rewrite) writeFileSync(file(change.id), formatChangeset(change));
    for (const id of plan.remove) rmSync(file(id));
  }
  return plan;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = new URL("../..", import.meta.url).pathname;
  const check = process.argv.includes("--check");
  try {
    const plan = foldFirstReleases(root, { check });
    const folded = plan.rewrite.length + plan.remove.length;
    console.log(
      check
        ? `first release: ${folded} changesets describe packages never published; their lines for those are left out of the first CHANGELOG`
        : `first release: ${plan.rewrite.length} changesets rewritten, ${plan.remove.length} removed`,
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
