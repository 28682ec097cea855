// What a user's bundler keeps (issue 31): one function imported pulls in only
// what it needs. Each bundle is built from the packages' sources, core's
// included, so that esbuild's metafile names every module that survived.
// Sizes are `npm run size`'s to judge; this checks which modules, never a size.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { protocolPackages } from "../scripts/protocols.mjs";

const root = new URL("../..", import.meta.url).pathname;
const packages = protocolPackages(root);

/** Every public specifier of core and of each protocol package, to its source file. */
function sources() {
  const map = new Map();
  const dirs = [join(root, "packages", "core"), ...packages.map((pkg) => pkg.dir)];
  for (const dir of dirs) {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const file = target?.import?.default;
      if (typeof file !== "string") continue;
      const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      map.set(specifier, join(dir, file.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")));
    }
  }
  return map;
}
const SOURCES = sources();

/** A minified browser bundle of `contents`: its text, and the source modules it keeps (relative to packages/, or a dependency's path). */
async function bundled(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        name: "sources",
        setup(b) {
          b.onResolve({ filter: /^@wirefault\// }, (args) => {
            const path = SOURCES.get(args.path);
            return path ? { path } : undefined;
          });
        },
      },
    ],
  });
  const output = Object.values(result.metafile.outputs)[0];
  const modules = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path.replace(/^.*?packages\//, ""));
  return { modules, text: result.outputFiles[0].text };
}

/** The source modules a minified browser bundle of `contents` keeps. */
const kept = async (contents) => (await bundled(contents)).modules;

// Recovery: retry() and what only it reads, recover's plan, the rate limiter.
const RECOVERY = [
  "retry",
  "retry-settings",
  "retry-decision",
  "retry-budget",
  "recover",
  "rate-limiter",
  "signal-registry",
].map((name) => `core/src/${name}.ts`);
const isZod = (path) => /(^|\/)zod\//.test(path);

/** A package's own sources that name a recovery export of core: only a bundle of those may hold recovery. */
const usesRecovery = (modules) =>
  modules.some(
    (path) =>
      !path.startsWith("core/") &&
      path.endsWith(".ts") &&
      /import\s*{[^}]*\b(retry|recover|rateLimiter|retryBudget)\b[^}]*}\s*from\s*"@wirefault\/core"/.test(
        readFileSync(join(root, "packages", path), "utf8"),
      ),
  );

describe("one function imported keeps only what it needs", () => {
  it.each(packages.map((pkg) => pkg.name))(
    "%s: parseError alone holds no response reading, close table, socket mapping, recovery or zod",
    async (name) => {
      const modules = await kept(`import { parseError } from "${name}"; console.log(parseError);`);
      expect(modules).toContain("core/src/parse.ts");
      const transports = ["response", "websocket", "socket"].map((file) => `core/src/${file}.ts`);
      expect(modules.filter((path) => [...transports, ...RECOVERY].includes(path) || isZod(path))).toEqual([]);
    },
  );

  // Text that only people read stays out of what parseError imports (issue 31): the secret forms' names, the
  // local codes' summaries and, where a package builds its parser from the catalog without them (`withText`),
  // its rows' advice and user messages. Teale's and telemetry's each keep one row's advice (about 30 and 60 B).
  const PEOPLE_TEXT_APART = new Set(["@wirefault/ckg-relay", "@wirefault/tryll"]);
  it.each(packages.map((pkg) => pkg.name))("%s: parseError alone holds no text that only people read", async (name) => {
    const { SECRET_FORMS } = await import(SOURCES.get("@wirefault/core"));
    const { LOCAL_CODES } = await import(SOURCES.get("@wirefault/core/protocol"));
    const { protocol } = await import(SOURCES.get(name));
    const { text } = await bundled(`import { parseError } from "${name}"; console.log(parseError);`);
    const people = [...SECRET_FORMS.map((form) => form.name), ...LOCAL_CODES.map((row) => row.summary)];
    if (PEOPLE_TEXT_APART.has(name))
      for (const row of protocol.catalog) people.push(row.advice, row.userMessage, row.retryingUserMessage);
    const found = people.filter((said) => typeof said === "string" && text.includes(JSON.stringify(said).slice(1, -1)));
    expect(found).toEqual([]);
    // The check can fail: the same texts are in the bundle of the whole protocol.
    const whole = (await bundled(`import { protocol } from "${name}"; console.log(protocol);`)).text;
    expect(
      protocol.catalog.filter((row) => row.advice && whole.includes(JSON.stringify(row.advice).slice(1, -1))),
    ).toEqual(protocol.catalog.filter((row) => row.advice));
  });

  it.each(packages.map((pkg) => pkg.name))(
    "%s: the whole main entry holds recovery only when its own code calls it, and never zod",
    async (name) => {
      const modules = await kept(`export * from "${name}";`);
      expect(modules.filter(isZod)).toEqual([]);
      if (!usesRecovery(modules)) expect(modules.filter((path) => RECOVERY.includes(path))).toEqual([]);
    },
  );

  it("a package whose code calls retry() keeps it: the check above can fail", async () => {
    const sends = packages.find((pkg) => pkg.name === "@wirefault/telemetry-server");
    if (!sends) return;
    const modules = await kept(`export { sendTelemetry } from "${sends.name}";`);
    expect(usesRecovery(modules)).toBe(true);
    expect(modules).toContain("core/src/retry.ts");
  });

  it("core: the error class, isRetryable and redactSecrets hold no recovery", async () => {
    const modules = await kept(
      'import { ProtocolError, isRetryable, redactSecrets } from "@wirefault/core"; console.log(ProtocolError, isRetryable, redactSecrets);',
    );
    expect(modules).toContain("core/src/error.ts");
    expect(modules.filter((path) => RECOVERY.includes(path) || isZod(path))).toEqual([]);
  });

  it("zod reaches only the subpath that imports it", async () => {
    const subpaths = [...SOURCES.keys()].filter((specifier) => !specifier.endsWith("/schemas"));
    for (const specifier of subpaths)
      expect({ specifier, zod: (await kept(`export * from "${specifier}";`)).filter(isZod) }).toEqual({
        specifier,
        zod: [],
      });
    const schemas = [...SOURCES.keys()].filter((specifier) => specifier.endsWith("/schemas"));
    for (const specifier of schemas) expect((await kept(`export * from "${specifier}";`)).some(isZod)).toBe(true);
  });
});
