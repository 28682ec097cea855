// A throwaway npm registry for the release rehearsal: Verdaccio on 127.0.0.1,
// with its config and storage in a temp folder, anonymous publish allowed for
// @wirefault/* only, and no uplink. A consumer maps the @wirefault scope to it
// and gets every other package from its usual registry, so what it installs
// under our scope is exactly what was published here, never a public copy.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const VERDACCIO = join(root, "node_modules", "verdaccio", "bin", "verdaccio");

/** The Verdaccio config: one scope, publishable by anyone, and nothing proxied. */
export function verdaccioConfig(storage) {
  return [
    `storage: ${JSON.stringify(storage)}`,
    "web:",
    "  enable: false",
    "auth:",
    "  htpasswd:",
    `    file: ${JSON.stringify(join(storage, "htpasswd"))}`,
    "    max_users: -1",
    "uplinks: {}",
    "packages:",
    "  '@wirefault/*':",
    "    access: $all",
    "    publish: $all",
    "    unpublish: $all",
    "middlewares:",
    "  audit:",
    "    enabled: false",
    "log:",
    "  type: stdout",
    "  format: pretty",
    "  level: warn",
    "",
  ].join("\n");
}

/** A port nothing listens on right now, on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts Verdaccio and resolves once it answers `/-/ping`. Returns its `url`
 * (with a trailing slash) and `stop()`, which ends it and removes its folder;
 * `stop()` is also run when this process exits or is interrupted, so a
 * failed rehearsal never leaves a registry running.
 */
export async function startRegistry({ timeoutMs = 60_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "wirefault-registry-"));
  const storage = join(dir, "storage");
  writeFileSync(join(dir, "config.yaml"), verdaccioConfig(storage));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(
    process.execPath,
    [VERDACCIO, "--config", join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`],
    {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  let exited = false;
  const exit = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
  });

  const onExit = () => {
    if (!exited) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    onExit();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      if (!exited) {
        child.kill("SIGTERM");
        const killed = await Promise.race([exit, sleep(5_000).then(() => undefined)]);
        if (!killed) {
          child.kill("SIGKILL");
          await exit;
        }
      }
      process.off("exit", onExit);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const started = Date.now();
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`Verdaccio exited before it answered:\n${output}`);
    }
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`Verdaccio did not answer ${url}-/ping within ${timeoutMs / 1000} s:\n${output}`);
    }
    await sleep(200);
  }
  return { url, pid: child.pid, stop, output: () => output, exited: () => exited };
}

/** Runs `fn(registry)` with a fresh registry, and stops it afterwards, whether `fn` succeeded or threw. */
export async function withRegistry(fn, options) {
  const registry = await startRegistry(options);
  try {
    return await fn(registry);
  } finally {
    await registry.stop();
  }
}
