// The protocol packages, found rather than listed: every folder under
// packages/ whose package.json has a "wirefault" field (its CLI entry, its
// place in listings, the example payload the smoke test sends). The docs and
// their API reference, the CLI, smoke, the runtime matrix, the dual-package
// check and cold start all loop over these, so a sixth package folder is
// picked up without editing a list.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const defaultRoot = new URL("../..", import.meta.url).pathname;

/**
 * Every protocol package under `root`/packages, in listing order: its npm
 * name, folder, manifest, what its "wirefault" field says, and the specifier
 * of the entry whose `protocol` the tools read (a subpath that also reads the
 * binary wire, where there is one).
 */
export function protocolPackages(root = defaultRoot) {
  const found = [];
  for (const folder of readdirSync(join(root, "packages"))) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(root, "packages", folder, "package.json"), "utf8"));
    } catch {
      continue;
    }
    const meta = manifest.wirefault;
    if (manifest.private || typeof meta !== "object" || meta === null) continue;
    const entry = meta.entry ? `${manifest.name}/${meta.entry.replace(/^\.\//, "")}` : manifest.name;
    found.push({ name: manifest.name, folder, dir: join(root, "packages", folder), manifest, meta, entry });
  }
  const rank = (p) => (Number.isFinite(p.meta.order) ? p.meta.order : Number.MAX_SAFE_INTEGER);
  return found.sort((a, b) => rank(a) - rank(b) || a.folder.localeCompare(b.folder));
}

/** The file an exports-map subpath resolves to under `import`, or the package's `module`/`main`. */
function importTarget(manifest, subpath) {
  const target = manifest.exports?.[subpath];
  if (typeof target === "string") return target;
  const conditions = target?.import;
  const file = typeof conditions === "string" ? conditions : conditions?.default;
  return typeof file === "string" ? file : (manifest.module ?? manifest.main ?? "./index.js");
}

/** Imports a package's entry from its own folder: a package found is loaded even where nothing links it. */
export const loadEntry = (pkg, subpath = ".") =>
  import(pathToFileURL(join(pkg.dir, importTarget(pkg.manifest, subpath))).href);

/** The packages with their modules loaded: `module` (the main entry) and `protocol` (the tools' entry's). */
export async function loadProtocolPackages(root = defaultRoot) {
  const out = [];
  for (const pkg of protocolPackages(root)) {
    const module = await loadEntry(pkg);
    const entryModule = pkg.meta.entry ? await loadEntry(pkg, pkg.meta.entry) : module;
    out.push({ ...pkg, module, protocol: entryModule.protocol });
  }
  return out;
}

/** The smoke test's case for each package: [name, payload, context, code], from its "wirefault".example. */
export const smokeCases = (packages) =>
  packages.map(({ name, meta }) => [name, meta.example.payload, meta.example.context ?? {}, meta.example.code]);
