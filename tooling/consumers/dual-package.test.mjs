// The dual-package hazard: an app can load a package's ESM build and, through a
// CJS dependency, its CJS build too. An error made by one copy must still be
// `instanceof` the other copy's class, and never another protocol's class.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { protocolPackages } from "../scripts/protocols.mjs";

const require = createRequire(import.meta.url);
// Every protocol package, found (tooling/scripts/protocols.mjs): none is listed here.
const PACKAGES = protocolPackages().map((pkg) => pkg.name);

// Every exported error class: a function whose prototype is a ProtocolError's.
const errorClasses = (module, core) =>
  Object.entries(module).filter(
    ([name, value]) =>
      typeof value === "function" && /Error$/.test(name) && value.prototype instanceof core.ProtocolError,
  );

// One instance per class. Teale's locally raised errors take a code and options.
const RAISED = { PtnError: "inviteExpired", NoiseError: "replayDetected" };
const sample = (Class) => {
  if (Object.hasOwn(RAISED, Class.prototype.name)) return new Class(RAISED[Class.prototype.name]);
  const init = { code: "WIREFAULT_MALFORMED", message: "m", retryable: "no", action: "abort", known: false };
  return new Class({ ...init, protocol: "x" });
};

describe("instanceof across the ESM and CJS builds", () => {
  it.each(PACKAGES)("%s: each class claims the other build's errors and no other class's", async (name) => {
    const esm = await import(name);
    const cjs = require(name);
    const esmCore = await import("@wirefault/core");
    const cjsCore = require("@wirefault/core");
    const esmClasses = errorClasses(esm, esmCore);
    expect(esmClasses.length).toBeGreaterThan(0);
    for (const [className, EsmClass] of esmClasses) {
      const CjsClass = cjs[className];
      expect(CjsClass).not.toBe(EsmClass);
      expect(sample(CjsClass) instanceof EsmClass, `CJS ${className} instanceof ESM ${className}`).toBe(true);
      expect(sample(EsmClass) instanceof CjsClass, `ESM ${className} instanceof CJS ${className}`).toBe(true);
      expect(sample(CjsClass) instanceof esmCore.ProtocolError).toBe(true);
      expect(sample(EsmClass) instanceof cjsCore.ProtocolError).toBe(true);
    }
    // A parsed error, too.
    const parsed = cjs.parseError("not an error at all");
    expect(parsed instanceof esmClasses.find(([n]) => n === parsed.name)[1]).toBe(true);
  });

  // A codec subpath loads core's ./protocol entry alone (issue 31's cold start): what it parses must still be
  // an error of the main entry's class and of core's ProtocolError, whichever build each side comes from.
  const CODECS = protocolPackages().filter((pkg) => pkg.meta.entry);
  it.each(CODECS.map((pkg) => [pkg.entry, pkg]))(
    "%s: its errors are the main entry's class, in either build",
    async (_, pkg) => {
      const subpaths = [await import(pkg.entry), require(pkg.entry)];
      const mains = [await import(pkg.name), require(pkg.name)];
      const cores = [await import("@wirefault/core"), require("@wirefault/core")];
      for (const subpath of subpaths) {
        const parsed = subpath.parseError(pkg.meta.example.payload);
        expect(parsed.known, parsed.message).toBe(true);
        for (const main of mains) expect(parsed instanceof main[parsed.name], parsed.name).toBe(true);
        for (const core of cores) expect(parsed instanceof core.ProtocolError).toBe(true);
      }
    },
  );

  it("one protocol's class never claims another's error, in either build", async () => {
    const all = [];
    for (const name of PACKAGES) {
      const core = await import("@wirefault/core");
      for (const [className, Class] of errorClasses(await import(name), core)) all.push([className, Class, "esm"]);
      for (const [className, Class] of errorClasses(require(name), require("@wirefault/core")))
        all.push([className, Class, "cjs"]);
    }
    for (const [nameA, A, buildA] of all) {
      const error = sample(A);
      for (const [nameB, B, buildB] of all) {
        // True exactly when A is B or extends it (PtnError extends TealeRelayError), whichever the builds.
        expect(error instanceof B, `${buildA} ${nameA} instanceof ${buildB} ${nameB}`).toBe(extendsByName(A, nameB));
      }
    }
  });
});

// True when a class named `name` is on A's own prototype chain: A is it or extends it.
function extendsByName(A, name) {
  for (let p = A.prototype; p; p = Object.getPrototypeOf(p))
    if (Object.hasOwn(p, "name") && p.name === name) return true;
  return false;
}
