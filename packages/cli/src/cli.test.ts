import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// End to end: the built binary, as `npx wirefault` runs it.
const bin = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const wirefault = (args: string[], input = "") =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: "utf8" });

describe("the wirefault binary", () => {
  it("explains a code", () => {
    const result = wirefault(["explain", "atlas", "4001"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("ERR_RATE_LIMITED");
  });

  it("parses a payload from stdin", () => {
    const result = wirefault(
      ["parse", "--json"],
      '{"error":{"code":"peer_not_found","message":"Peer abc is not connected"}}',
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ protocol: "teale-relay", code: "peer_not_found" });
  });

  it("lists codes", () => {
    expect(wirefault(["list", "tryll"]).stdout).toContain("AgentBusy");
  });

  it("exits 2 with one line and no stack trace on bad input", () => {
    const result = wirefault(["parse"], "\u0000\u0001garbage");
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});
