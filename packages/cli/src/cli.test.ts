import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeErrorFrame } from "@wirefault/tryll/frame";
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
    expect(listed.stdout.split("\n")[0]?.split(/ {2,}/)).toEqual([
      "protocol",
      "surface",
      "code",
      "name",
      "status",
      "retryable",
      "action",
    ]);
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

// Under `script` (util-linux), the binary's stdin, stdout and stderr are a terminal;
// what it prints comes back as one stream, with the terminal's \r\n line ends.
const atTerminal = (args: string[], input: string, env: Record<string, string> = {}) => {
  const shell = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, bin, ...args].map(shell).join(" ");
  const result = spawnSync("script", ["-qec", command, "/dev/null"], {
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", ...env },
  });
  return { status: result.status, output: result.stdout.replaceAll("\r\n", "\n"), error: result.error };
};
const ESC = "\u001b[";
const ckgFrame = '{"type":"error","event_id":"evt-7","error":"Agent took too long","code":"AGENT_TIMEOUT"}';

describe("the wirefault binary at a terminal (issue 24)", { timeout: 120_000 }, () => {
  it("reads a payload pasted on a terminal until EOF, after a prompt on stderr", () => {
    // Two lines, as a paste of pretty-printed JSON arrives; script sends EOF when its input ends.
    const pasted = '{"type":"error","event_id":"evt-7",\n"error":"Agent is offline","code":"AGENT_OFFLINE"}\n';
    for (const args of [["parse", "-f", "-"], ["parse"]]) {
      const result = atTerminal(args, pasted, { NO_COLOR: "1" });
      expect(result.error).toBeUndefined();
      expect(result.status, result.output).toBe(0);
      expect(result.output).toMatch(/^wirefault: paste the payload, then press Ctrl-D/m);
      expect(result.output).toContain("ckg-relay AGENT_OFFLINE");
      expect(result.output).toMatch(/eventId:\s+evt-7/);
    }
    // A pipe gets no prompt: stderr stays empty.
    const piped = wirefault(["parse", "-f", "-"], pasted);
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe("");
  });

  it("colours on a terminal, and not with NO_COLOR, --no-color or a pipe; --color forces it", () => {
    const coloured = atTerminal(["explain", "ckg-relay", "AGENT_OFFLINE"], "");
    expect(coloured.status).toBe(0);
    expect(coloured.output).toContain(`${ESC}1mckg-relay AGENT_OFFLINE${ESC}22m`);
    expect(coloured.output).toContain(`${ESC}32myes${ESC}39m`);
    for (const [args, env] of [
      [["explain", "ckg-relay", "AGENT_OFFLINE"], { NO_COLOR: "1" }],
      [["explain", "ckg-relay", "AGENT_OFFLINE", "--no-color"], {}],
      [["--no-color", "list", "ckg-relay"], {}],
      [["--color", "--no-color", "list", "ckg-relay"], {}],
    ] as const) {
      const plain = atTerminal([...args], "", env);
      expect(plain.status).toBe(0);
      expect(plain.output).toContain("ckg-relay");
      expect(plain.output).not.toContain(ESC);
    }
    expect(wirefault(["explain", "ckg-relay", "AGENT_OFFLINE"]).stdout).not.toContain(ESC);
    expect(wirefault(["list", "ckg-relay", "--color"]).stdout).toContain(`${ESC}1mprotocol`);
  });

  it("shows examples in --help, and each one that needs no input runs", () => {
    const help = wirefault(["--help"]).stdout;
    const examples = help.slice(help.indexOf("\nexamples:\n")).split("\n");
    // Each example is a command line, its note (if any) indented below it.
    const commands = examples
      .filter((line) => line.startsWith("  wirefault "))
      .map((line) => line.trim())
      .filter((command) => !/ -f\b/.test(command));
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) {
      const result = spawnSync("sh", ["-c", command.replace(/^wirefault /, `"$0" "$1" `), process.execPath, bin], {
        encoding: "utf8",
      });
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
      expect(result.stdout).not.toBe("");
    }
    expect(help).toContain("wirefault parse -f -");
    // It reads on an 80-column terminal; only the JSON example may not wrap.
    for (const line of help.split("\n").filter((line) => !line.includes("{")))
      expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it("lines up list in columns: every cell starts under its header, and no tabs", () => {
    const lines = wirefault(["list"]).stdout.trimEnd().split("\n");
    const header = lines[0] as string;
    const starts = [...header.matchAll(/\S+/g)].map((match) => match.index);
    expect(starts.length).toBe(7);
    for (const line of lines) {
      expect(line).not.toContain("\t");
      for (const start of starts.slice(1)) {
        expect(line[start - 1], line).toBe(" ");
        expect(line[start], line).not.toBe(" ");
      }
    }
  });

  it("parse shows the summary and every field the protocol exposes", () => {
    const ckg = wirefault(["parse", ckgFrame]).stdout;
    expect(ckg).toMatch(/summary:\s+The agent did not answer within the relay's timeout\./);
    expect(ckg).toMatch(/eventId:\s+evt-7/);
    const zone = wirefault([
      "parse",
      '{"type":"zone.error","request_id":"req_01JX","code":"payment_invalid","message":"payment authorization does not match requirement"}',
    ]).stdout;
    expect(zone).toMatch(/atlas payment_invalid\n[\s\S]*summary:\s+\S[\s\S]*requestId:\s+req_01JX/);
    const wire = wirefault([
      "parse",
      "-p",
      "atlas",
      '{"code":4001,"message":"rate limit exceeded","ref_msg_id":"msg_01JX"}',
    ]);
    expect(wire.stdout).toMatch(/refMsgId:\s+msg_01JX/);
    // A Tryll ErrorResponse frame, hex: request 5, code 3004 AgentBusy, agent 7.
    const frame =
      "54000000100000000000000008000c0007000800080000000000000a100000000c0020000c000400080014000c000000bc0b0000180000000500000000000000070000000000000000000000040000006275737900000000";
    const tryll = wirefault(["parse", frame]).stdout;
    expect(tryll).toContain("tryll 3004 AgentBusy");
    expect(tryll).toMatch(/requestId:\s+5\n/);
    expect(tryll).toMatch(/agentId:\s+7\n/);
    expect(tryll).toMatch(/layer:\s+agent\n/);
    // Every field of toJSON() is in the human output too.
    const json = JSON.parse(wirefault(["parse", "--json", frame]).stdout) as Record<string, unknown>;
    for (const [key, value] of Object.entries(json))
      if (!["name", "protocol", "known", "codeName", "code"].includes(key))
        expect(tryll, key).toMatch(new RegExp(`\\b${String(value)}\\b`));
  });

  it("prints the catalog's own advice for a code, never the generic text of its action", () => {
    const replaced = wirefault(["explain", "SESSION_REPLACED"]).stdout;
    expect(replaced).toMatch(/action:\s+abort: do not reconnect from this client/);
    expect(replaced).not.toContain("a protocol violation or version mismatch");
    expect(wirefault(["parse", ckgFrame]).stdout).toMatch(
      /action:\s+retry: retry once after 2-5 s; if it times out again, escalate/,
    );
    // A code without advice of its own keeps its action's meaning.
    expect(wirefault(["explain", "atlas", "ERR_INTERNAL"]).stdout).toMatch(/action:\s+retry: a transient failure/);
  });

  it("finds the code of a telemetry 207 entry by its message text", () => {
    const found = wirefault(["explain", "Device not found: c5785ea2c66a"]);
    expect(found.status).toBe(0);
    expect(found.stdout).toMatch(
      /^telemetry-server DEVICE_NOT_FOUND \(the message matches "Device not found: <device_id_hex>"\)/,
    );
    expect(found.stdout).toMatch(/status:\s+207/);
    expect(found.stdout).not.toMatch(/status:\s+404/);
    expect(wirefault(["explain", "Invalid signature for device c5785e…a2c66a"]).stdout).toContain("INVALID_SIGNATURE");
    // The 404's own body is still its own code.
    expect(wirefault(["explain", "Device not found"]).stdout).toMatch(/status:\s+404/);
  });

  it("refuses input over the protocols' cap before reading or parsing the rest of it", () => {
    // An endless pipe: reading it to the end would never finish.
    const endless = spawnSync("sh", ["-c", 'yes "[" | "$0" "$1" parse', process.execPath, bin], { encoding: "utf8" });
    expectBadInput(endless);
    expect(endless.stderr).toMatch(
      /^wirefault: the payload is over \d+ bytes, more than the largest cap \(teale-relay's\)/,
    );
    const file = join(mkdtempSync(join(tmpdir(), "wirefault-")), "brackets.txt");
    writeFileSync(file, "[".repeat(15 * 1024 * 1024));
    expectBadInput(wirefault(["parse", "-f", file]));
    // One protocol's cap is its own: 3 MiB is over Tryll's 1 MiB even as hex.
    const tryll = wirefault(["parse", "-p", "tryll"], "[".repeat(3 * 1024 * 1024));
    expectBadInput(tryll);
    expect(tryll.stderr).toContain("more than tryll's cap of 1048576 bytes");
    // Under that limit but over the cap, only hex or base64 is read (it spells fewer bytes): 2 MiB of
    // "[" is refused before JSON.parse meets its nesting, while a 1.2 MB hex frame of 600 KB is read.
    // Over every protocol's cap (Teale's 16 MiB is the largest) but not as hex.
    const nested = wirefault(["parse"], "[".repeat(17 * 1024 * 1024));
    expectBadInput(nested);
    expect(nested.stderr).toMatch(/^wirefault: the payload is 17825792 bytes, more than .* and not hex or base64\n$/);
    const frame = encodeErrorFrame({ requestId: 1n, code: 4001, message: "m".repeat(600_000), agentId: 2n });
    const hex = Buffer.from(frame).toString("hex");
    expect(hex.length).toBeGreaterThan(1024 * 1024);
    const read = wirefault(["parse", "-p", "tryll", "--json"], hex);
    expect(read.status, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ protocol: "tryll", code: 4001, requestId: "1", agentId: "2" });
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
