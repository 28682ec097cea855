// `npm run check:consumers`: pack every package, install only the tarballs in
// throwaway projects outside the repo, and use them as five kinds of consumer
// would: ESM, CJS, TypeScript (node16 and bundler resolution), a browser bundle.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { online } from "../scripts/online.mjs";

const root = resolve(new URL("../..", import.meta.url).pathname);
const bin = (name) => join(root, "node_modules", ".bin", name);

/** Every publishable package folder of the repo. */
export function publishable() {
  const dir = join(root, "packages");
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => {
      try {
        return !JSON.parse(readFileSync(join(path, "package.json"), "utf8")).private;
      } catch {
        return false;
      }
    });
}

const run = (command, args, cwd) =>
  execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_update_notifier: "false" },
  });

/** The import specifiers a package's exports map offers ("name", "name/wire"…). */
function specifiers(manifest) {
  const keys = typeof manifest.exports === "object" && manifest.exports ? Object.keys(manifest.exports) : ["."];
  return keys
    .filter((key) => key === "." || (key.startsWith("./") && !key.endsWith(".json")))
    .map((key) => (key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}

/**
 * Runs every consumer style against the packed packages. Throws with the
 * failing style and its output; returns what each style checked.
 */
export function checkConsumers(packageDirs = publishable(), options = {}) {
  const work = mkdtempSync(join(tmpdir(), "wirefault-consumers-"));
  try {
    const tarballs = join(work, "tarballs");
    const app = join(work, "app");
    run("mkdir", ["-p", tarballs, app]);
    const manifests = packageDirs.map((dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")));
    const packed = packageDirs.map((dir) => {
      const [info] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", tarballs], dir));
      return join(tarballs, info.filename);
    });
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
    // Dependencies of the tarballs come from the registry: retried when the network fails.
    online("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", ...packed], {
      cwd: app,
      env: { ...process.env, npm_config_update_notifier: "false" },
    });

    const specs = manifests.flatMap(specifiers);
    const done = [];
    const style = (name, fn) => {
      try {
        fn();
        done.push(name);
      } catch (error) {
        const detail = [error.stdout, error.stderr, error.message].filter(Boolean).join("\n").trim();
        throw new Error(`consumer check failed: ${name}\n${detail}`);
      }
    };

    // Every entry point loads through both conditions and exports something.
    const loads = specs.map(
      (s) => `  if (Object.keys(await load(${JSON.stringify(s)})).length === 0) throw new Error("empty: ${s}");`,
    );
    const smoke = options.smoke ?? packageDirs.some((dir) => dir.endsWith("ckg-relay"));
    const smokeSource = readFileSync(new URL("./smoke.mjs", import.meta.url), "utf8");
    writeFileSync(join(app, "smoke.mjs"), smokeSource);
    writeFileSync(
      join(app, "smoke.cjs"),
      `${smokeSource.replace("export async function smoke", "async function smoke")}\nmodule.exports = { smoke };\n`,
    );
    const body = (load) =>
      `const load = ${load};\n(async () => {\n${loads.join("\n")}\n${smoke ? "  console.log((await smoke(load)).join(' '));" : ""}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
    writeFileSync(join(app, "esm.mjs"), `import { smoke } from "./smoke.mjs";\n${body("(name) => import(name)")}`);
    writeFileSync(
      join(app, "cjs.cjs"),
      `const { smoke } = require("./smoke.cjs");\n${body("async (name) => require(name)")}`,
    );
    style("esm", () => run("node", ["esm.mjs"], app));
    style("cjs", () => run("node", ["cjs.cjs"], app));

    // TypeScript: the types each condition resolves to must exist and be usable.
    const tsImports = specs.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join("\n");
    const tsUse = `export const all = [${specs.map((_, i) => `m${i}`).join(", ")}];\n`;
    const typed = manifests.some((m) => m.name === "@wirefault/atlas")
      ? `import { type AtlasCode, parseError } from "@wirefault/atlas";\nimport { isRetryable } from "@wirefault/core";\nconst err = parseError({ code: 4001, message: "x" });\nconst retry: boolean = isRetryable(err);\nconst action: "retry" | "throttle" | "reconnect" | "reset" | "wait" | "fix-request" | "user-action" | "abort" = err.action;\nconst code: AtlasCode | undefined = err.known ? err.code : undefined;\nexport { retry, action, code };\n`
      : "";
    writeFileSync(join(app, "node16-esm.mts"), `${tsImports}\n${tsUse}${typed}`);
    writeFileSync(join(app, "node16-cjs.cts"), `${tsImports}\n${tsUse}${typed}`);
    writeFileSync(join(app, "bundler.ts"), `${tsImports}\n${tsUse}${typed}`);
    const tsconfig = (module, resolution, files) =>
      JSON.stringify({
        compilerOptions: {
          module,
          moduleResolution: resolution,
          target: "es2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
          lib: ["es2022", "dom"],
        },
        files,
      });
    writeFileSync(
      join(app, "tsconfig.node16.json"),
      tsconfig("node16", "node16", ["node16-esm.mts", "node16-cjs.cts"]),
    );
    writeFileSync(join(app, "tsconfig.bundler.json"), tsconfig("esnext", "bundler", ["bundler.ts"]));
    style("typescript node16", () => run(bin("tsc"), ["-p", "tsconfig.node16.json"], app));
    style("typescript bundler", () => run(bin("tsc"), ["-p", "tsconfig.bundler.json"], app));

    // A browser bundle: no Node built-ins may be needed, and the bundle must run.
    style("browser bundle", () => {
      run(
        bin("esbuild"),
        ["esm.mjs", "--bundle", "--format=esm", "--platform=browser", "--outfile=browser.mjs", "--log-level=error"],
        app,
      );
      run("node", ["browser.mjs"], app);
    });
    // The CLI, as `npx wirefault` runs it from the installed tarball.
    if (manifests.some((m) => m.name === "@wirefault/cli")) {
      style("cli via npx", () => {
        const npx = (args, input) =>
          execFileSync("npx", ["--no-install", "wirefault", ...args], {
            cwd: app,
            encoding: "utf8",
            input,
            stdio: ["pipe", "pipe", "pipe"],
          });
        const explained = npx(["explain", "4001"]);
        if (!explained.includes("ERR_RATE_LIMITED") || !explained.includes("InferenceFailed"))
          throw new Error(`explain 4001:\n${explained}`);
        if (!npx(["explain", "ckg-relay", "AGENT_OFFLINE"]).includes("503"))
          throw new Error("explain ckg-relay AGENT_OFFLINE");
        const parsed = JSON.parse(
          npx(["parse", "--json"], '{"type":"error","code":"AGENT_OFFLINE","message":"offline"}'),
        );
        if (parsed.code !== "AGENT_OFFLINE") throw new Error(`parse: ${JSON.stringify(parsed)}`);
        if (!npx(["list", "tryll"]).includes("AgentBusy")) throw new Error("list tryll");
        try {
          npx(["explain", "no-such-code"]);
          throw new Error("explain of an unknown code exited 0");
        } catch (error) {
          if (error.status !== 2) throw error;
        }
      });
    }
    return done;
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const done = checkConsumers();
  console.log(
    `consumers: ${done.join(", ")} passed for ${publishable().length} packages in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
