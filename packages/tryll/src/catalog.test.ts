import { retry } from "@wirefault/core";
import { recordingClock } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { catalog, codes, layerOf, ranges, TryllErrorCode } from "./catalog.js";
import { protocol as framedProtocol } from "./frame.js";
import { parseError, protocol } from "./protocol.js";

// Every code, from the page and FIELD-NOTES.md, with the recovery the issue
// assigns: [code, name, layer, retryable, action].
const EXPECTED = [
  [1001, "ConnectionFailed", "connection", "yes", "reconnect"],
  [1002, "ConnectionDropped", "connection", "yes", "reconnect"],
  [1003, "Timeout", "connection", "yes", "reconnect"],
  [2001, "ServerShuttingDown", "session", "yes", "reconnect"],
  [2002, "SessionNotReady", "session", "maybe", "reset"],
  [3001, "InvalidAgentId", "agent", "no", "reset"],
  [3002, "AgentAlreadyDestroyed", "agent", "no", "reset"],
  [3003, "GraphCompilationFailed", "agent", "no", "fix-request"],
  [3004, "AgentBusy", "agent", "maybe", "wait"],
  [3005, "UnknownNode", "agent", "no", "fix-request"],
  [3006, "ParamNotMutable", "agent", "no", "fix-request"],
  [3007, "InvalidParamValue", "agent", "no", "fix-request"],
  [3008, "InvalidExitTarget", "agent", "no", "fix-request"],
  [3009, "StorageOutsideRoot", "agent", "no", "fix-request"],
  [3010, "StorageFileNotFound", "agent", "no", "fix-request"],
  [3011, "StorageKindMismatch", "agent", "no", "fix-request"],
  [4001, "InferenceFailed", "inference", "maybe", "retry"],
  [4002, "InferenceTimeout", "inference", "maybe", "retry"],
  [4003, "MaxStepsExceeded", "inference", "maybe", "retry"],
  [4100, "SttModelLoadFailed", "inference", "maybe", "retry"],
  [4101, "AudioFormatUnsupported", "inference", "maybe", "retry"],
  [4102, "VoiceInputNotFound", "inference", "maybe", "retry"],
  [4103, "UtteranceInProgress", "inference", "maybe", "retry"],
  [4104, "NoActiveUtterance", "inference", "maybe", "retry"],
  [4105, "UtteranceTimeout", "inference", "maybe", "retry"],
  [5001, "MalformedMessage", "protocol", "no", "abort"],
  [5002, "UnknownMessageType", "protocol", "no", "abort"],
  [5003, "FrameTooLarge", "protocol", "no", "abort"],
  [5004, "ProtocolVersionMismatch", "protocol", "no", "abort"],
  // FIELD-NOTES.md, third pass: documented by the official C++ client.
  [5005, "DebugCommandsUnavailable", "protocol", "no", "fix-request"],
  [6001, "DownloadFailed", "download", "yes", "retry"],
  [6002, "DownloadNotAvailable", "download", "no", "user-action"],
  [6003, "InsufficientDiskSpace", "download", "no", "user-action"],
  [6004, "DownloadAlreadyActive", "download", "maybe", "wait"],
  [6006, "ModelAutoDownloadFailed", "download", "no", "user-action"],
  [7001, "InvalidStringStorageName", "storage", "no", "fix-request"],
  [7002, "StringStorageAlreadyExists", "storage", "no", "fix-request"],
  [7003, "InvalidStringStorageData", "storage", "no", "fix-request"],
  [7004, "StorageNameInUse", "storage", "no", "fix-request"],
  [8001, "InvalidEmbeddedStringStorageName", "embedded-storage", "no", "fix-request"],
  [8002, "EmbeddedStringStorageAlreadyExists", "embedded-storage", "no", "fix-request"],
  [8003, "InvalidEmbeddedStringStorageData", "embedded-storage", "no", "fix-request"],
] as const;

describe("catalog", () => {
  it("lists exactly the documented codes, in order, on one surface", () => {
    expect(catalog.map((e) => e.code)).toEqual(EXPECTED.map(([code]) => code));
    expect(new Set(catalog.map((e) => e.surface))).toEqual(new Set(["response"]));
    // Tryll has no HTTP status; summaries are one short log line.
    expect(catalog.every((e) => !("status" in e) && e.summary.length > 0 && e.summary.length < 80)).toBe(true);
  });

  it.each(EXPECTED)("%i is %s in the %s layer, retryable %s, action %s", (code, name, layer, retryable, action) => {
    const entry = catalog.find((e) => e.code === code);
    expect(entry).toMatchObject({ name, layer, retryable, action });
    expect(TryllErrorCode[name]).toBe(code);
    expect(layerOf(code)).toBe(layer);
    expect(parseError({ code, message: "m" })).toMatchObject({
      code,
      codeName: name,
      layer,
      retryable,
      action,
      known: true,
      surface: "response",
      status: undefined,
    });
  });

  it("names codes as the C++, Python and Unreal clients do", () => {
    expect(TryllErrorCode.AgentBusy).toBe(3004);
    expect(TryllErrorCode.InvalidExitTarget).toBe(3008);
    expect(Object.keys(TryllErrorCode)).toHaveLength(EXPECTED.length);
    expect(Object.isFrozen(TryllErrorCode) && Object.isFrozen(catalog) && Object.isFrozen(catalog[0])).toBe(true);
  });

  it("gives backoff policies to reconnects and downloads only", () => {
    const withPolicy = catalog.filter((e) => "policy" in e).map((e) => e.code);
    expect(withPolicy).toEqual([1001, 1002, 1003, 2001, 6001]);
    expect(catalog.find((e) => e.code === 2001)).toMatchObject({ policy: { baseMs: 5_000, minDelayMs: 5_000 } });
  });
});

describe("codes, the catalog parseError is built from", () => {
  it("is the catalog without the page's advice, row by row", () => {
    expect(codes.map((entry) => entry.code)).toEqual(catalog.map((entry) => entry.code));
    for (const [i, entry] of catalog.entries()) {
      const { advice: _, ...facts } = entry;
      expect(codes[i]).toEqual(facts);
      expect("advice" in (codes[i] ?? {})).toBe(false);
    }
    expect(catalog.filter((entry) => entry.advice !== undefined).length).toBeGreaterThan(20);
  });

  it("leaves the advice to the whole catalog, which both protocols and their indexes read, ranges included", () => {
    for (const p of [protocol, framedProtocol]) {
      expect(p.catalog).toBe(catalog);
      for (const entry of catalog) expect(p.index.get(entry.code)).toBe(entry);
      expect(p.index.range(3999)?.name).toBe("agent");
    }
    expect(catalog.index.range(6500)?.name).toBe("download");
  });
});

describe("ranges", () => {
  // [min, max, layer] of every documented range; both edges are undocumented
  // codes, so they must stay unknown and `abort` while still naming the layer.
  const RANGES = [
    [1000, 1999, "connection"],
    [2000, 2999, "session"],
    [3000, 3999, "agent"],
    [4000, 4999, "inference"],
    [5000, 5999, "protocol"],
    [6000, 6999, "download"],
    [7000, 7999, "storage"],
    [8000, 8999, "embedded-storage"],
  ] as const;

  it.each(RANGES)("unknown codes %i..%i name the %s layer but abort", (min, max, layer) => {
    for (const code of [min, max]) {
      const err = parseError({ code, message: "from a newer server" });
      expect(err).toMatchObject({
        code,
        message: "from a newer server",
        known: false,
        layer,
        retryable: "no",
        action: "abort",
        codeName: undefined,
        surface: "response",
      });
    }
  });

  it.each([
    [1004, "connection"],
    [2003, "session"],
    [3000, "agent"],
    [3012, "agent"],
    [4004, "inference"],
    [4099, "inference"],
    [4106, "inference"],
    [5006, "protocol"],
    [6005, "download"],
    [6007, "download"],
    [7005, "storage"],
    [8004, "embedded-storage"],
  ] as const)("%i, just past the documented codes, is unknown in the %s layer", (code, layer) => {
    expect(parseError({ code, message: "x" })).toMatchObject({ known: false, layer, action: "abort", retryable: "no" });
  });

  it("treats 6005, the hole between 6004 and 6006, as a protocol violation", () => {
    const err = parseError({ code: 6005, message: "Mystery" });
    expect(err).toMatchObject({ code: 6005, message: "Mystery", known: false, layer: "download", action: "abort" });
    expect(TryllErrorCode).not.toHaveProperty("6005");
  });

  it("gives code 0 the client layer and codes outside every range no layer", () => {
    expect(parseError({ code: 0, message: "x" })).toMatchObject({ known: false, layer: "client", action: "abort" });
    for (const code of [1, 999, 9000, 9999, 4_294_967_295])
      expect(parseError({ code, message: "x" })).toMatchObject({ known: false, layer: undefined, action: "abort" });
  });
});

describe("recovery drives retry()", () => {
  const failing = (code: number, times: number) => {
    let calls = 0;
    return async () => {
      calls++;
      if (calls <= times) throw parseError({ code, message: "m" });
      return calls;
    };
  };

  it("reconnects after ServerShuttingDown with delays of at least 5 s", async () => {
    const clock = recordingClock();
    await expect(retry(failing(2001, 2), { clock, random: () => 0 })).resolves.toBe(3);
    expect(clock.delays).toEqual([5_000, 5_000]);
  });

  it("retries a turn-local inference failure once, and never an invalid agent id", async () => {
    const clock = recordingClock();
    await expect(retry(failing(4001, 5), { clock, random: () => 0.5 })).rejects.toMatchObject({ attempts: 2 });
    await expect(retry(failing(3001, 5), { clock })).rejects.toMatchObject({ code: 3001, attempts: 1 });
    await expect(retry(failing(6005, 5), { clock })).rejects.toMatchObject({ known: false, attempts: 1 });
    expect(clock.delays).toHaveLength(1);
  });

  it("gives a failed download three attempts at most", async () => {
    const clock = recordingClock();
    await expect(retry(failing(6001, 5), { clock, jitter: "none" })).rejects.toMatchObject({ attempts: 3 });
    expect(clock.delays).toEqual([2_000, 4_000]);
  });
});

describe("the exported ranges", () => {
  it("are the layers layerOf names, and leave an unlisted code unclassified", () => {
    expect(ranges.map((range) => range.name)).toEqual([
      "client",
      "connection",
      "session",
      "agent",
      "inference",
      "protocol",
      "download",
      "storage",
      "embedded-storage",
    ]);
    for (const range of ranges) {
      expect(layerOf(range.min)).toBe(range.name);
      expect(layerOf(range.max)).toBe(range.name);
      expect(range.retryable).toBeUndefined();
    }
  });
});
