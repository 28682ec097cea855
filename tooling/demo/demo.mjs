// `npm run demo`: start every loopback peer on 127.0.0.1, run each protocol's
// scenarios through the public API, show live progress and a summary table.
// Exits 0 only if every scenario ends as designed. `--headless` (or a
// non-TTY stdout) prints plain lines, for CI and the demo's own test.
import { startPeers } from "@wirefault/testkit";
import { PROTOCOLS } from "./scenarios.mjs";
import { summaryTable } from "./summary.mjs";

const headless = process.argv.includes("--headless") || !process.stdout.isTTY;
const color = (code) => (text) => (headless ? text : `\u001b[${code}m${text}\u001b[0m`);
const green = color(32);
const red = color(31);
const dim = color(2);
const bold = color(1);

const seconds = (ms) => (ms ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : "-");

export async function demo(out = (line) => console.log(line)) {
  const peers = await startPeers({ tealeRelay: { discoverIntervalMs: 200 }, tryll: { split: { maxChunk: 7 } } });
  const rows = [];
  try {
    out(bold("wirefault demo: real errors from five protocols, handled through the public API"));
    out(
      dim(
        `loopback peers on 127.0.0.1 (ports ${[peers.tealeRelay, peers.tealeApi, peers.telemetry, peers.ckgRelay, peers.atlas, peers.tryll].map((p) => p.port).join(", ")}); backoff sleeps run at 1/1000 speed, times shown are the real policy's`,
      ),
    );
    for (const [protocol, run] of Object.entries(PROTOCOLS)) {
      out(`\n${bold(protocol)}`);
      // Each scenario's line is printed the moment it finishes.
      const live = {
        push(r) {
          rows.push(r);
          out(
            `  ${r.ok ? green("✓") : red("✗")} ${r.scenario}: ${r.code} → ${r.action}, ${r.attempts} attempt${r.attempts === 1 ? "" : "s"}${r.waitedMs ? `, waited ${seconds(r.waitedMs)}` : ""} ${dim(`(${r.outcome})`)}`,
          );
        },
      };
      try {
        await run(peers, live);
      } catch (error) {
        live.push({
          protocol,
          scenario: "scenario crashed",
          code: "-",
          action: "-",
          attempts: 0,
          waitedMs: 0,
          outcome: String(error?.message ?? error),
          ok: false,
        });
      }
    }
  } finally {
    await peers.close();
  }
  const failed = rows.filter((r) => !r.ok);
  out(`\n${summaryTable(rows, { style: { bold, dim, red } }).join("\n")}\n`);
  // What a failed scenario ended with, in full: the table only marks it.
  for (const r of failed) out(red(`${r.protocol}, ${r.scenario}: ${r.outcome}`));
  out(
    failed.length
      ? red(`${failed.length} of ${rows.length} scenarios did not end as designed`)
      : green(`all ${rows.length} scenarios ended as designed`),
  );
  return { rows, failed: failed.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Piped into `head`: stop quietly when the reader goes away.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const { failed } = await demo();
  process.exitCode = failed ? 1 : 0;
}
