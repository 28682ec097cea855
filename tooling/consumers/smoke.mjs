// The smoke test every consumer style and runtime runs: one real error per
// protocol, parsed from the packed packages, checked the way a user would.
// Written once as plain ESM; check.mjs derives the CJS and TypeScript variants.
export async function smoke(load) {
  const core = await load("@wirefault/core");
  const cases = [
    [
      "@wirefault/teale-relay",
      '{"error":{"code":"rate_limited","message":"Discover rate limited, retry after 8s","retryAfterSeconds":8}}',
      {},
      "rate_limited",
    ],
    ["@wirefault/telemetry-server", '{"error":"device_already_exists"}', { status: 409 }, undefined],
    [
      "@wirefault/ckg-relay",
      '{"type":"error","code":"AGENT_OFFLINE","message":"Agent not currently connected"}',
      {},
      "AGENT_OFFLINE",
    ],
    ["@wirefault/atlas", '{"code":4001,"message":"rate limit exceeded","ref_msg_id":"msg_01JX"}', {}, 4001],
    ["@wirefault/tryll", '{"code":3004,"message":"agent busy"}', {}, 3004],
  ];
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
