// The release, rehearsed against a real registry: start Verdaccio, publish
// every package with `changeset publish` (as the release workflow does), then
// install them from there into a fresh project and use them as a user would:
// one small program per package (tooling/scripts/rehearsal/<folder>.mjs) and
// `npx wirefault --version`. The registry is stopped whatever happens.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { online } from "./online.mjs";
import { withRegistry } from "./registry.mjs";

const root = new URL("../..", import.meta.url).pathname;
const PROGRAMS = new URL("./rehearsal/", import.meta.url).pathname;
const CHANGESET = join(root, "node_modules", "@changesets", "cli", "bin.js");

/** The publishable package folders of the repo, with their manifests. */
export function publishablePackages() {
  const dir = join(root, "packages");
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "package.json")))
    .map((name) => ({
      dir: join(dir, name),
      folder: name,
      manifest: JSON.parse(readFileSync(join(dir, name, "package.json"), "utf8")),
    }))
    .filter(({ manifest }) => !manifest.private);
}

/** The program that proves a package works once installed, or undefined. */
export const programFor = (folder) => {
  const path = join(PROGRAMS, `${folder}.mjs`);
  return existsSync(path) ? path : undefined;
};

// The release's own settings, in any letter case: its token, its provenance
// flag, its registry. None of them may reach the rehearsal.
const RELEASE_SETTINGS =
  /^(npm_config_(registry|userconfig|provenance|@wirefault:registry|_auth.*|\/\/.*)|npm_token|node_auth_token)$/i;

/**
 * `env` without the release's settings but those in `keep`. An install keeps the
 * user's registry, userconfig and tokens (npm sends a token only to its own
 * registry, and a userconfig may name `${NODE_AUTH_TOKEN}`).
 */
export function withoutRelease(
  env,
  { keep = ["npm_config_registry", "npm_config_userconfig", "npm_token", "node_auth_token"] } = {},
) {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => keep.includes(key.toLowerCase()) || !RELEASE_SETTINGS.test(key)),
  );
}

/**
 * The environment of `changeset publish` to the rehearsal registry: its URL as
 * the registry, a throwaway userconfig holding a dummy token (npm refuses to
 * publish with no token at all, ENEEDAUTH, even where publish is anonymous),
 * and no provenance (that needs the CI's OIDC token and the public registry).
 */
export function publishEnv(env, url, userconfig) {
  return {
    ...withoutRelease(env, { keep: [] }),
    npm_config_registry: url,
    npm_config_userconfig: userconfig,
    npm_config_provenance: "false",
    npm_config_update_notifier: "false",
  };
}

/** The line of a userconfig that gives `url` a dummy token. */
export const tokenLine = (url) => `${url.replace(/^https?:/, "")}:_authToken=wirefault-rehearsal-dummy-token`;

const sh = (command, args, options) =>
  execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });

/**
 * Runs the whole rehearsal. Resolves with what it did, one line a step;
 * rejects with the failing step and its output.
 */
export async function rehearse({ log = console.log } = {}) {
  const packages = publishablePackages();
  const missing = packages.filter(({ folder }) => !programFor(folder)).map(({ manifest }) => manifest.name);
  if (missing.length) throw new Error(`no rehearsal program in tooling/scripts/rehearsal/ for ${missing.join(", ")}`);

  const work = mkdtempSync(join(tmpdir(), "wirefault-rehearsal-"));
  try {
    return await withRegistry((registry) => rehearseWith(registry, packages, work, log));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The rehearsal's steps against a running `registry`, in the folder `work`. */
async function rehearseWith(registry, packages, work, log) {
  const step = (name, fn) => {
    try {
      const out = fn();
      log(`rehearsal: ${name}`);
      return out;
    } catch (error) {
      const detail = [error.stdout, error.stderr, error.message].filter(Boolean).join("\n").trim();
      throw new Error(`release rehearsal failed: ${name}\n${detail}\n--- verdaccio ---\n${registry.output()}`);
    }
  };
  const userconfig = join(work, "publish.npmrc");
  writeFileSync(userconfig, `${tokenLine(registry.url)}\n`);
  const env = publishEnv(process.env, registry.url, userconfig);

  step(`changeset publish to ${registry.url}`, () =>
    sh(process.execPath, [CHANGESET, "publish", "--no-git-tag"], { cwd: root, env }),
  );
  // What the registry holds: each package's tarball integrity, to compare with what gets installed.
  const published = new Map();
  await Promise.all(
    packages.map(async ({ manifest }) => {
      const response = await fetch(`${registry.url}${manifest.name.replace("/", "%2f")}`);
      const integrity = response.ok ? (await response.json()).versions?.[manifest.version]?.dist?.integrity : undefined;
      if (!integrity)
        throw new Error(
          `release rehearsal failed: ${manifest.name}@${manifest.version} is not in the registry after publish`,
        );
      published.set(manifest.name, integrity);
    }),
  );
  log(`rehearsal: ${packages.length} packages in the registry`);

  // A fresh project, as a user starts one: our scope from the registry just
  // published to, everything else (@msgpack/msgpack, flatbuffers) from npm's.
  const app = join(work, "app");
  sh("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "rehearsal", private: true, type: "module" }));
  writeFileSync(join(app, ".npmrc"), `@wirefault:registry=${registry.url}\n`);
  const installEnv = { ...withoutRelease(process.env), npm_config_update_notifier: "false" };
  step("npm install from the registry into a fresh project", () =>
    online(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
        ...packages.map(({ manifest }) => `${manifest.name}@${manifest.version}`),
      ],
      { cwd: app, env: installEnv },
    ),
  );
  // npm's record of the install: every package of ours is the tarball just published.
  const record = JSON.parse(readFileSync(join(app, "node_modules", ".package-lock.json"), "utf8")).packages;
  for (const { dir, folder, manifest } of packages) {
    const installed = record[`node_modules/${manifest.name}`];
    if (installed?.version !== manifest.version || installed.integrity !== published.get(manifest.name))
      throw new Error(
        `release rehearsal failed: ${manifest.name} installed as ${installed?.version} (${installed?.integrity}), not the published tarball`,
      );
    if (existsSync(join(dir, "CHANGELOG.md")) && !existsSync(join(app, "node_modules", manifest.name, "CHANGELOG.md")))
      throw new Error(`release rehearsal failed: ${manifest.name} was published without its CHANGELOG.md`);
    const program = join(app, basename(programFor(folder)));
    copyFileSync(programFor(folder), program);
    const out = step(`${manifest.name}: node ${basename(program)}`, () =>
      sh(process.execPath, [program], { cwd: app }),
    );
    log(`  ${out.trim()}`);
  }
  const cli = packages.find(({ manifest }) => manifest.bin?.wirefault);
  if (cli) {
    const printed = step("npx wirefault --version", () =>
      sh("npx", ["--no-install", "wirefault", "--version"], { cwd: app, env: installEnv }),
    ).trim();
    if (!printed.includes(cli.manifest.version))
      throw new Error(
        `release rehearsal failed: npx wirefault --version printed "${printed}", not ${cli.manifest.version}`,
      );
    log(`  wirefault --version: ${printed}`);
  }
  return packages.map(({ manifest }) => `${manifest.name}@${manifest.version}`);
}
