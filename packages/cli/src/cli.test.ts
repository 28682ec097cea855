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

describe("the published tarball", () => {
  it("ships the bin and the library entries, not the bin's unused CJS build or declarations", () => {
    const packed = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
    });
    expect(packed.status).toBe(0);
    const files: string[] = JSON.parse(packed.stdout)[0].files.map((f: { path: string }) => f.path);
    // Chunk names carry a content hash; one ESM chunk for the bin and index.js, one CJS chunk for index.cjs.
    const named = files.map((path) => path.replace(/^dist\/chunk-[A-Z0-9]+\./, "dist/chunk."));
    expect(named.sort()).toEqual(
      [
        "LICENSE",
        "README.md",
        "package.json",
        "dist/cli.js",
        "dist/chunk.js",
        "dist/chunk.cjs",
        "dist/index.js",
        "dist/index.cjs",
        "dist/index.d.ts",
        "dist/index.d.cts",
      ].sort(),
    );
    // npm pack takes a few seconds on a busy machine.
  }, 60_000);
});
