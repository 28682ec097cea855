// `npm run bench`: every figure in its own process, then BENCHMARKS.md.
// `--smoke` runs each figure once with minimal work and writes nothing.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const root = join(here, "..", "..");
export const FIGURES = ["parse", "size", "coldstart", "retry"];
const FULL = { time: 300, runs: 15, sleeps: 40 };
const SMOKE = { time: 1, runs: 1, sleeps: 2 };

/** Runs one figure in a fresh process and returns its JSON result. */
export function figure(name, options) {
  const code = `import(${JSON.stringify(join(here, `${name}.mjs`))}).then(async (m) => console.log(JSON.stringify(await m.measure(${JSON.stringify(options)}))))`;
  return JSON.parse(execFileSync(process.execPath, ["-e", code], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 }));
}

const f = (n, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const x = (ratio) => `${ratio.toFixed(2)}×`;
const verdict = (ok) => (ok ? "met" : "**not met**");

export function markdown(results, meta) {
  const { parse, size, coldstart, retry } = results;
  const lines = [
    "# Benchmarks",
    "",
    `Made by \`npm run bench\` on ${meta.date}. Machine: ${meta.cpu}, ${meta.cores} cores, Node ${meta.node}.`,
    "Ratios are what matters; absolute times on a shared 2-core machine are context only.",
    "Reproduce: `npm install && npm run build && npm run bench` (each figure runs in its own process).",
    "",
    "## 1. Parse cost against the floor",
    "",
    "Floor for text: `JSON.parse(text)` then `new Error(message)`. Floor for objects: a hand-written type check",
    "of the same shape. Medians per call (batches of 200 calls), with the larger median absolute deviation of the pair.",
    `Goal: \`parseError(text)\` at most 1.3× the floor for every payload.`,
    "",
    "| protocol | payload | floor (ns) | parseError(text) (ns) | ratio | goal | hand check (ns) | parseError(object) (ns) | toWire() (ns) | spread |",
    "|---|---|---:|---:|---:|---|---:|---:|---:|---:|",
    ...parse.rows.map(
      (r) =>
        `| ${r.protocol} | ${r.payload} | ${f(r.floorNs)} | ${f(r.parseTextNs)} | ${x(r.textRatio)} | ${verdict(r.textRatio <= 1.3)} | ${f(r.checkNs)} | ${f(r.parseObjectNs)} | ${f(r.toWireNs)} | ±${f(r.madPct, 1)}% |`,
    ),
    "",
    "Binary codecs:",
    "",
    "| codec | bytes | median (ns) |",
    "|---|---:|---:|",
    ...parse.binary.map((r) => `| ${r.name} | ${r.bytes} | ${f(r.ns)} |`),
    "",
    "## 2. Bundle size",
    "",
    "Each package's whole public API with its dependencies (core, zod/mini, codecs), bundled by esbuild for a browser,",
    "minified; gzip level 9 and brotli quality 11. Anchors are bundled the same way in the same run.",
    "",
    "| bundle | min (B) | gzip (B) | brotli (B) | budget (gzip) | goal |",
    "|---|---:|---:|---:|---:|---|",
    ...size.packages.map(
      (r) =>
        `| ${r.name} | ${f(r.min)} | ${f(r.gzip)} | ${f(r.brotli)} | ${r.budget ? f(r.budget) : "-"} | ${r.budget ? verdict(r.gzip <= r.budget) : "-"} |`,
    ),
    ...size.anchors.map((r) => `| *anchor:* ${r.name} | ${f(r.min)} | ${f(r.gzip)} | ${f(r.brotli)} | - | - |`),
    "",
    "## 3. Cold start",
    "",
    `CPU time (user + system) of a whole \`node -e "import('…')"\` process against a bare \`node -e ""\` (${f(coldstart.bareMs, 1)} ms),`,
    `median of ${coldstart.runs} interleaved runs each. Goal: at most 1.3× the bare start.`,
    "",
    "| import | CPU (ms) | ratio | goal | spread (ms) |",
    "|---|---:|---:|---|---:|",
    ...coldstart.rows.map(
      (r) =>
        `| \`${r.name}\` | ${f(r.ms, 1)} | ${x(r.ratio)} | ${r.name.startsWith("@wirefault") ? verdict(r.ratio <= 1.3) : "reference"} | ${f(r.spreadMs, 1)} |`,
    ),
    "",
    "## 4. Retry machinery",
    "",
    "| measure | value | goal |",
    "|---|---:|---|",
    `| \`await fn()\` (ns) | ${f(retry.directNs)} | |`,
    `| \`await retry(fn)\`, success at once (ns) | ${f(retry.retryNs)} | |`,
    `| overhead ratio | ${x(retry.ratio)} | ≤ 1.1×: ${verdict(retry.ratio <= 1.1)} |`,
    `| floor of any wrapper that observes rejections: \`await fn().catch(h)\` (ns) | ${f(retry.catchNs)} (${x(retry.catchRatio)}) | |`,
    `| backoff timer lateness, median of ${retry.sleeps} sleeps of 10 ms | ${f(retry.medianLatenessMs, 2)} ms | |`,
    `| backoff timer lateness, p90 | ${f(retry.p90LatenessMs, 2)} ms | |`,
    "",
  ];
  if (meta.notes) lines.push("## Notes", "", meta.notes.trim(), "");
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const smoke = process.argv.includes("--smoke");
  const options = smoke ? SMOKE : FULL;
  const results = {};
  for (const name of FIGURES) {
    const started = Date.now();
    results[name] = figure(name, options);
    console.error(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus()[0]?.model ?? "unknown CPU",
    cores: cpus().length,
    node: process.versions.node,
  };
  const { readFileSync, existsSync } = await import("node:fs");
  const notesFile = join(here, "NOTES.md");
  if (existsSync(notesFile)) meta.notes = readFileSync(notesFile, "utf8");
  const text = markdown(results, meta);
  if (smoke) console.log(text);
  else writeFileSync(join(root, "BENCHMARKS.md"), text);
}
