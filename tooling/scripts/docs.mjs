// The one docs generator: every package README's error table and the combined
// docs/errors.md come from the catalogs, so docs and code cannot disagree;
// docs/api comes from TypeDoc over the packages' public entry points.
// `node tooling/scripts/docs.mjs` writes; `--check` exits 1 when a file is stale.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ACTIONS, protocolReference } from "@wirefault/cli";
import { LOCAL_CODES, standardCloses } from "@wirefault/core/protocol";
import { loadProtocolPackages, protocolPackages } from "./protocols.mjs";

const root = new URL("../..", import.meta.url).pathname;
const START = "<!-- catalog:start -->";
const END = "<!-- catalog:end -->";

/** The README with its marked table section replaced. */
export function withTable(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README has no ${START} … ${END} section`);
  const note = "<!-- Generated from `catalog` by tooling/scripts/docs.mjs; edit the catalog, not this table. -->";
  return `${readme.slice(0, start + START.length)}\n${note}\n\n${table}\n\n${readme.slice(end)}`;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as dashes. */
export const anchor = (title) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replaceAll(" ", "-");

/** Every protocol package's definition (its main entry's `protocol`), found by discovery. */
export async function loadCatalogs(dir = root) {
  return (await loadProtocolPackages(dir)).map(({ folder, module }) => ({ folder, protocol: module.protocol }));
}

/** Every generated file: path and wanted content. */
export async function generated(dir = root) {
  const files = [];
  const catalogs = await loadCatalogs(dir);
  const sections = [
    "# Error reference",
    "",
    "Every code of every protocol wirefault covers, with what to do about it. Generated from the catalogs",
    'by `tooling/scripts/docs.mjs`; `npm test` fails when this file is stale. A code\'s "What to do" is its',
    "protocol's own advice, where the page gives more than the action; a message's words find their row in",
    "the protocol's message templates.",
    "",
    "## Contents",
    "",
    ...[
      "What each action means",
      "wirefault's own codes",
      "WebSocket close codes",
      ...catalogs.map(({ protocol }) => protocol.name),
    ].map((title) => `- [${title}](#${anchor(title)})`),
    "",
    "## What each action means",
    "",
    "| action | meaning |",
    "|---|---|",
    ...Object.entries(ACTIONS).map(([action, meaning]) => `| \`${action}\` | ${meaning} |`),
    "",
    "## wirefault's own codes",
    "",
    "Codes wirefault assigns itself, in every protocol, when the wire gave none it could read or no answer came.",
    "",
    "| Code | Retryable | Action | Meaning |",
    "|---|---|---|---|",
    ...LOCAL_CODES.map(
      (row) =>
        `| \`${row.code}\` | ${row.retryable}${row.byStatus ? " (over HTTP, the status decides)" : ""} | \`${row.action}\` | ${row.summary} |`,
    ),
    "",
    "## WebSocket close codes",
    "",
    "Every protocol with WebSockets reads a close with `fromClose`: the standard codes as below (RFC 6455 and",
    "the IANA registry), then the protocol's own codes, listed in its section. Any other code is `known: false`.",
    "",
    "| Code | Name | Retryable | Action |",
    "|---|---|---|---|",
    ...standardCloses().map((c) => `| ${c.code} | \`${c.name}\` | ${c.retryable} | \`${c.action}\` |`),
  ];
  for (const { folder, protocol } of catalogs) {
    const table = protocolReference(protocol);
    const path = join(dir, "packages", folder, "README.md");
    files.push({ path, content: withTable(readFileSync(path, "utf8"), table) });
    sections.push("", `## ${protocol.name}`, "", `\`npm install @wirefault/${folder}\``, "", table);
  }
  files.push({ path: join(dir, "docs", "errors.md"), content: `${sections.join("\n")}\n` });
  return files;
}

/**
 * The API reference's entry points: core's, every protocol package's (each
 * subpath of its exports map), and the CLI's, by their sources.
 */
export function apiEntryPoints(dir = root) {
  const sources = (folder, manifest) =>
    Object.keys(manifest.exports ?? { ".": "" })
      .filter((key) => key === "." || (key.startsWith("./") && !key.endsWith(".json")))
      .map((key) => relative(root, join(dir, "packages", folder, "src", `${key === "." ? "index" : key.slice(2)}.ts`)));
  const manifest = (folder) => JSON.parse(readFileSync(join(dir, "packages", folder, "package.json"), "utf8"));
  return [
    ...sources("core", manifest("core")),
    ...protocolPackages(dir).flatMap(({ folder, manifest }) => sources(folder, manifest)),
    "packages/cli/src/index.ts",
  ];
}

/** Writes the TypeDoc API reference (markdown) into `out`. */
export function apiDocs(out = join(root, "docs", "api")) {
  execFileSync(
    join(root, "node_modules", ".bin", "typedoc"),
    [
      "--options",
      "tooling/typedoc/typedoc.json",
      "--out",
      out,
      ...apiEntryPoints().flatMap((entry) => ["--entryPoints", entry]),
    ],
    {
      cwd: root,
      stdio: "pipe",
    },
  );
}

function files(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, "utf8"));
    }
  };
  try {
    walk(dir);
  } catch {}
  return out;
}

/** docs/api paths that differ from a fresh TypeDoc run. */
export function staleApiDocs() {
  const fresh = mkdtempSync(join(tmpdir(), "wirefault-api-"));
  try {
    apiDocs(fresh);
    const want = files(fresh);
    const have = files(join(root, "docs", "api"));
    const paths = new Set([...want.keys(), ...have.keys()]);
    return [...paths].filter((path) => want.get(path) !== have.get(path)).map((path) => join("docs", "api", path));
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

/** Paths whose content differs from what the catalogs generate. */
export async function stale() {
  const out = [];
  for (const { path, content } of await generated()) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {}
    if (current !== content) out.push(path);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--check")) {
    const paths = [...(await stale()), ...staleApiDocs()];
    for (const path of paths) console.error(`stale: ${path} (run: npm run docs)`);
    process.exit(paths.length ? 1 : 0);
  }
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(root, "docs"), { recursive: true });
  for (const { path, content } of await generated()) writeFileSync(path, content);
  apiDocs();
}
