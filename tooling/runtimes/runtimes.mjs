// Installs the runtimes of the matrix into .cache/runtimes from npm (nothing
// global) and runs the bundled smoke test in each. A runtime that cannot
// start fails with a one-line reason; none is skipped.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { online } from "../scripts/online.mjs";
import { protocolPackages, smokeCases } from "../scripts/protocols.mjs";

const root = resolve(new URL("../..", import.meta.url).pathname);
export const cache = join(root, ".cache", "runtimes");
const bin = (name) => join(cache, "node_modules", ".bin", name);
export const CHROMIUM = "/usr/bin/chromium";
const PACKAGES = ["node@24", "bun", "deno", "workerd"];

/** Installs the npm-packaged runtimes once into the cache folder. */
export function installRuntimes() {
  if (PACKAGES.every((p) => existsSync(bin(p.split("@")[0])))) return;
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, "package.json"), JSON.stringify({ name: "runtimes", private: true }));
  online("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", ...PACKAGES], { cwd: cache });
}

/**
 * The smoke test as one self-contained module's source, so that every runtime
 * runs the same bytes: core and every protocol package found, imported
 * statically for the bundler, each sending its own example.
 */
export function entrySource(dir = root) {
  const packages = protocolPackages(dir);
  const names = ["@wirefault/core", ...packages.map((p) => p.name)];
  return [
    ...names.map((name, i) => `import * as m${i} from ${JSON.stringify(name)};`),
    'import { smoke } from "../consumers/smoke.mjs";',
    `const modules = { ${names.map((name, i) => `${JSON.stringify(name)}: m${i}`).join(", ")} };`,
    '/** Runs the smoke test; resolves to one "package:code" line per protocol. */',
    `export const run = () => smoke(async (name) => modules[name], ${JSON.stringify(smokeCases(packages))});`,
    "",
  ].join("\n");
}

/** What the smoke test prints on every runtime: one "package:code" per protocol package found. */
export const expectedSmoke = (dir = root) =>
  protocolPackages(dir).map(({ name, meta }) => `${name}:${String(meta.example.code)}`);

/** Bundles the smoke test into one ESM file with a `run` export; returns its path. */
export function bundle() {
  const out = join(cache, "smoke.mjs");
  execFileSync(
    join(root, "node_modules", ".bin", "esbuild"),
    [
      "--bundle",
      "--format=esm",
      "--platform=neutral",
      "--sourcefile=entry.mjs",
      `--outfile=${out}`,
      "--log-level=error",
      "--main-fields=module,main",
    ],
    { stdio: ["pipe", "pipe", "pipe"], input: entrySource(), cwd: join(root, "tooling", "runtimes") },
  );
  return out;
}

const exec = (file, args, options = {}) =>
  execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000, ...options });
const script = (smoke) => `import { run } from ${JSON.stringify(smoke)}; console.log(JSON.stringify(await run()));`;

/** Each runtime: how to run the bundled smoke, resolving to its printed result. */
export const runtimes = {
  "node 20": async (smoke) => exec(process.execPath, ["--input-type=module", "-e", script(smoke)]),
  "node 24": async (smoke) => exec(bin("node"), ["--input-type=module", "-e", script(smoke)]),
  bun: async (smoke) => {
    const file = join(cache, "bun-entry.mjs");
    writeFileSync(file, script(smoke));
    return exec(bin("bun"), ["run", file]);
  },
  deno: async (smoke) => {
    const file = join(cache, "deno-entry.mjs");
    writeFileSync(file, script(smoke));
    return exec(bin("deno"), ["run", "--no-prompt", "--no-config", file], {
      env: { ...process.env, DENO_DIR: join(cache, "deno-dir"), NO_COLOR: "1" },
    });
  },
  chromium: async (smoke) => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install -y chromium)`);
    const { chromium } = await import("playwright-core");
    const { readFileSync } = await import("node:fs");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage();
      await page.setContent("<!doctype html><title>smoke</title>");
      const code = readFileSync(smoke, "utf8");
      // A string, not a function: test runners rewrite import() inside functions.
      return await page.evaluate(
        `(async () => {
          const url = URL.createObjectURL(new Blob([${JSON.stringify(code)}], { type: "text/javascript" }));
          const mod = await import(url);
          return JSON.stringify(await mod.run());
        })()`,
      );
    } finally {
      await browser.close();
    }
  },
  workerd: async (smoke) => {
    const port = await freePort();
    const dir = join(cache, "workerd");
    mkdirSync(dir, { recursive: true });
    const { copyFileSync } = await import("node:fs");
    copyFileSync(smoke, join(dir, "smoke.mjs"));
    writeFileSync(
      join(dir, "worker.mjs"),
      `import { run } from "./smoke.mjs";\nexport default { async fetch() { return new Response(JSON.stringify(await run())); } };\n`,
    );
    writeFileSync(
      join(dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs"), (name = "smoke.mjs", esModule = embed "smoke.mjs")],
  compatibilityDate = "2025-01-01",
);
`,
    );
    const child = spawn(bin("workerd"), ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    try {
      for (let i = 0; i < 100; i++) {
        if (child.exitCode !== null) throw new Error(`workerd exited: ${stderr.trim().split("\n")[0]}`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/`);
          return await res.text();
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error(`workerd did not answer on port ${port}: ${stderr.trim().split("\n")[0] ?? ""}`);
    } finally {
      child.kill();
    }
  },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
