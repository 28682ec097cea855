// CI's release rehearsal: `changeset status`, then `npm publish --dry-run` for
// every package, failing if one would publish without its dist, README or
// license, or without the metadata a registry page needs.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const REQUIRED_FIELDS = ["repository", "license", "keywords", "engines", "publishConfig"];

/** Problems with one package's would-be publish, as strings (empty: fine). */
export function problems(manifest, files) {
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
    const path = bin.replace(/^\.\//, "");
    if (!has(path)) out.push(`bin names ${path}, which is not in the package`);
  }
  for (const field of REQUIRED_FIELDS) if (manifest[field] === undefined) out.push(`package.json has no "${field}"`);
  if (manifest.publishConfig && manifest.publishConfig.access !== "public")
    out.push('publishConfig.access is not "public"');
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  execFileSync("npx", ["changeset", "status"], { cwd: root, stdio: "inherit" });
  let failed = 0;
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
    const found = problems(manifest, files);
    // The root LICENSE, copied; a package that bundles third-party code appends their notices.
    const license = readFileSync(join(dir, "LICENSE"), "utf8");
    if (!license.startsWith(readFileSync(join(root, "LICENSE"), "utf8"))) found.push("LICENSE is not the root LICENSE");
    for (const problem of found) console.error(`${manifest.name}: ${problem}`);
    if (found.length === 0) console.log(`${manifest.name}: would publish ${files.length} files`);
    failed += found.length;
  }
  process.exit(failed ? 1 : 0);
}
