// The smoke test every consumer style and runtime runs: one real error per
// protocol package, parsed from the packed packages, checked the way a user would.
// Written once as plain ESM; check.mjs derives the CJS and TypeScript variants.
// `cases` are [package, payload, context, code], one per protocol package, from the
// "wirefault".example of its package.json (tooling/scripts/protocols.mjs finds them).
export async function smoke(load, cases) {
  const core = await load("@wirefault/core");
  const results = [];
  for (const [name, payload, context, code] of cases) {
    const pkg = await load(name);
    const err = pkg.parseError(payload, context);
    const checks = {
      instanceofError: err instanceof Error,
      instanceofProtocolError: err instanceof core.ProtocolError,
      isProtocolError: core.isProtocolError(err),
      isRetryable: typeof core.isRetryable(err) === "boolean",
      known: err.known === true,
      code: code === undefined || err.code === code,
      toWire: typeof err.toWire === "function" && err.toWire() !== undefined,
      catalog: Array.isArray(pkg.catalog) && pkg.catalog.length > 0,
    };
    const failed = Object.entries(checks)
      .filter(([, ok]) => !ok)
      .map(([key]) => key);
    if (failed.length) throw new Error(`${name}: ${failed.join(", ")} failed`);
    results.push(`${name}:${String(err.code)}`);
  }
  return results;
}
