// Figure 3: cold start. CPU time (user + system) of a whole `node` process
// that imports a package, against a bare `node` start; runs interleaved.
import { spawnSync } from "node:child_process";
import { protocolPackages } from "../scripts/protocols.mjs";

const root = new URL("../..", import.meta.url).pathname;
// Core, then every protocol package found (tooling/scripts/protocols.mjs): none is listed here.
export const PACKAGES = ["core", ...protocolPackages().map((pkg) => pkg.folder)];
const report = "const u = process.cpuUsage(); console.log(u.user + u.system);";

function cpuMicros(importName) {
  const code = importName ? `import(${JSON.stringify(importName)}).then(() => { ${report} })` : report;
  const out = spawnSync(process.execPath, ["-e", code], { cwd: root, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`${importName ?? "bare"}: ${out.stderr}`);
  return Number(out.stdout.trim());
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

// A reference import, when it is installed: what the packages bundled before issue 15.
const reference = (() => {
  try {
    import.meta.resolve("zod/mini");
    return ["zod/mini"];
  } catch {
    return [];
  }
})();

export async function measure({ runs }) {
  const targets = [undefined, ...reference, ...PACKAGES.map((p) => `@wirefault/${p}`)];
  const samples = new Map(targets.map((t) => [t, []]));
  for (let i = 0; i < runs; i++) for (const target of targets) samples.get(target).push(cpuMicros(target));
  const bare = median(samples.get(undefined));
  return {
    runs,
    bareMs: bare / 1000,
    rows: targets.slice(1).map((target) => {
      const values = samples.get(target);
      const med = median(values);
      return {
        name: target,
        ms: med / 1000,
        ratio: med / bare,
        spreadMs: (Math.max(...values) - Math.min(...values)) / 1000,
      };
    }),
  };
}
