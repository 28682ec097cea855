// What `changeset version` writes in each CHANGELOG.md (.changeset/config.json
// names this file). A dependency's change is named, never hidden behind
// "Updated dependencies": under 0.x a core minor is breaking, and it reaches
// the dependents as a patch whose users need to know what broke.
"use strict";

/** [major, minor, patch] of a plain x.y.z version. */
const parts = (version) => version.split(/[.+-]/).slice(0, 3).map(Number);

/**
 * Whether `to` is outside the caret range of `from`, i.e. a breaking release
 * by semver: a new major, a new minor under 0.x, any new version under 0.0.x.
 */
function isBreaking(from, to) {
  const [a, b, c] = parts(from);
  const [x, y, z] = parts(to);
  if (a > 0) return x !== a;
  if (b > 0) return x !== a || y !== b;
  return x !== a || y !== b || z !== c;
}

/** A summary as a list item: its first line after "- ", the rest indented under it. */
function item(summary, indent = "") {
  const [first, ...rest] = summary.trim().split("\n");
  return [
    `${indent}- ${first.trimEnd()}`,
    ...rest.map((line) => (line.trim() ? `${indent}  ${line.trimEnd()}` : "")),
  ].join("\n");
}

/** The line of one of the package's own changesets. */
async function getReleaseLine(changeset) {
  return item(changeset.summary);
}

/**
 * The lines for the internal dependencies this release moves to: each names
 * the dependency's new version and the summaries of its changesets, and says
 * "Breaking" when the new version leaves the old one's caret range.
 */
async function getDependencyReleaseLine(changesets, dependenciesUpdated) {
  const lines = [];
  const sorted = [...dependenciesUpdated].sort((a, b) => a.name.localeCompare(b.name));
  for (const dependency of sorted) {
    const name = `\`${dependency.name}\` ${dependency.newVersion}`;
    // A dependency's first release comes with the package's own: nothing to say.
    if (dependency.oldVersion === "0.0.0") continue;
    const own = changesets.filter(
      (changeset) =>
        dependency.changesets.includes(changeset.id) &&
        changeset.releases.some((release) => release.name === dependency.name && release.type !== "none"),
    );
    const head = isBreaking(dependency.oldVersion, dependency.newVersion)
      ? `- Breaking, from ${name} (was ${dependency.oldVersion}): its changes reach this package's users.`
      : `- Uses ${name}:`;
    lines.push([head, ...own.map((changeset) => item(changeset.summary, "  "))].join("\n"));
  }
  return lines.join("\n");
}

module.exports = { getReleaseLine, getDependencyReleaseLine, isBreaking };
