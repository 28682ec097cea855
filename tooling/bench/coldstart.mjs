// Figure 3: cold start. CPU time (user + system) of a whole `node` process
// that imports one entry, against a bare `node` start, the contenders in turn:
// each round starts every process once, in alternating order (A B C, then
// C B A), and each ratio is taken within its round. The goals of issue 31:
// - every package's main entry at most 1.3× the bare start;
// - a codec subpath (atlas/msgpack, tryll/frame) at most 0.05× of the bare
//   start above importing its codec library (@msgpack/msgpack, flatbuffers) alone.
import { spawnSync } from "node:child_process";
import { protocolPackages } from "../scripts/protocols.mjs";
import { summary } from "./turns.mjs";

const root = new URL("../..", import.meta.url).pathname;

/** Issue 31's bounds: a main entry's ratio to the bare start; a codec subpath's excess over its codec alone. */
export const COLDSTART_GOALS = { main: 1.3, codecExcess: 0.05 };

/**
 * What is measured: core, then every protocol package found (tooling/scripts/protocols.mjs), none listed
 * here. A package's codec subpath is its `"wirefault".entry` (the one the CLI reads, with the binary
 * wire), and its codec the one dependency that is not wirefault's own.
 */
export function targets(packages = protocolPackages()) {
  const mains = ["@wirefault/core", ...packages.map((pkg) => pkg.name)];
  const codecs = packages
    .filter((pkg) => pkg.meta.entry)
    .map((pkg) => {
      const library = Object.keys(pkg.manifest.dependencies ?? {}).filter((dep) => !dep.startsWith("@wirefault/"));
      if (library.length !== 1) throw new Error(`${pkg.name}: expected one codec dependency, found ${library}`);
      return { subpath: pkg.entry, library: library[0] };
    });
  return { mains, codecs };
}

const report = "const u = process.cpuUsage(); console.log(u.user + u.system);";

/** CPU µs of one whole process that imports `specifier` (nothing, for the bare start). */
function cpuMicros(specifier) {
  const code = specifier ? `import(${JSON.stringify(specifier)}).then(() => { ${report} })` : report;
  const out = spawnSync(process.execPath, ["-e", code], { cwd: root, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`${specifier ?? "bare"}: ${out.stderr}`);
  return Number(out.stdout.trim());
}

/** `runs` rounds; in each, every specifier (undefined: the bare start) once, in alternating order. */
function inTurn(specifiers, runs) {
  const samples = new Map(specifiers.map((s) => [s, []]));
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? specifiers : [...specifiers].reverse();
    for (const specifier of order) samples.get(specifier).push(cpuMicros(specifier));
  }
  return samples;
}

export async function measure({ runs }) {
  const { mains, codecs } = targets();
  const libraries = codecs.map((c) => c.library);
  const subpaths = codecs.map((c) => c.subpath);
  const samples = inTurn([undefined, ...mains, ...libraries, ...subpaths], runs);
  const bare = samples.get(undefined);
  const row = (name) => ({
    name,
    ms: summary(samples.get(name)).median / 1000,
    ratio: summary(samples.get(name).map((value, round) => value / bare[round])),
  });
  return {
    runs,
    bareMs: summary(bare).median / 1000,
    goals: COLDSTART_GOALS,
    rows: mains.map(row),
    codecs: codecs.map(({ subpath, library }) => ({
      ...row(subpath),
      library: row(library),
      // Per round: what the subpath costs beyond its codec alone, in bare starts of the same round.
      excess: summary(samples.get(subpath).map((value, round) => (value - samples.get(library)[round]) / bare[round])),
    })),
  };
}
