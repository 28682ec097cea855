// A sixth protocol package, added as a folder in a scratch copy of the repo's layout (the real
// packages linked beside it): every tool that loops over the protocols picks it up, with no
// list edited. The tools find packages by the "wirefault" field of their package.json.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discover, explain } from "@wirefault/cli";
import { afterAll, describe, expect, it } from "vitest";
import { targets as coldStartTargets } from "../bench/coldstart.mjs";
import { smoke } from "../consumers/smoke.mjs";
import { entrySource, expectedSmoke } from "../runtimes/runtimes.mjs";
import { sizeEntries } from "../size/entries.mjs";
import { apiEntryPoints, generated } from "./docs.mjs";
import { loadEntry, loadProtocolPackages, protocolPackages, smokeCases } from "./protocols.mjs";

const root = new URL("../..", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "wirefault-sixth-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The real packages, linked; core also where the scratch package resolves its imports from.
mkdirSync(join(scratch, "packages"));
mkdirSync(join(scratch, "node_modules", "@wirefault"), { recursive: true });
for (const folder of ["core", "cli", "teale-relay", "telemetry-server", "ckg-relay", "atlas", "tryll"])
  symlinkSync(join(root, "packages", folder), join(scratch, "packages", folder), "dir");
symlinkSync(join(root, "packages", "core"), join(scratch, "node_modules", "@wirefault", "core"), "dir");

// The sixth package: a folder, a manifest with its "wirefault" field, a README and a build.
const quill = join(scratch, "packages", "quill");
mkdirSync(join(quill, "dist"), { recursive: true });
writeFileSync(
  join(quill, "package.json"),
  JSON.stringify({
    name: "@wirefault/quill",
    version: "0.0.0",
    type: "module",
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    exports: { ".": { import: "./dist/index.js", require: "./dist/index.cjs" }, "./package.json": "./package.json" },
    wirefault: {
      example: { payload: '{"quill_error":"Q_BUSY"}', code: "Q_BUSY" },
      size: [{ name: "@wirefault/quill", limit: "10 kB" }],
    },
  }),
);
writeFileSync(join(quill, "README.md"), "# @wirefault/quill\n\n<!-- catalog:start -->\n<!-- catalog:end -->\n");
const definition = (core, protocol) => `
class QuillError extends ${core}.ProtocolError {
  static { this.prototype.name = "QuillError"; }
  toWire() { return { quill_error: this.code }; }
}
const catalog = ${core}.defineCatalog([
  { surface: "api", code: "Q_BUSY", status: 503, retryable: "yes", action: "retry", summary: "The scribe is busy." },
]);
const protocol = ${protocol}.defineProtocol({
  name: "quill", title: "Quill", maxBytes: 4096, catalog, http: ${protocol}.overHttp("api"),
  readers: [(value) => {
    const code = ${protocol}.field(value, "quill_error");
    return typeof code === "string" ? { surface: "api", code } : undefined;
  }],
  errorClass: () => QuillError,
});
const parseError = protocol.parseError;
`;
writeFileSync(
  join(quill, "dist", "index.js"),
  `import * as core from "@wirefault/core";\nimport * as p from "@wirefault/core/protocol";\n${definition("core", "p")}\nexport { catalog, protocol, parseError, QuillError };\n`,
);
writeFileSync(
  join(quill, "dist", "index.cjs"),
  `const core = require("@wirefault/core");\nconst p = require("@wirefault/core/protocol");\n${definition("core", "p")}\nmodule.exports = { catalog, protocol, parseError, QuillError };\n`,
);

describe("a sixth protocol package, added as a folder", () => {
  it("is found after the five, in their order", () => {
    expect(protocolPackages(scratch).map((pkg) => pkg.folder)).toEqual([
      "teale-relay",
      "telemetry-server",
      "ckg-relay",
      "atlas",
      "tryll",
      "quill",
    ]);
  });

  it("the CLI explains its codes", () => {
    const registry = discover(join(scratch, "packages"));
    expect([...registry.keys()].at(-1)).toBe("quill");
    expect(explain(["Q_BUSY"], registry).stdout).toContain("quill Q_BUSY");
  });

  it("the docs script writes its README table and its section of docs/errors.md, and TypeDoc documents it", async () => {
    const files = await generated(scratch);
    const readme = files.find((file) => file.path === join(quill, "README.md"));
    expect(readme?.content).toContain("Q_BUSY");
    const errors = files.find((file) => file.path === join(scratch, "docs", "errors.md"));
    expect(errors?.content).toContain("## quill");
    expect(apiEntryPoints(scratch).filter((entry) => entry.endsWith(join("quill", "src", "index.ts")))).toHaveLength(1);
  });

  it("the smoke test sends its example, and the runtime matrix bundles it", async () => {
    const packages = await loadProtocolPackages(scratch);
    const modules = Object.fromEntries(packages.map((pkg) => [pkg.name, pkg.module]));
    modules["@wirefault/core"] = await loadEntry({
      dir: join(root, "packages", "core"),
      manifest: readManifest("core"),
    });
    const lines = await smoke(async (name) => modules[name], smokeCases(protocolPackages(scratch)));
    expect(lines.at(-1)).toBe("@wirefault/quill:Q_BUSY");
    expect(entrySource(scratch)).toContain('import * as m6 from "@wirefault/quill";');
    expect(expectedSmoke(scratch).at(-1)).toBe("@wirefault/quill:Q_BUSY");
  });

  it("the size budgets include its own", () => {
    const entry = sizeEntries(scratch).at(-1);
    expect(entry).toMatchObject({ name: "@wirefault/quill", limit: "10 kB" });
    expect(readFileSync(join(scratch, entry.path), "utf8")).toBe('export * from "@wirefault/quill";\n');
  });

  it("the dual-package check and cold start list no package: they loop over what is found", () => {
    expect(coldStartTargets().mains).toEqual(["@wirefault/core", ...protocolPackages().map((pkg) => pkg.name)]);
    expect(coldStartTargets(protocolPackages(scratch)).mains).toContain("@wirefault/quill");
    // A codec subpath is measured beside its codec alone: the package's one dependency that is not wirefault's.
    expect(coldStartTargets().codecs).toEqual(
      protocolPackages()
        .filter((pkg) => pkg.meta.entry)
        .map((pkg) => ({
          subpath: pkg.entry,
          library: Object.keys(pkg.manifest.dependencies).find((dep) => !dep.startsWith("@wirefault/")),
        })),
    );
    const dual = readFileSync(join(root, "tooling", "consumers", "dual-package.test.mjs"), "utf8");
    expect(dual).toContain("protocolPackages()");
    for (const source of [dual, readFileSync(join(root, "tooling", "bench", "coldstart.mjs"), "utf8")])
      expect(source).not.toMatch(/"(teale-relay|telemetry-server|ckg-relay|atlas|tryll)"/);
  });
});

function readManifest(folder) {
  return JSON.parse(readFileSync(join(root, "packages", folder, "package.json"), "utf8"));
}
