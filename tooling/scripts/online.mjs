// Runs a command that reaches the network, and runs it again when it failed
// because the network did (a registry that reset a download, a DNS blip).
// CI lost a whole run to one `ECONNRESET` from the registry; a failure that is
// not the network's (a stale lock, a missing package) fails at once.
// Needs nothing from node_modules: .ci/run calls it before the install.
//
//   node tooling/scripts/online.mjs npm ci --no-audit
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

/** What npm, undici and apt print when the network, not the request, failed. */
export const NETWORK_FAILURE =
  /\b(ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|EAI_AGAIN|ECONNREFUSED|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|EPIPE|UND_ERR_SOCKET)\b|socket hang up|Invalid response body|network timeout|Temporary failure resolving|Could not connect to|Connection timed out|Failed to fetch/i;

/** Waits between tries, in ms: the registry's resets come in short bursts. */
export const WAITS = [5_000, 20_000];

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Runs `command` synchronously up to `waits.length + 1` times, again only after
 * a failure whose output matches {@link NETWORK_FAILURE}. Returns stdout; throws
 * like `execFileSync` (with `status`, `stdout`, `stderr`) on the final failure.
 */
export function online(command, args, { cwd, env, echo = false, waits = WAITS, log = console.error } = {}) {
  for (let attempt = 0; ; attempt++) {
    const result = spawnSync(command, args, {
      cwd,
      env: env ?? process.env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    });
    const stdout = result.stdout ?? "";
    const stderr = result.stderr ?? "";
    if (echo) {
      process.stdout.write(stdout);
      process.stderr.write(stderr);
    }
    if (result.status === 0) return stdout;
    const output = `${stdout}\n${stderr}\n${result.error?.message ?? ""}`;
    const network = NETWORK_FAILURE.test(output);
    if (network && attempt < waits.length) {
      log(
        `online: \`${[command, ...args].join(" ")}\` failed on the network; try ${attempt + 2} in ${waits[attempt] / 1000} s`,
      );
      sleep(waits[attempt]);
      continue;
    }
    const error = new Error(
      `${command} ${args.join(" ")} exited with ${result.status ?? result.signal ?? result.error?.message}` +
        (network ? ` after ${attempt + 1} tries, each failing on the network` : ""),
    );
    Object.assign(error, { status: result.status ?? 1, stdout, stderr });
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [command, ...args] = process.argv.slice(2);
  try {
    online(command, args, { echo: true });
  } catch (error) {
    console.error(error.message);
    process.exit(typeof error.status === "number" && error.status > 0 ? error.status : 1);
  }
}
