// `npm run check:consumers`: pack every package, install only the tarballs in
// throwaway projects outside the repo, and use them as five kinds of consumer
// would: ESM, CJS, TypeScript (node10, node16, nodenext and bundler resolution,
// with TypeScript 5.0, 5.9 and the latest), a browser bundle.
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

/** The import specifiers a package's exports map offers ("name", "name/protocol"…). */
function specifiers(manifest) {
  const keys = typeof manifest.exports === "object" && manifest.exports ? Object.keys(manifest.exports) : ["."];
  return keys
    .filter((key) => key === "." || (key.startsWith("./") && !key.endsWith(".json")))
    .map((key) => (key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}

/**
 * The TypeScript versions a consumer may compile with: the oldest we support,
 * the one we build with, and whatever `npm i typescript` installs today (the
 * native 7.x compiler, which has no node10 resolution).
 */
export const TYPESCRIPTS = [
  { alias: "ts50", spec: "typescript@~5.0.4" },
  { alias: "ts59", spec: "typescript@~5.9.3" },
  { alias: "tslatest", spec: "typescript@latest" },
];

/**
 * The resolution modes a consumer's tsconfig may pick. node10 is what
 * `"module": "commonjs"` implies in TypeScript 5: it reads `types` and
 * `typesVersions`, never `exports`.
 */
export const MODES = [
  { name: "node10", module: "commonjs", resolution: "node10", files: ["node10.ts"], supported: (major) => major < 7 },
  {
    name: "node16",
    module: "node16",
    resolution: "node16",
    files: ["node16-esm.mts", "node16-cjs.cts"],
    supported: () => true,
  },
  {
    name: "nodenext",
    module: "nodenext",
    resolution: "nodenext",
    files: ["nodenext-esm.mts", "nodenext-cjs.cts"],
    supported: () => true,
  },
  { name: "bundler", module: "esnext", resolution: "bundler", files: ["bundler.ts"], supported: () => true },
];

const tsconfig = (mode, files) =>
  JSON.stringify({
    compilerOptions: {
      module: mode.module,
      moduleResolution: mode.resolution,
      target: "es2022",
      strict: true,
      // What `tsc --init` writes; zod's own declarations (telemetry's /schemas peer) need it under node10.
      esModuleInterop: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
      lib: ["es2022", "dom"],
    },
    files,
  });

/**
 * Installs each TypeScript under its alias in `app`; returns how to run each.
 * Not --prefer-offline: a cached "latest" could be an older TypeScript than
 * the one `npm i typescript` gives a user today.
 */
function typescripts(app, wanted) {
  online(
    "npm",
    ["install", "--no-audit", "--no-fund", "--no-package-lock", ...wanted.map((t) => `${t.alias}@npm:${t.spec}`)],
    { cwd: app, env: { ...process.env, npm_config_update_notifier: "false" } },
  );
  return wanted.map(({ alias }) => {
    const version = JSON.parse(readFileSync(join(app, "node_modules", alias, "package.json"), "utf8")).version;
    return {
      alias,
      version,
      major: Number(version.split(".")[0]),
      tsc: join(app, "node_modules", alias, "bin", "tsc"),
    };
  });
}

/**
 * A program that uses the packages' types as a user would, including classes
 * reached through a subpath: under node10 a subpath whose types are the other
 * flavour than the root's declares every class twice, and this fails (TS2322).
 */
function typedProgram(manifests) {
  const has = (name) => manifests.some((m) => m.name === name);
  const lines = [];
  if (has("@wirefault/atlas") && has("@wirefault/core")) {
    lines.push(
      `import { AtlasError, type AtlasCode, parseError } from "@wirefault/atlas";`,
      `import { parseError as parseMessagePack } from "@wirefault/atlas/msgpack";`,
      `import { isRetryable, ProtocolError } from "@wirefault/core";`,
      `const err = parseError({ code: 4001, message: "x" });`,
      `const retry: boolean = isRetryable(err);`,
      `const action: "retry" | "throttle" | "reconnect" | "reset" | "wait" | "fix-request" | "user-action" | "abort" = err.action;`,
      `const code: AtlasCode | undefined = err.known ? err.code : undefined;`,
      `const fromBytes: AtlasError = parseMessagePack(new Uint8Array([0xc0]));`,
      `const base: ProtocolError = fromBytes;`,
      `export { retry, action, code, fromBytes, base };`,
    );
  }
  if (has("@wirefault/tryll")) {
    lines.push(
      `import { TryllError } from "@wirefault/tryll";`,
      `import { FrameReader, parseError as parseFrame } from "@wirefault/tryll/frame";`,
      `const fromFrame: TryllError = parseFrame(new Uint8Array(8));`,
      `const stopped: TryllError | undefined = new FrameReader().error;`,
      `export { fromFrame, stopped };`,
    );
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
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
    // An optional peer (zod, for telemetry's /schemas) is what a user of that subpath installs: so does this app.
    const optionalPeers = [
      ...new Set(
        manifests.flatMap((m) =>
          Object.entries(m.peerDependenciesMeta ?? {})
            .filter(([name, meta]) => meta?.optional && m.peerDependencies?.[name])
            .map(([name]) => `${name}@${m.peerDependencies[name]}`),
        ),
      ),
    ];
    // Dependencies of the tarballs come from the registry: retried when the network fails.
    const install = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock"];
    online("npm", [...install, ...packed, ...optionalPeers], {
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
    // The smoke test runs when protocol packages (those with an example to send) are packed.
    const smoke = options.smoke ?? manifests.some((m) => m.wirefault?.example);
    const smokeSource = readFileSync(new URL("./smoke.mjs", import.meta.url), "utf8");
    writeFileSync(join(app, "smoke.mjs"), smokeSource);
    writeFileSync(
      join(app, "smoke.cjs"),
      `${smokeSource.replace("export async function smoke", "async function smoke")}\nmodule.exports = { smoke };\n`,
    );
    // One case per protocol package packed, from its package.json: none is listed here.
    const cases = JSON.stringify(
      manifests
        .filter((m) => m.wirefault?.example)
        .map((m) => [m.name, m.wirefault.example.payload, m.wirefault.example.context ?? {}, m.wirefault.example.code]),
    );
    const body = (load) =>
      `const load = ${load};\n(async () => {\n${loads.join("\n")}\n${smoke ? `  console.log((await smoke(load, ${cases})).join(' '));` : ""}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
    writeFileSync(join(app, "esm.mjs"), `import { smoke } from "./smoke.mjs";\n${body("(name) => import(name)")}`);
    writeFileSync(
      join(app, "cjs.cjs"),
      `const { smoke } = require("./smoke.cjs");\n${body("async (name) => require(name)")}`,
    );
    style("esm", () => run("node", ["esm.mjs"], app));
    style("cjs", () => run("node", ["cjs.cjs"], app));

    // TypeScript: the types each condition resolves to must exist and be usable,
    // in every resolution mode and with every TypeScript a consumer may have.
    const tsImports = specs.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join("\n");
    const tsUse = `export const all = [${specs.map((_, i) => `m${i}`).join(", ")}];\n`;
    // options.program: more of a program, for packages other than ours (the tests' fixtures).
    const source = `${tsImports}\n${tsUse}${typedProgram(manifests)}${options.program ?? ""}`;
    const compilers = typescripts(app, options.typescripts ?? TYPESCRIPTS);
    for (const compiler of compilers) {
      for (const mode of MODES) {
        if (!mode.supported(compiler.major)) continue;
        const files = mode.files.map((file) => `${compiler.alias}-${file}`);
        for (const file of files) writeFileSync(join(app, file), source);
        const config = `tsconfig.${compiler.alias}-${mode.name}.json`;
        writeFileSync(join(app, config), tsconfig(mode, files));
        style(`typescript ${compiler.version} ${mode.name}`, () =>
          run(process.execPath, [compiler.tsc, "-p", config], app),
        );
      }
    }

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
