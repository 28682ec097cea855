import { encodeErrorMessage } from "@wirefault/atlas/msgpack";
import { CkgRelayCloseCode } from "@wirefault/ckg-relay";
import { ABORTED, MALFORMED, NETWORK, TIMEOUT, TOO_LARGE } from "@wirefault/core";
import { TealeRelayCloseEvent } from "@wirefault/teale-relay";
import { parseBatchResponse } from "@wirefault/telemetry-server";
import { TryllError } from "@wirefault/tryll";
import { encodeErrorFrame } from "@wirefault/tryll/frame";
import { describe, expect, it } from "vitest";
import { HELP, list, main, run, VERSION } from "./commands.js";
import { explain } from "./explain.js";
import { parse } from "./parse.js";
import { localCodes, PROTOCOLS } from "./protocols.js";

const text = (s: string) => new TextEncoder().encode(s);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const none = async () => new Uint8Array();
const oneLine = (stderr: string) => {
  expect(stderr).toMatch(/^wirefault: [^\n]+\n$/);
};

describe("explain", () => {
  it("searches every protocol: 4001 is Atlas ERR_RATE_LIMITED, Tryll InferenceFailed and CKG's close code", () => {
    const result = explain(["4001"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("atlas 4001");
    expect(result.stdout).toContain("ERR_RATE_LIMITED");
    expect(result.stdout).toContain("tryll 4001");
    expect(result.stdout).toContain("InferenceFailed");
    expect(result.stdout).toContain("ckg-relay 4001 (WebSocket close code)");
  });

  it("shows one protocol's entry with status, retryable, action, policy and summary", () => {
    const result = explain(["ckg-relay", "AGENT_OFFLINE"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/status:\s+503/);
    expect(result.stdout).toMatch(/retryable:\s+yes/);
    expect(result.stdout).toMatch(/action:\s+retry/);
    expect(result.stdout).toMatch(/retry policy:\s+from 2 s/);
    expect(result.stdout).toMatch(/summary:\s+\S/);
    expect(result.stdout).not.toContain("tryll");
  });

  it("asks for the code when given only a protocol", () => {
    expect(explain(["atlas"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "wirefault: usage: wirefault explain atlas <code>\n",
    });
  });

  it("finds codes by constant name, case-insensitively", () => {
    expect(explain(["agentbusy"]).stdout).toContain("tryll 3004");
  });

  it("finds the protocols' own close codes, by number and by name, classified as fromClose does", () => {
    const bad = explain(["ckg-relay", String(CkgRelayCloseCode.BAD_AGENT_TOKEN)]);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toMatch(/name:\s+BAD_AGENT_TOKEN/);
    expect(bad.stdout).toMatch(/action:\s+user-action/);
    expect(explain(["bad_agent_token"]).stdout).toContain("ckg-relay 4001");
    const replaced = explain(["SESSION_REPLACED"]);
    expect(replaced.stdout).toContain(`teale-relay ${TealeRelayCloseEvent.SESSION_REPLACED.code}`);
    expect(replaced.stdout).toContain(JSON.stringify(TealeRelayCloseEvent.SESSION_REPLACED.reason));
    expect(replaced.stdout).toMatch(/retryable:\s+no/);
    // 1012 without the reason is the standard SERVICE_RESTART: both readings are shown.
    const both = explain(["teale-relay", "1012"]).stdout;
    expect(both).toContain("SERVICE_RESTART");
    expect(both).toContain("SESSION_REPLACED");
    expect(explain(["ckg-relay", "ABNORMAL_CLOSURE"]).stdout).toMatch(/action:\s+reconnect/);
    // Every standard code core classifies is found, in both WebSocket protocols and nowhere else.
    for (const code of [1000, 1001, 1011, 1013, 1015]) {
      const found = explain([String(code)]).stdout;
      expect(found).toContain(`teale-relay ${code} (WebSocket close code)`);
      expect(found).toContain(`ckg-relay ${code} (WebSocket close code)`);
    }
    expect(explain(["ckg-relay", "1004"]).code).toBe(2);
  });

  it("finds aliases and says what they stand for", () => {
    expect(explain(["AGENT_NOT_ALLOWED"]).stdout).toContain(
      "ckg-relay NOT_ALLOWED (AGENT_NOT_ALLOWED is an alias of it)",
    );
    expect(explain(["teale-relay", "invalid_api_key"]).stdout).toContain("teale-relay unauthorized");
  });

  it("knows every one of core's local codes, with core's classification", () => {
    expect(localCodes()).toEqual([
      expect.objectContaining({ code: MALFORMED, retryable: "no", action: "abort" }),
      expect.objectContaining({ code: TOO_LARGE, retryable: "no", action: "abort" }),
      expect.objectContaining({ code: NETWORK, retryable: "yes", action: "retry" }),
      expect.objectContaining({ code: TIMEOUT, retryable: "yes", action: "retry" }),
      expect.objectContaining({ code: ABORTED, retryable: "no", action: "abort" }),
    ]);
  });

  it("explains what happened for a network failure, a timeout and an abort, each apart from MALFORMED", () => {
    const network = explain(["WIREFAULT_NETWORK"]).stdout;
    expect(network).toContain("connection failed or dropped");
    expect(network).toMatch(/retryable:\s+yes/);
    expect(explain(["WIREFAULT_TIMEOUT"]).stdout).toContain("No answer came in time");
    const aborted = explain(["WIREFAULT_ABORTED"]).stdout;
    expect(aborted).toContain("aborted the request itself");
    expect(aborted).toMatch(/retryable:\s+no/);
    expect(explain(["WIREFAULT_MALFORMED"]).stdout).not.toContain("connection");
  });

  it("finds every local code, in any protocol", () => {
    for (const { code } of localCodes()) {
      const result = explain([code.toLowerCase()]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`any protocol ${code}`);
      expect(explain(["atlas", code]).stdout).toContain(`atlas ${code}`);
    }
  });

  it("reads a code inside a documented range with the range's reading", () => {
    const atlas = explain(["atlas", "4999"]);
    expect(atlas.code).toBe(0);
    expect(atlas.stdout).toContain("atlas 4999 (not in the catalog; inside a documented range)");
    expect(atlas.stdout).toMatch(/range:\s+4000-4999 rate-limit/);
    expect(atlas.stdout).toMatch(/retryable:\s+yes/);
    expect(atlas.stdout).toMatch(/action:\s+throttle/);
    // Tryll's ranges only name the layer: an unlisted code stays no/abort, as the parser has it.
    const tryll = explain(["tryll", "4999"]);
    expect(tryll.stdout).toMatch(/range:\s+4000-4999 inference/);
    expect(tryll.stdout).toMatch(/action:\s+abort/);
    expect(PROTOCOLS.get("tryll")?.parseError({ code: 4999, message: "m" })).toMatchObject({ action: "abort" });
    expect(PROTOCOLS.get("atlas")?.parseError({ code: 4999, message: "m" })).toMatchObject({ action: "throttle" });
    // A listed code is never shadowed by its range.
    expect(explain(["atlas", "4001"]).stdout).not.toContain("range");
  });

  it("answers unknown codes, protocols and usage with one line and exit code 2", () => {
    for (const args of [["nope"], ["mars", "1"], [], ["atlas", "1", "2"], ["atlas", "9999"], ["x\ny"], ["--json"]]) {
      const result = explain(args);
      expect(result.code).toBe(2);
      oneLine(result.stderr);
    }
  });
});

describe("list", () => {
  it("prints a header row, then every code of every protocol, or of one", () => {
    const [header, ...atlas] = list(["atlas"]).stdout.trim().split("\n");
    expect(header?.split(/ {2,}/)).toEqual(["protocol", "surface", "code", "name", "status", "retryable", "action"]);
    expect(atlas.every((line) => line.startsWith("atlas "))).toBe(true);
    expect(atlas.length).toBe(PROTOCOLS.get("atlas")?.catalog.length);
    expect(list([]).stdout.trim().split("\n").length).toBeGreaterThan(atlas.length + 1);
    expect(list(["mars"]).code).toBe(2);
  });

  it("lists a protocol's own close codes beside its catalog", () => {
    const cells = (line: string) => line.split(/ {2,}/);
    const ckg = list(["ckg-relay"]).stdout.split("\n").map(cells);
    expect(ckg).toContainEqual(["ckg-relay", "close", "4001", "BAD_AGENT_TOKEN", "-", "no", "user-action"]);
    expect(list(["teale-relay"]).stdout.split("\n").map(cells)).toContainEqual(
      expect.arrayContaining(["teale-relay", "close", "1012", "SESSION_REPLACED"]),
    );
  });

  it("prints a JSON array for scripts with --json", () => {
    const rows = JSON.parse(list(["tryll", "--json"]).stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(PROTOCOLS.get("tryll")?.catalog.length ?? -1);
    expect(rows).toContainEqual(
      expect.objectContaining({ protocol: "tryll", code: 3004, name: "AgentBusy", action: "wait" }),
    );
    expect(JSON.parse(list(["--json"]).stdout).length).toBe(list([]).stdout.trim().split("\n").length - 1);
    expect(list(["--jsn"]).code).toBe(2);
  });
});

describe("parse", () => {
  it("classifies JSON, guessing the protocol", () => {
    const result = parse([], text('{"type":"error","code":"RATE_LIMITED","message":"slow down"}'));
    expect(result.stdout).toContain("ckg-relay RATE_LIMITED");
    expect(result.stdout).toMatch(/action:\s+throttle/);
    // Telemetry reads any `code` string as an undocumented code: a documented reading outweighs it.
    expect(result.stdout).not.toContain("telemetry-server");
  });

  it("takes the payload as an argument, ahead of stdin", () => {
    const result = parse(['{"type":"error","code":"AGENT_OFFLINE","error":"x"}'], text("ignored"));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ckg-relay AGENT_OFFLINE");
    expect(parse(["a", "b"], text("")).code).toBe(2);
  });

  it("names every protocol that reads an ambiguous payload, each with its reading", () => {
    const result = parse([], text('{"code":4001,"message":"rate limit exceeded"}'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2 protocols read this payload");
    expect(result.stdout).toContain("atlas 4001 ERR_RATE_LIMITED");
    expect(result.stdout).toContain("tryll 4001 InferenceFailed");
    const lines = parse(["--json"], text('{"code":4001,"message":"rate limit exceeded"}')).stdout.trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).protocol)).toEqual(["atlas", "tryll"]);
  });

  it("prints machine-readable JSON with --json, honouring --protocol and --status", () => {
    const result = parse(
      ["--protocol", "telemetry-server", "--status", "409", "--json"],
      text('{"error":"device_already_exists"}'),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ protocol: "telemetry-server", status: 409, known: true });
    expect(parse(["-p", "telemetry-server", "-s=409"], text('{"error":"device_already_exists"}')).code).toBe(2);
    expect(parse(["-p", "telemetry-server", "--status=409"], text('{"error":"device_already_exists"}')).code).toBe(0);
  });

  it("classifies by --status alone a body that names no code, once per HTTP protocol's reading", () => {
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const result = parse(["--status", "502"], text(html));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("by its HTTP status 502");
    // The three HTTP protocols agree on a 502, so it is printed once; Atlas and Tryll have no HTTP.
    expect(result.stdout).toContain(
      "teale-relay, telemetry-server, ckg-relay: no code, classified by the status alone",
    );
    expect(result.stdout).toMatch(/retryable:\s+yes/);
    expect(result.stdout).not.toMatch(/atlas|tryll|binary/);
    const json = parse(["--status", "502", "--json"], text(html)).stdout.trim().split("\n");
    expect(json.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ protocol: "teale-relay", status: 502, retryable: "yes", action: "retry" }),
      expect.objectContaining({ protocol: "telemetry-server", status: 502 }),
      expect.objectContaining({ protocol: "ckg-relay", status: 502 }),
    ]);
    // Where a status has a documented meaning, the protocol says so.
    expect(parse(["--status", "503", "-p", "ckg-relay"], text(html)).stdout).toContain("ckg-relay AGENT_OFFLINE");
    // Without --status, the same body is unreadable input.
    const bare = parse([], text(html));
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("(text, 50 bytes)");
  });

  it("prints the entries of a telemetry 207 batch body", () => {
    const body = '{"accepted":1,"errors":[{"seq":"42","error":"Invalid signature for device c5785ea2c66a"}]}';
    const result = parse(["--protocol", "telemetry-server", "--status", "207"], text(body));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("telemetry-server batch answer, HTTP 207: 1 accepted, 1 failed");
    expect(result.stdout).toContain("seq 42: INVALID_SIGNATURE");
    expect(result.stdout).toMatch(/deviceId:\s+c5785ea2c66a/);
    const expected = parseBatchResponse(207, body).errors.map((error) => error.toJSON());
    expect(JSON.parse(parse(["-s", "207", "--json"], text(body)).stdout)).toEqual({
      protocol: "telemetry-server",
      status: 207,
      accepted: 1,
      errors: expected,
    });
    // Without the status, the batch is not an error, and the message says how to read it.
    expect(parse([], text(body)).stderr).toContain("with --status 207");
  });

  it("decodes MessagePack bytes as an Atlas ErrorMessage", () => {
    const bytes = encodeErrorMessage({ code: 4001, message: "rate limit exceeded", ref_msg_id: "msg_1" });
    expect(parse(["--json"], bytes).stdout).toContain('"code":4001');
  });

  it("decodes a Tryll frame given as hex or base64", () => {
    const frame = encodeErrorFrame(
      new TryllError({
        protocol: "tryll",
        code: 3004,
        message: "agent busy",
        known: true,
        retryable: "maybe",
        action: "wait",
      }),
    );
    for (const input of [hex(frame), Buffer.from(frame).toString("base64"), frame]) {
      const result = parse(["--protocol", "tryll"], typeof input === "string" ? text(input) : input);
      expect(result.stdout).toContain("tryll 3004 AgentBusy");
      expect(parse([], typeof input === "string" ? text(input) : input).stdout).toContain("tryll 3004 AgentBusy");
    }
  });

  it("never labels plain text as base64 or binary", () => {
    const result = parse([], text("hello world"));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "wirefault: no protocol reads this payload as an error (text, 11 bytes); try --protocol or --status\n",
    );
    // A word that also spells bytes is named as both.
    expect(parse([], text("cafe")).stderr).toContain("(text, 4 bytes; also tried as base64, 3 bytes decoded)");
  });

  // Regression: `printf 'abcde=' | wirefault parse` exited 1 with atob's DOMException message.
  it("answers badly padded base64 with exit code 2 and one line", () => {
    for (const [args, input] of [
      [[], "abcde="],
      [["--protocol", "tryll"], "ab="],
    ] as const) {
      const result = parse(args, text(input));
      expect(result.code).toBe(2);
      oneLine(result.stderr);
      expect(result.stderr).not.toMatch(/not correctly encoded|Invalid character/);
    }
  });

  it("rejects empty and unrecognisable input and bad options with exit code 2 and one line", () => {
    const cases: [string[], string][] = [
      [[], ""],
      [[], '{"hello":"world"}'],
      [["--status", "abc"], "{}"],
      [["--status", "5e2"], "{}"],
      [["--status", "99"], "{}"],
      [["--status"], "{}"],
      [["--protocol", "mars"], "{}"],
      [["--protocol", "atlas", "--protocol", "tryll"], "{}"],
      [["--nope"], "{}"],
      [["--status", "200"], "<html></html>"],
      [["--protocol", "atlas", "--status", "502"], "<html></html>"],
      [["-f", "x", "payload"], ""],
      [[], "\u001b[31mred\u001b[0m"],
    ];
    for (const [args, input] of cases) {
      const result = parse(args, text(input));
      expect(result.code, JSON.stringify(args)).toBe(2);
      oneLine(result.stderr);
    }
  });

  it("escapes control characters in what it prints, so a message cannot forge lines", () => {
    const result = parse([], text('{"type":"error","code":"AGENT_OFFLINE","error":"a\\nb\\u001b[2J"}'));
    // Core escapes control characters in every message it builds (as \n or \xHH); the CLI never prints one raw.
    expect(result.stdout).toContain("a\\nb\\x1b[2J");
    expect(result.stdout).not.toContain("\u001b");
  });
});

describe("run and main", () => {
  it("prints help with the exit codes, and rejects unknown commands", async () => {
    const help = await run([], none);
    expect(help.stdout).toBe(HELP);
    expect(HELP).toMatch(/exit codes:\n\s+0 .+\n\s+1 .+\n\s+2 .+/);
    expect((await run(["parse", "--help"], none)).stdout).toBe(HELP);
    const unknown = await run(["frobnicate"], none);
    expect(unknown.code).toBe(2);
    oneLine(unknown.stderr);
  });

  it("prints the package's version", async () => {
    const { version } = (await import("../package.json")).default;
    expect(VERSION).toBe(version);
    for (const flag of ["--version", "-V", "version"]) expect((await run([flag], none)).stdout).toBe(`${version}\n`);
  });

  it("reads the payload from a file with -f, from stdin with -f - or by default", async () => {
    const files = new Map([["err.json", text('{"code":4001,"message":"m"}')]]);
    const readFile = async (path: string) => {
      const bytes = files.get(path);
      if (!bytes) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: "ENOENT" });
      return bytes;
    };
    const stdin = async () => text('{"type":"error","code":"AGENT_OFFLINE","error":"x"}');
    expect((await main(["parse", "-f", "err.json"], { stdin, readFile })).stdout).toContain("atlas 4001");
    expect((await main(["parse", "--file=err.json"], { stdin, readFile })).stdout).toContain("atlas 4001");
    expect((await main(["parse", "-f", "-"], { stdin, readFile })).stdout).toContain("ckg-relay AGENT_OFFLINE");
    expect((await main(["parse"], { stdin, readFile })).stdout).toContain("ckg-relay AGENT_OFFLINE");
    const missing = await main(["parse", "-f", "nope.json"], { stdin, readFile });
    expect(missing).toEqual({ code: 2, stdout: "", stderr: 'wirefault: cannot read "nope.json" (ENOENT)\n' });
  });

  it("turns a failure of its own into exit code 1 and one line, never a rejection", async () => {
    // Input no real stdin can give: bytes whose every read throws, with a forged stack line.
    const hostile = new Proxy(new Uint8Array(), {
      get(_, key) {
        if (key === "then") return undefined;
        throw new Error("boom\n    at forged (x.js:1:1)");
      },
    });
    const result = await main(["parse"], { stdin: async () => hostile, readFile: async () => hostile });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("wirefault: internal error (please report it): boom\\u000a    at forged (x.js:1:1)\n");
    const unreadable = await main(["parse"], {
      stdin: () => Promise.reject(Object.assign(new Error("resource busy"), { code: "EAGAIN" })),
      readFile: async () => hostile,
    });
    expect(unreadable).toEqual({ code: 2, stdout: "", stderr: "wirefault: cannot read stdin (EAGAIN)\n" });
  });
});

describe("no raw control, bidi or line-separator character in any output for a hostile payload", () => {
  // Every character a terminal acts on, in a message, a code, ids and a device id.
  const EVIL = "a\u001b]0;pwned\u0007\u009b2J\u009d8;;x\u0090q\u009c\u0085\u202e\u2066\u2028\u2029\r\nb";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not come out.
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const payloads: readonly [string, string[]][] = [
    [JSON.stringify({ error: { code: EVIL, message: EVIL } }), []],
    [JSON.stringify({ error: { code: "peer_not_found", message: EVIL, peerNodeId: EVIL } }), ["-p", "teale-relay"]],
    [JSON.stringify({ type: "zone.error", request_id: EVIL, code: "full", message: EVIL }), ["-p", "atlas"]],
    [
      // A device id is one token: no whitespace, every other character a terminal acts on.
      JSON.stringify({
        accepted: 0,
        errors: [{ seq: "1", error: "Invalid signature for device d\u001b]0;x\u0007\u009b\u009d\u202e\u2066z" }],
      }),
      ["-p", "telemetry-server", "--status", "207"],
    ],
    [EVIL, ["--status", "500"]],
  ];
  it.each(payloads.flatMap(([body, args]) => [[body, args] as const, [body, [...args, "--json"]] as const]))(
    "%s %j",
    (body, args) => {
      const result = parse(args, text(body));
      expect(result.stdout + result.stderr).not.toMatch(RAW);
      // Lines are the output's own: one per row, never one the payload started.
      expect(result.stdout + result.stderr).not.toContain("\nb");
    },
  );
});
