import { encodeErrorMessage } from "@wirefault/atlas/msgpack";
import { TryllError } from "@wirefault/tryll";
import { encodeErrorFrame } from "@wirefault/tryll/frame";
import { describe, expect, it } from "vitest";
import { explain, list, parse, run } from "./commands.js";

const text = (s: string) => new TextEncoder().encode(s);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

describe("explain", () => {
  it("searches every protocol: 4001 is Atlas ERR_RATE_LIMITED and Tryll InferenceFailed", () => {
    const result = explain(["4001"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("atlas 4001");
    expect(result.stdout).toContain("ERR_RATE_LIMITED");
    expect(result.stdout).toContain("tryll 4001");
    expect(result.stdout).toContain("InferenceFailed");
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

  it("finds codes by constant name, case-insensitively", () => {
    expect(explain(["agentbusy"]).stdout).toContain("tryll 3004");
  });

  it("answers unknown codes, protocols and usage with one line and exit code 2", () => {
    for (const args of [["nope"], ["mars", "1"], [], ["atlas", "1", "2"]]) {
      const result = explain(args);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^wirefault: /);
    }
  });
});

describe("list", () => {
  it("lists every code of every protocol, or of one", () => {
    const all = list([]).stdout.trim().split("\n");
    const atlas = list(["atlas"]).stdout.trim().split("\n");
    expect(atlas.every((line) => line.startsWith("atlas\t"))).toBe(true);
    expect(atlas.length).toBe(27);
    expect(all.length).toBeGreaterThan(atlas.length);
    expect(list(["mars"]).code).toBe(2);
  });
});

describe("parse", () => {
  it("classifies JSON, guessing the protocol", () => {
    const result = parse([], text('{"type":"error","code":"RATE_LIMITED","message":"slow down"}'));
    expect(result.stdout).toContain("ckg-relay RATE_LIMITED");
    expect(result.stdout).toMatch(/action:\s+throttle/);
  });

  it("prints machine-readable JSON with --json, honouring --protocol and --status", () => {
    const result = parse(
      ["--protocol", "telemetry-server", "--status", "409", "--json"],
      text('{"error":"device_already_exists"}'),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ protocol: "telemetry-server", status: 409, known: true });
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
    for (const input of [hex(frame), Buffer.from(frame).toString("base64")]) {
      const result = parse(["--protocol", "tryll"], text(input));
      expect(result.stdout).toContain("tryll 3004 AgentBusy");
    }
  });

  it("rejects empty and unrecognisable input with exit code 2", () => {
    expect(parse([], text("")).code).toBe(2);
    expect(parse([], text('{"hello":"world"}')).code).toBe(2);
    expect(parse(["--status", "abc"], text("{}")).code).toBe(2);
    expect(parse(["--protocol", "mars"], text("{}")).code).toBe(2);
  });
});

describe("run", () => {
  it("prints help and rejects unknown commands", async () => {
    expect((await run([], async () => new Uint8Array())).stdout).toContain("wirefault explain");
    expect((await run(["frobnicate"], async () => new Uint8Array())).code).toBe(2);
  });
});
