// An abort mid-backoff, mid-request, mid-body and mid-frame (TCP and
// WebSocket): each rejects with an AbortError while the wait or the peer's
// hang would still be running, and the client process then exits on its own,
// which shows that no timer or socket was left to keep it alive. Latencies
// and exit times are figures for the report, never bounds: a loaded machine
// stretches them, and the peers hang forever, so a missed abort never settles.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Peers, startPeers } from "../peers/index.js";
import { report } from "./clients.js";

const CLIENT = fileURLToPath(new URL("./abort-client.mjs", import.meta.url));
// A safety net, not a bound: a child still alive this long after spawn is killed, and the test fails on its signal.
const KILL_AFTER_MS = 10_000;

interface CaseResult {
  readonly name: string;
  readonly rejected: boolean;
  readonly errorName?: string;
  readonly latencyMs?: number;
  readonly totalMs?: number;
}

let peers: Peers;
beforeAll(async () => {
  peers = await startPeers({ seed: 6 });
});
afterAll(async () => {
  await peers.close();
});

/** Runs the client in a child `node`; resolves with its exit code, its output and how long it lived. */
interface ClientRun {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  /** From spawn to exit. */
  readonly ms: number;
  /** Date.now() at exit, to compare with the client's own end of main. */
  readonly exitedAt: number;
}

function runClient(config: object): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLIENT, JSON.stringify(config)], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    // A safety net only: a child still alive here is a failure, and is killed so the suite goes on.
    const guard = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(guard);
      if (stderr.trim() !== "") console.error(stderr);
      resolve({ code, signal, stdout, ms: performance.now() - started, exitedAt: Date.now() });
    });
  });
}

describe("aborts", () => {
  it("reject promptly mid-backoff, mid-request, mid-body and mid-frame, and the process exits on its own", async () => {
    peers.ckgRelay.fault = { kind: "error", code: "AGENT_OFFLINE" };
    peers.tealeApi.plan({ kind: "hang" }, { kind: "hang", partial: true });
    peers.tryll.plan({ kind: "hang", partial: true });
    peers.atlas.plan({ kind: "hang", partial: true });

    const run = await runClient({
      ckgUrl: peers.ckgRelay.url,
      tealeApiUrl: peers.tealeApi.url,
      tryllPort: peers.tryll.port,
      atlasUrl: peers.atlas.url,
    });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);

    const line = run.stdout.trim().split("\n").at(-1) ?? "{}";
    const { results, resources, endedAt } = JSON.parse(line) as {
      results: CaseResult[];
      resources: string[];
      endedAt: number;
    };
    // A figure: how long the process lived after its main module returned.
    const exitAfterMainMs = run.exitedAt - endedAt;
    expect(results.map((r) => r.name)).toEqual([
      "mid-backoff",
      "mid-request",
      "mid-body",
      "mid-frame-tcp",
      "mid-frame-ws",
    ]);
    for (const r of results) {
      expect(r.rejected, r.name).toBe(true);
      expect(r.errorName, r.name).toBe("AbortError");
      expect(r.latencyMs, r.name).toBeGreaterThanOrEqual(0);
    }
    // What was still registered when the client's main module finished (unref'd handles cannot hold the process).
    expect(resources.filter((r) => r === "Timeout")).toEqual([]);
    // The peers really got the requests the client aborted.
    expect(peers.ckgRelay.requests).toBeGreaterThanOrEqual(1);
    expect(peers.tealeApi.requests).toBe(2);
    expect(peers.tryll.requests).toBe(1);
    expect(peers.atlas.requests).toBe(1);

    report("abort", {
      scenario: "abort mid-backoff, mid-request, mid-body, mid-frame (TCP, WebSocket) in a child process",
      faults:
        peers.ckgRelay.faultsInjected +
        peers.tealeApi.faultsInjected +
        peers.tryll.faultsInjected +
        peers.atlas.faultsInjected,
      sent: results.length,
      maxAbortLatencyMs: Math.round(Math.max(...results.map((r) => r.latencyMs ?? Number.POSITIVE_INFINITY)) * 10) / 10,
      childExitMs: Math.round(run.ms),
      childExitCode: run.code ?? -1,
      exitAfterMainMs,
      handlesLeft: resources.join(",") || "none",
      lost: 0,
      duplicated: 0,
    });
  });
});
