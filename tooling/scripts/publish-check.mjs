// CI's release rehearsal: `changeset status`, then `npm publish --dry-run` for
// every package, failing if one would publish without its dist, README,
// CHANGELOG or license, or without the metadata a registry page needs; then the
// real thing against a local Verdaccio (rehearsal.mjs): publish, install, run.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { foldFirstReleases } from "./first-release.mjs";
import { rehearse } from "./rehearsal.mjs";

const root = new URL("../..", import.meta.url).pathname;
const REQUIRED_FIELDS = ["repository", "license", "keywords", "engines", "publishConfig"];

/**
 * Problems with one package's would-be publish, as strings (empty: fine).
 * `changelog`: whether the package folder has a CHANGELOG.md.
 */
export function problems(manifest, files, { changelog = false } = {}) {
  const out = [];
  const has = (path) => files.includes(path);
  if (!has("README.md")) out.push("README.md is not in the package");
  if (!has("LICENSE")) out.push("LICENSE is not in the package");
  if (!files.some((path) => path.startsWith("dist/") && path.endsWith(".js")))
    out.push("dist/ has no .js file in the package");
  for (const target of JSON.stringify(manifest.exports ?? {}).match(/"\.\/dist\/[^"]+"/g) ?? []) {
    const path = target.slice(3, -1);
    if (!has(path)) out.push(`exports names ${path}, which is not in the package`);
  }
  const bins = typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {});
  for (const bin of bins) {
    // npm 11 drops a bin written "./dist/cli.js" as an invalid script name.
    if (bin.startsWith("./")) out.push(`bin ${bin} starts with "./", which npm 11 removes: write ${bin.slice(2)}`);
    const path = bin.replace(/^\.\//, "");
    if (!has(path)) out.push(`bin names ${path}, which is not in the package`);
  }
  if (!manifest.files?.includes("CHANGELOG.md")) out.push('"files" does not list CHANGELOG.md');
  if (changelog && !has("CHANGELOG.md")) out.push("CHANGELOG.md is not in the package");
  out.push(...typesVersionsProblems(manifest));
  for (const field of REQUIRED_FIELDS) if (manifest[field] === undefined) out.push(`package.json has no "${field}"`);
  if (manifest.publishConfig && manifest.publishConfig.access !== "public")
    out.push('publishConfig.access is not "public"');
  return out;
}

/**
 * Under node10 resolution (TypeScript's default for `"module": "commonjs"`),
 * `types` types the root and `typesVersions` the subpaths: both must be the
 * require flavour (.d.cts), or every class is declared twice and a subpath's
 * error is not assignable to the root's class.
 */
export function typesVersionsProblems(manifest) {
  const out = [];
  const exports = typeof manifest.exports === "object" && manifest.exports ? manifest.exports : {};
  const requireTypes = (key) => exports[key]?.require?.types;
  if (manifest.types !== undefined && requireTypes(".") !== undefined && manifest.types !== requireTypes("."))
    out.push(`"types" is ${manifest.types}, but require's types for "." is ${requireTypes(".")}`);
  const mapped = manifest.typesVersions?.["*"] ?? {};
  for (const key of Object.keys(exports)) {
    if (key === "." || key.endsWith(".json") || !key.startsWith("./")) continue;
    const subpath = key.slice(2);
    const targets = mapped[subpath];
    if (!targets) out.push(`typesVersions does not map ${subpath}: node10 resolution cannot type it`);
    else if (targets[0] !== requireTypes(key))
      out.push(`typesVersions maps ${subpath} to ${targets[0]}, not require's types ${requireTypes(key)}`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  execFileSync("npx", ["changeset", "status"], { cwd: root, stdio: "inherit" });
  let failed = 0;
  // A never-published package's first CHANGELOG entry is its one "First release" changeset.
  try {
    foldFirstReleases(root, { check: true });
  } catch (error) {
    console.error(error.message);
    failed += 1;
  }
  for (const name of readdirSync(join(root, "packages"))) {
    const dir = join(root, "packages", name);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (manifest.private) continue;
    const report = JSON.parse(
      execFileSync("npm", ["publish", "--dry-run", "--json"], {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    );
    const files = Object.values(report)[0].files.map((f) => f.path);
    const found = problems(manifest, files, { changelog: existsSync(join(dir, "CHANGELOG.md")) });
    // The root LICENSE, copied; a package that bundles third-party code appends their notices.
    const license = readFileSync(join(dir, "LICENSE"), "utf8");
    if (!license.startsWith(readFileSync(join(root, "LICENSE"), "utf8"))) found.push("LICENSE is not the root LICENSE");
    for (const problem of found) console.error(`${manifest.name}: ${problem}`);
    if (found.length === 0) console.log(`${manifest.name}: would publish ${files.length} files`);
    failed += found.length;
  }
  if (failed) process.exit(1);
  const started = Date.now();
  try {
    const published = await rehearse();
    console.log(
      `release rehearsal: ${published.length} packages published, installed and run in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
