// The rehearsal's registry, for real: Verdaccio answers on 127.0.0.1, takes an
// anonymous publish only from an npm that has some token (ENEEDAUTH without
// one, which is why releasers and the rehearsal set a dummy), and is gone
// after stop(), on failure too.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startRegistry, withRegistry } from "./registry.mjs";
import { programFor, publishablePackages, publishEnv, tokenLine, withoutRelease } from "./rehearsal.mjs";

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const dirs = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the rehearsal registry", { timeout: 120_000 }, () => {
  it("publishes anonymously with a dummy token, refuses without one, and stops", async () => {
    const registry = await startRegistry();
    try {
      expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const work = mkdtempSync(join(tmpdir(), "wirefault-registry-test-"));
      dirs.push(work);
      writeFileSync(
        join(work, "package.json"),
        JSON.stringify({ name: "@wirefault/registry-probe", version: "1.0.0", license: "MIT" }),
      );
      const publish = (userconfig) =>
        spawnSync("npm", ["publish", "--access", "public"], {
          cwd: work,
          encoding: "utf8",
          env: publishEnv(process.env, registry.url, userconfig),
        });

      const empty = join(work, "empty.npmrc");
      writeFileSync(empty, "");
      const refused = publish(empty);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain("ENEEDAUTH");

      const dummy = join(work, "dummy.npmrc");
      writeFileSync(dummy, `${tokenLine(registry.url)}\n`);
      const published = publish(dummy);
      expect(published.status, published.stderr).toBe(0);
      const response = await fetch(`${registry.url}@wirefault%2fregistry-probe`);
      expect(Object.keys((await response.json()).versions)).toEqual(["1.0.0"]);

      // Nothing outside the scope is served: no uplink, so no public copy can stand in.
      expect((await fetch(`${registry.url}flatbuffers`)).ok).toBe(false);
    } finally {
      await registry.stop();
    }
    expect(registry.exited()).toBe(true);
    expect(alive(registry.pid)).toBe(false);
  });
});

describe("a rehearsal that fails", { timeout: 120_000 }, () => {
  it("still stops the registry", async () => {
    let seen;
    await expect(
      withRegistry(async (registry) => {
        seen = registry;
        expect((await fetch(`${registry.url}-/ping`)).ok).toBe(true);
        throw new Error("the install failed");
      }),
    ).rejects.toThrow("the install failed");
    expect(seen.exited()).toBe(true);
    expect(alive(seen.pid)).toBe(false);
  });
});

describe("the rehearsal's environment", () => {
  const release = {
    PATH: "/bin",
    NPM_CONFIG_PROVENANCE: "true",
    npm_config_registry: "https://registry.npmjs.org/",
    NODE_AUTH_TOKEN: "secret",
    NPM_TOKEN: "secret",
    "npm_config_//registry.npmjs.org/:_authToken": "secret",
    npm_config_cache: "/cache",
  };
  it("publishes to the local registry with no provenance and none of the release's tokens", () => {
    const env = publishEnv(release, "http://127.0.0.1:1/", "/tmp/x.npmrc");
    expect(env).toEqual({
      PATH: "/bin",
      npm_config_cache: "/cache",
      npm_config_registry: "http://127.0.0.1:1/",
      npm_config_userconfig: "/tmp/x.npmrc",
      npm_config_provenance: "false",
      npm_config_update_notifier: "false",
    });
  });
  it("installs with the user's own registry and tokens, never a scope override", () => {
    const env = withoutRelease({ ...release, "npm_config_@wirefault:registry": "https://elsewhere/" });
    expect(env).not.toHaveProperty("NPM_CONFIG_PROVENANCE");
    expect(env).not.toHaveProperty("npm_config_@wirefault:registry");
    expect(env.npm_config_registry).toBe("https://registry.npmjs.org/");
    expect(env.NODE_AUTH_TOKEN).toBe("secret");
  });
  it("has a program for every published package", () => {
    const packages = publishablePackages();
    expect(packages.length).toBeGreaterThan(0);
    for (const { folder } of packages) expect(programFor(folder), folder).toBeDefined();
    const programs = readdirSync(new URL("./rehearsal/", import.meta.url)).map((file) => file.replace(/\.mjs$/, ""));
    expect(programs.sort()).toEqual(packages.map(({ folder }) => folder).sort());
  });
});
