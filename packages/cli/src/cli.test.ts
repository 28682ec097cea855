import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// End to end: the built binary, as `npx wirefault` runs it. Each case of issue 19 is here.
const bin = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const wirefault = (args: string[], input = "") =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: "utf8" });
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const expectBadInput = (result: ReturnType<typeof wirefault>) => {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^wirefault: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/\bat .*:\d+:\d+/);
};

// Each case spawns Node, a second or more on a busy machine: the timeout is generous, not a bound under test.
describe("the wirefault binary", { timeout: 120_000 }, () => {
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

  it("exits 2 with one line and no stack trace on bad input", () => {
    expectBadInput(wirefault(["parse"], "\u0000\u0001garbage"));
  });

  it("exits 2 with one line on badly padded base64, where atob used to throw and exit 1", () => {
    const plain = wirefault(["parse"], "abcde=");
    expectBadInput(plain);
    expect(plain.stderr).toBe(
      "wirefault: no protocol reads this payload as an error (text, 6 bytes); try --protocol or --status\n",
    );
    const tryll = wirefault(["parse", "--protocol", "tryll"], "ab=");
    expectBadInput(tryll);
    expect(tryll.stderr).toMatch(/^wirefault: tryll does not read this payload as an error: .+ \(text, 3 bytes\)\n$/);
  });

  it("takes the payload as an argument, or from a file with -f", () => {
    const payload = '{"type":"error","event_id":"e1","error":"Agent is offline","code":"AGENT_OFFLINE"}';
    const argument = wirefault(["parse", payload]);
    expect(argument.status).toBe(0);
    expect(argument.stdout).toContain("ckg-relay AGENT_OFFLINE");
    const file = join(mkdtempSync(join(tmpdir(), "wirefault-")), "error.json");
    writeFileSync(file, payload);
    const fromFile = wirefault(["parse", "-f", file]);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout).toBe(argument.stdout);
    const missing = wirefault(["parse", "-f", `${file}.missing`]);
    expectBadInput(missing);
    expect(missing.stderr).toContain("(ENOENT)");
    expectBadInput(wirefault(["parse", "-f", tmpdir()]));
  });

  it("explains close codes, aliases, SESSION_REPLACED, local codes and a code inside a range", () => {
    const cases: [string[], RegExp][] = [
      [["explain", "ckg-relay", "4001"], /ckg-relay 4001 \(WebSocket close code\)\n\s+name:\s+BAD_AGENT_TOKEN/],
      [["explain", "SESSION_REPLACED"], /teale-relay 1012 \(WebSocket close code\)\n\s+name:\s+SESSION_REPLACED/],
      [["explain", "AGENT_NOT_ALLOWED"], /ckg-relay NOT_ALLOWED \(AGENT_NOT_ALLOWED is an alias of it\)/],
      [["explain", "authentication_error"], /teale-relay unauthorized \(authentication_error is an alias of it\)/],
      [["explain", "WIREFAULT_MALFORMED"], /any protocol WIREFAULT_MALFORMED \(wirefault's own code\)/],
      [["explain", "WIREFAULT_TOO_LARGE"], /any protocol WIREFAULT_TOO_LARGE/],
      [
        ["explain", "atlas", "4999"],
        /atlas 4999 .*\n\s+range:\s+4000-4999 rate-limit.*\n.*\n\s+retryable:\s+yes\n\s+action:\s+throttle/,
      ],
    ];
    for (const [args, expected] of cases) {
      const result = wirefault(args);
      expect(result.status, args.join(" ")).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(expected);
    }
  });

  it("names both protocols that read an ambiguous payload, each with its reading", () => {
    const result = wirefault(["parse"], '{"code":4001,"message":"rate limit exceeded"}\n');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/atlas 4001 ERR_RATE_LIMITED\n[\s\S]*retryable:\s+yes\n\s+action:\s+throttle/);
    expect(result.stdout).toMatch(/tryll 4001 InferenceFailed\n[\s\S]*retryable:\s+maybe\n\s+action:\s+retry/);
  });

  it("reads an HTML 502 body as text, classified by --status; plain text is never base64", () => {
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const result = wirefault(["parse", "--status", "502"], html);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("no code, classified by the status alone");
    expect(result.stdout).toMatch(/status:\s+502\n\s+retryable:\s+yes\n\s+action:\s+retry/);
    expect(result.stdout).not.toContain("binary");
    const hello = wirefault(["parse"], "hello world\n");
    expectBadInput(hello);
    expect(hello.stderr).toContain("(text, 11 bytes)");
    expect(hello.stderr).not.toContain("base64");
  });

  it("prints the entries of a telemetry 207 batch body", () => {
    const body = '{"accepted":0,"errors":[{"seq":"42","error":"Device not found: c5785ea2c66a"}]}';
    const result = wirefault(["parse", "--protocol", "telemetry-server", "--status", "207"], body);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("0 accepted, 1 failed");
    expect(result.stdout).toContain("seq 42: DEVICE_NOT_FOUND");
    expect(result.stdout).not.toContain("WIREFAULT_MALFORMED");
  });

  it("prints its version, and a list with a header row or as JSON", () => {
    const v = wirefault(["--version"]);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`${version}\n`);
    const listed = wirefault(["list", "tryll"]);
    expect(listed.stdout.split("\n")[0]).toBe("protocol\tsurface\tcode\tname\tstatus\tretryable\taction");
    expect(listed.stdout).toContain("AgentBusy");
    const json = JSON.parse(wirefault(["list", "--json"]).stdout) as unknown[];
    expect(json.length).toBe(wirefault(["list"]).stdout.trim().split("\n").length - 1);
  });

  it("documents its exit codes in --help", () => {
    const help = wirefault(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/exit codes:\n\s+0 .+\n\s+1 .+\n\s+2 .+/);
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
        // Written by the first `changeset version`, and shipped from then on.
        ...(existsSync(new URL("../CHANGELOG.md", import.meta.url)) ? ["CHANGELOG.md"] : []),
      ].sort(),
    );
    // npm pack takes a few seconds on a busy machine.
  }, 60_000);
});
