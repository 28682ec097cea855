// Regressions of the fuzz suite (fuzz.test.ts), replayed on every build.
//
// 1. "found by the fuzz suite": each failing seed's minimal input, replayed
//    directly. These fail until the package named in the test is fixed.
// 2. "nastiest inputs": not failures, but the inputs most likely to break a
//    parser (size edges, deep nesting, regex and scanner stressors, MessagePack
//    and FlatBuffers structures built to exhaust a decoder), each held to a
//    budget: at most HOSTILE_RATIO times the CPU time of an ordinary input of
//    the same size (costAgainstOrdinary). No wall-clock bound.
// 3. "pollution": the canonical `__proto__` / `constructor.prototype`
//    payloads planted at every object node of every documented shape.
// 4. "the fuzz harness itself": it does catch pollution, throws and a cost over budget.

import { encode } from "@msgpack/msgpack";
import { AtlasError, parseError as atlasParse } from "@wirefault/atlas";
import { parseError as atlasParseMsgpack, decodeErrorMessage } from "@wirefault/atlas/msgpack";
import {
  CkgRelayError,
  fromClose as ckgFromClose,
  fromResponse as ckgFromResponse,
  parseError as ckgParse,
  isErrorMessage,
} from "@wirefault/ckg-relay";
import type { ProtocolError } from "@wirefault/core";
import {
  isErrorFrame,
  TealeRelayError,
  fromClose as tealeFromClose,
  fromResponse as tealeFromResponse,
  parseError as tealeParse,
} from "@wirefault/teale-relay";
import {
  parseBatchResponse,
  readBatchResponse,
  TelemetryServerError,
  fromResponse as telemetryFromResponse,
  parseError as telemetryParse,
} from "@wirefault/telemetry-server";
import { costRatio } from "@wirefault/test-utils";
import { TryllError, parseError as tryllParse } from "@wirefault/tryll";
import { decodeFrame, encodeErrorFrame, FrameReader, parseError as tryllParseFrame } from "@wirefault/tryll/frame";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonText, type PollutionKind, pollutedText, revokedProxy, throwingProxy, utf8 } from "./fuzz/arbitraries.js";
import {
  assertNoPollution,
  checkError,
  costAgainstOrdinary,
  costAgainstOrdinaryAsync,
  fuzz,
  HOSTILE_RATIO,
  ordinaryText,
} from "./fuzz/harness.js";
import {
  ATLAS_MAX,
  MIB,
  manyKeys,
  type Nasty,
  nastyBytes,
  nastyFrames,
  nastyMsgpack,
  nastyText,
  POLLUTION_TEXTS,
} from "./fuzz/nasty.js";

type ErrorClass = abstract new (...args: never[]) => ProtocolError;

/** A parser of one protocol, as the regressions call it. */
interface Parser {
  readonly name: string;
  readonly parse: (input: unknown) => unknown;
  readonly cls: ErrorClass;
  readonly protocol: string;
}

const PARSERS: readonly Parser[] = [
  { name: "teale-relay parseError", parse: (i) => tealeParse(i), cls: TealeRelayError, protocol: "teale-relay" },
  {
    name: "telemetry-server parseError",
    parse: (i) => telemetryParse(i),
    cls: TelemetryServerError,
    protocol: "telemetry-server",
  },
  { name: "ckg-relay parseError", parse: (i) => ckgParse(i), cls: CkgRelayError, protocol: "ckg-relay" },
  { name: "atlas parseError", parse: (i) => atlasParse(i), cls: AtlasError, protocol: "atlas" },
  { name: "atlas/msgpack parseError", parse: (i) => atlasParseMsgpack(i), cls: AtlasError, protocol: "atlas" },
  { name: "tryll parseError", parse: (i) => tryllParse(i), cls: TryllError, protocol: "tryll" },
  { name: "tryll/frame parseError", parse: (i) => tryllParseFrame(i), cls: TryllError, protocol: "tryll" },
];

const BATCH = {
  name: "telemetry-server parseBatchResponse(207)",
  parse: (input: unknown) => parseBatchResponse(207, input),
};

interface ResponseReader {
  readonly name: string;
  /** The body cap, when it is not 1 MiB. */
  readonly cap?: number;
  readonly read: (res: Response) => Promise<unknown>;
  readonly check: (result: unknown) => void;
}

const READERS: readonly ResponseReader[] = [
  {
    name: "teale-relay fromResponse",
    // Bun's 16 MiB: a real relay frame can be that large.
    cap: 16 * 1024 * 1024,
    read: tealeFromResponse,
    check: (r) => checkError(r, TealeRelayError, "teale-relay"),
  },
  {
    name: "telemetry-server fromResponse",
    read: telemetryFromResponse,
    check: (r) => checkError(r, TelemetryServerError, "telemetry-server"),
  },
  {
    name: "telemetry-server readBatchResponse",
    read: (res) => readBatchResponse(res),
    check: (r) => expect(r).toHaveProperty("errors"),
  },
  { name: "ckg-relay fromResponse", read: ckgFromResponse, check: (r) => checkError(r, CkgRelayError, "ckg-relay") },
];

const boom = (): never => {
  throw new Error("hostile context");
};

/** Every documented shape of each protocol, as the page shows it. */
const SHAPES: Readonly<Record<string, readonly unknown[]>> = {
  "teale-relay": [
    { error: { code: "peer_not_found", message: "Peer abc is not connected" } },
    { error: { code: "rate_limited", message: "slow down", retryAfterSeconds: 10 } },
    { error: { message: "Incorrect API key", type: "authentication_error", code: "invalid_api_key" } },
    { inferenceError: { requestID: "req-1", errorMessage: "queue is full", code: "queue_full" } },
  ],
  "telemetry-server": [
    { error: "validation_error", details: [{ code: "invalid_type", path: ["blocks", 0], message: "Required" }] },
    { statusCode: 400, code: "FST_ERR_VALIDATION", error: "Bad Request", message: "body/blocks must NOT have more" },
    { seq: "7", error: "Device not found: 0a1b2c" },
    { error: "Device not found" },
  ],
  "ckg-relay": [
    { type: "error", code: "AGENT_OFFLINE", message: "Agent is offline", event_id: "evt_123" },
    { type: "error", event_id: "evt_1", error: { message: "Too many", code: "RATE_LIMITED" } },
    { code: "RATE_LIMITED", message: "slow down", retry_after: 12 },
  ],
  atlas: [
    { code: 4001, message: "rate limit exceeded", ref_msg_id: "msg_01JX" },
    { type: "zone.error", request_id: "req_01JX", code: "not_member", message: "join first" },
  ],
  tryll: [
    { code: 3001, message: "no agent 17", request_id: "18446744073709551615", agent_id: 17 },
    { code: 4001, message: "", requestId: "5", agentId: "0" },
  ],
};

// ---------------------------------------------------------------------------
// 1. Found by the fuzz suite

describe("found by the fuzz suite", () => {
  // Seed -1835797936 and others, shrunk to `ckgParse({}, <revoked proxy>)`: the
  // catch path reads `context.status` / `context.retryAfterMs` again, outside
  // any try, so a context whose getters throw escapes parseError.
  it.each([
    [
      "a context whose status getter throws",
      () => ({
        get status(): number {
          return boom();
        },
      }),
    ],
    ["a revoked proxy as context", () => revokedProxy()],
    ["a proxy context whose traps all throw", () => throwingProxy()],
  ])("ckg-relay parseError never throws, given %s", (_name, context) => {
    for (const input of [{}, "{}", "not json", { type: "error", code: "AGENT_OFFLINE" }]) {
      const err = ckgParse(input, context() as { status?: number });
      checkError(err, CkgRelayError, "ckg-relay");
    }
  });

  // Found while shrinking the case above: a `null` context (a JS caller's
  // `parseError(body, null)`) makes ckg-relay throw, and makes teale-relay,
  // atlas and tryll read `context.status` off null inside their try, so a
  // valid error comes back WIREFAULT_MALFORMED. telemetry-server reads the
  // context with field() and gets it right.
  it.each([
    ["teale-relay", (i: unknown, c: unknown) => tealeParse(i, c as undefined)],
    ["telemetry-server", (i: unknown, c: unknown) => telemetryParse(i, c as undefined)],
    ["ckg-relay", (i: unknown, c: unknown) => ckgParse(i, c as undefined)],
    ["atlas", (i: unknown, c: unknown) => atlasParse(i, c as undefined)],
    ["tryll", (i: unknown, c: unknown) => tryllParse(i, c as undefined)],
  ] as const)("%s parseError reads a null context as no context", (protocol, parse) => {
    for (const shape of SHAPES[protocol]!) {
      const expected = parse(shape, undefined) as ProtocolError;
      let got: unknown;
      expect(() => {
        got = parse(shape, null);
      }, jsonText(shape)).not.toThrow();
      expect((got as ProtocolError).code, jsonText(shape)).toBe(expected.code);
      expect((got as ProtocolError).known).toBe(expected.known);
    }
  });

  // Shrunk to a validation_error whose issue has a throwing getter. parseError
  // keeps each `details` issue by reference, so JSON.stringify(err), and any
  // logger, throws; a cyclic issue does the same.
  it.each([
    [
      "an issue with a throwing getter",
      () => {
        const issue = { code: "invalid_type", path: [], message: "" };
        return Object.defineProperty(issue, "expected", { get: boom, enumerable: true });
      },
    ],
    [
      "a cyclic issue",
      () => {
        const issue: Record<string, unknown> = { code: "invalid_type", path: [], message: "" };
        issue.self = issue;
        return issue;
      },
    ],
  ])("telemetry-server: JSON.stringify of a parsed validation_error never throws, given %s", (_name, issue) => {
    const err = telemetryParse({ error: "validation_error", details: [issue()] });
    checkError(err, TelemetryServerError, "telemetry-server");
    expect(() => JSON.stringify(err)).not.toThrow();
  });

  // V8's JSON.parse takes ~45 ms on 1 MiB of `[` and ~60 ms on 512 Ki nested
  // arrays (2 cores, Node 20), before any package code runs. Within the 1 MiB
  // cap, so every JSON parser went over the old 50 ms limit. A depth pre-scan
  // (as @wirefault/atlas/msgpack does for MessagePack) would refuse these in ~1 ms.
  const deep = (): Nasty[] =>
    nastyText().filter(({ name }) => name.startsWith("1 MiB of '['") || name.startsWith("nesting 512"));
  describe("big nested (and, for Atlas, wide) JSON under the cap costs within HOSTILE_RATIO of an ordinary body", () => {
    // Every input over budget at once, so that a failure lists them all with their ratios.
    const over = (ratios: readonly (readonly [string, number])[]): string[] =>
      ratios.filter(([, ratio]) => !(ratio < HOSTILE_RATIO)).map(([name, ratio]) => `${name}: ${ratio.toFixed(1)}x`);
    for (const parser of PARSERS)
      it(parser.name, () => {
        const ratios = deep().map(({ name, input }) => {
          const { result, ratio } = costAgainstOrdinary(parser.parse, input);
          checkError(result, parser.cls, parser.protocol);
          return [name, ratio] as const;
        });
        expect(over(ratios)).toEqual([]);
      });
    // Atlas reads JSON up to its 4 MB MAX_PAYLOAD_SIZE, so its worst case is four
    // times longer, and flat JSON is slow too (an ErrorMessage is a few hundred bytes).
    it("atlas parseError and atlas/msgpack parseError, JSON at Atlas's own 4 MiB cap", () => {
      const half = ATLAS_MAX / 2;
      const inputs: Nasty[] = [
        { name: "4 MiB of '['", input: "[".repeat(ATLAS_MAX) },
        { name: "2 Mi nested arrays, valid", input: `${"[".repeat(half)}${"]".repeat(half)}` },
        { name: "4 MiB of object keys", input: manyKeys(ATLAS_MAX) },
        { name: "a flat 4 MiB array", input: `[${"1,".repeat(half - 2)}1]` },
      ];
      const ratios = [
        ["atlas", atlasParse],
        ["atlas/msgpack", atlasParseMsgpack],
      ].flatMap(([entry, parse]) =>
        inputs.map(({ name, input }) => {
          const { result, ratio } = costAgainstOrdinary(parse as (i: unknown) => AtlasError, input);
          checkError(result, AtlasError, "atlas");
          return [`${entry} ${name}`, ratio] as const;
        }),
      );
      expect(over(ratios)).toEqual([]);
    });
    for (const reader of READERS)
      it(reader.name, async () => {
        const ratios: (readonly [string, number])[] = [];
        for (const { name, input } of deep()) {
          const { result, ratio } = await costAgainstOrdinaryAsync(
            (body) => reader.read(new Response(body as string, { status: 500 })),
            input,
          );
          reader.check(result);
          ratios.push([name, ratio]);
        }
        expect(over(ratios)).toEqual([]);
      });
  });
});

// ---------------------------------------------------------------------------
// 2. The nastiest inputs

const KNOWN_SLOW = new Set(["1 MiB of '['", "nesting 512 Ki arrays deep, valid"]);
const notKnownSlow = (list: readonly Nasty[]) =>
  list.filter(({ name }) => !KNOWN_SLOW.has(name.replace(/ \(bytes\)$/, "")));

/** Asserts a cost ratio within HOSTILE_RATIO, naming the input. */
const withinBudget = (name: string, ratio: number): void =>
  expect(ratio, `${name}: ${ratio.toFixed(1)}x an ordinary input of its size`).toBeLessThan(HOSTILE_RATIO);

/** A Tryll frame of `size` bytes holding one ordinary error: what a nasty frame is measured against. */
const ordinaryFrame = (size: number): Uint8Array => {
  const frame = encodeErrorFrame({ code: 3004, message: "m".repeat(Math.max(0, size - 64)) });
  return frame;
};
/** An Atlas MessagePack ErrorMessage of about `size` bytes, one long message. */
const ordinaryMsgpack = (size: number): Uint8Array =>
  encode({ code: 4001, message: "m".repeat(Math.max(0, size - 24)) });

describe("nastiest inputs", () => {
  for (const parser of PARSERS)
    it(`${parser.name}: every nasty text and byte input, within ${HOSTILE_RATIO}x an ordinary input's CPU time`, () => {
      for (const { name, input } of [...notKnownSlow(nastyText()), ...notKnownSlow(nastyBytes())]) {
        const { result, ratio } = costAgainstOrdinary(parser.parse, input);
        checkError(result, parser.cls, parser.protocol);
        withinBudget(name, ratio);
        assertNoPollution();
      }
    });

  it(`${BATCH.name} and the boolean checks: every nasty text, within ${HOSTILE_RATIO}x`, () => {
    for (const { name, input } of notKnownSlow(nastyText())) {
      for (const run of [BATCH.parse, isErrorFrame, isErrorMessage] as ((i: unknown) => unknown)[]) {
        withinBudget(name, costAgainstOrdinary(run, input).ratio);
      }
    }
  });

  for (const reader of READERS)
    it(`${reader.name}: every nasty body, within ${HOSTILE_RATIO}x an ordinary body's CPU time`, async () => {
      for (const { name, input } of notKnownSlow(nastyText())) {
        for (const status of [200, 207, 400, 500, 503]) {
          const { result, ratio } = await costAgainstOrdinaryAsync(
            (body) => reader.read(new Response(body as string, { status })),
            input,
          );
          reader.check(result);
          withinBudget(`${name} (${status})`, ratio);
        }
      }
    });

  it("a body one chunk over the cap, streamed in 1 KiB chunks, is refused without being read whole", async () => {
    for (const reader of READERS) {
      const cap = reader.cap ?? MIB;
      let pulled = 0;
      const endless = () => {
        const chunk = new Uint8Array(1024).fill(0x61);
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulled * 1024 > 4 * cap) return controller.close();
            pulled++;
            controller.enqueue(chunk);
          },
        });
      };
      const { result, ratio } = await costAgainstOrdinaryAsync(
        (body) => reader.read(new Response(body === "endless" ? endless() : (body as string), { status: 503 })),
        "endless",
        ordinaryText(cap),
      );
      reader.check(result);
      withinBudget(`${reader.name}: endless body`, ratio);
      pulled = 0;
      await reader.read(new Response(endless(), { status: 503 }));
      expect(pulled * 1024).toBeLessThan(cap + 64 * 1024);
    }
  });

  it(`atlas: every nasty MessagePack payload, within ${HOSTILE_RATIO}x an ordinary message's CPU time`, () => {
    for (const { name, input } of nastyMsgpack()) {
      const ordinary = ordinaryMsgpack((input as Uint8Array).byteLength);
      for (const parse of [decodeErrorMessage, atlasParseMsgpack, atlasParse] as const) {
        const { result, ratio } = costAgainstOrdinary((i) => parse(i as Uint8Array), input, ordinary);
        checkError(result, AtlasError, "atlas");
        expect((result as AtlasError).known, name).toBe(false);
        withinBudget(name, ratio);
        assertNoPollution();
      }
    }
  });

  it(`tryll: every nasty frame through decodeFrame and parseError, within ${HOSTILE_RATIO}x an ordinary frame`, () => {
    for (const { name, input } of nastyFrames()) {
      const ordinary = ordinaryFrame((input as Uint8Array).byteLength);
      const decoded = costAgainstOrdinary((i) => decodeFrame(i as Uint8Array), input, ordinary);
      if (decoded.result !== undefined) checkError(decoded.result, TryllError, "tryll");
      withinBudget(`decodeFrame ${name}`, decoded.ratio);
      for (const parse of [tryllParseFrame, tryllParse]) {
        const { result, ratio } = costAgainstOrdinary(parse, input, ordinary);
        checkError(result, TryllError, "tryll");
        withinBudget(name, ratio);
      }
    }
  });

  it("tryll: FrameReader takes a 1 MiB frame in 64 KiB chunks, then stops at a 0xFFFFFFFF prefix until reset", () => {
    const [, full] = nastyFrames();
    const frame = full!.input as Uint8Array;
    // In 64 KiB chunks against in one piece: the reassembly costs about what the single push does.
    const chunked = () => {
      const r = new FrameReader();
      let out: Uint8Array[] = [];
      for (let at = 0; at < frame.length; at += 64 * 1024) out = out.concat(r.push(frame.subarray(at, at + 64 * 1024)));
      return out;
    };
    withinBudget(
      "1 MiB frame in 64 KiB chunks",
      costRatio(() => new FrameReader().push(frame), chunked, { rounds: 3 }),
    );
    const reader = new FrameReader();
    let frames: Uint8Array[] = [];
    for (let at = 0; at < frame.length; at += 64 * 1024)
      frames = frames.concat(reader.push(frame.subarray(at, at + 64 * 1024)));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.length).toBe(MIB + 4);
    expect(reader.buffered).toBe(0);

    expect(reader.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1, 2, 3))).toEqual([]);
    checkError(reader.error, TryllError, "tryll");
    expect(reader.push(frame)).toEqual([]);
    expect(reader.buffered).toBe(0);
    reader.reset();
    expect(reader.error).toBeUndefined();
    expect(reader.push(frame)).toHaveLength(1);
  });

  it(`fromClose: 1 MiB reasons as text, bytes and Buffer, within ${HOSTILE_RATIO}x a 123-byte reason`, () => {
    const text = "Replaced by newer session".padEnd(MIB, "x");
    for (const reason of [text, utf8(text), Buffer.from(text)]) {
      const short = typeof reason === "string" ? text.slice(0, 123) : reason.subarray(0, 123);
      for (const code of [1000, 1006, 1012, 4001, 4999, 5000, -1, Number.NaN]) {
        const ckg = costAgainstOrdinary((r) => ckgFromClose(code, r), reason, short);
        checkError(ckg.result, CkgRelayError, "ckg-relay");
        withinBudget(`ckg ${code}`, ckg.ratio);
        const teale = costAgainstOrdinary((r) => tealeFromClose(code, r as string), reason, short);
        checkError(teale.result, TealeRelayError, "teale-relay");
        withinBudget(`teale ${code}`, teale.ratio);
        expect(ckg.result.message.length).toBeLessThanOrEqual(200);
        expect(teale.result.message.length).toBeLessThanOrEqual(200);
      }
    }
  });
});

// ---------------------------------------------------------------------------
// 3. Pollution payloads at every node of every documented shape

const nodeCount = (value: unknown): number =>
  typeof value !== "object" || value === null
    ? 0
    : (Array.isArray(value) ? 0 : 1) + Object.values(value).reduce<number>((n, v) => n + nodeCount(v), 0);

const KINDS: readonly PollutionKind[] = ["__proto__", "constructor", "prototype", "double"];
const PAYLOAD = { polluted: 1, code: "peer_not_found", message: "from the prototype", type: "error", isAdmin: true };

describe("pollution", () => {
  for (const parser of PARSERS) {
    const shapes = SHAPES[parser.protocol]!;
    it(`${parser.name}: canonical payloads, whole and at every node of every shape, leave prototypes and results alone`, () => {
      for (const text of POLLUTION_TEXTS)
        for (const input of [text, JSON.parse(text), utf8(text)]) {
          checkError(parser.parse(input), parser.cls, parser.protocol);
          assertNoPollution();
        }
      for (const shape of shapes) {
        const clean = parser.parse(shape) as ProtocolError;
        for (const kind of KINDS)
          for (let node = 0; node < nodeCount(shape); node++) {
            const text = pollutedText(shape, kind, PAYLOAD, [node]);
            for (const input of [text, JSON.parse(text), utf8(text)]) {
              const err = parser.parse(input) as ProtocolError;
              checkError(err, parser.cls, parser.protocol);
              assertNoPollution();
              // `__proto__` and `constructor` keys are data, never fields: the result is the clean one.
              expect({ code: err.code, message: err.message }, `${kind} at node ${node} of ${jsonText(shape)}`).toEqual(
                {
                  code: clean.code,
                  message: clean.message,
                },
              );
            }
          }
      }
    });
  }

  it("atlas/msgpack: constructor.prototype payloads in MessagePack at every node; a __proto__ key is malformed", () => {
    for (const shape of SHAPES.atlas!) {
      const clean = decodeErrorMessage(encode(shape));
      expect(clean.known).toBe(true);
      for (let node = 0; node < nodeCount(shape); node++) {
        const err = decodeErrorMessage(encode(JSON.parse(pollutedText(shape, "constructor", PAYLOAD, [node]))));
        assertNoPollution();
        expect(err.code).toBe(clean.code);
        const proto = decodeErrorMessage(encode(JSON.parse(pollutedText(shape, "__proto__", PAYLOAD, [node]))));
        assertNoPollution();
        checkError(proto, AtlasError, "atlas");
        expect(proto.code).toBe("WIREFAULT_MALFORMED");
      }
    }
  });

  it("telemetry-server parseBatchResponse: payloads in the batch and in each entry", () => {
    const batch = { accepted: 1, errors: [{ seq: 2, error: "Invalid signature for device ff00" }] };
    const clean = parseBatchResponse(207, batch, { sent: 3 });
    for (const kind of KINDS)
      for (let node = 0; node < nodeCount(batch); node++) {
        const text = pollutedText(batch, kind, PAYLOAD, [node]);
        for (const input of [text, JSON.parse(text)]) {
          const result = parseBatchResponse(207, input, { sent: 3 });
          assertNoPollution();
          expect(result.error).toBeUndefined();
          expect(result.errors.map((e) => [e.code, e.seq, e.deviceId])).toEqual(
            clean.errors.map((e) => [e.code, e.seq, e.deviceId]),
          );
        }
      }
  });
});

// ---------------------------------------------------------------------------
// 4. The harness catches what it is meant to catch

describe("the fuzz harness itself", () => {
  it("detects prototype pollution by a naive deep merge, and repairs it", () => {
    const merge = (target: Record<string, unknown>, source: Record<string, unknown>): void => {
      for (const key of Object.keys(source)) {
        const value = source[key];
        if (typeof value === "object" && value !== null) {
          target[key] ??= {};
          merge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
        } else target[key] = value;
      }
    };
    merge({}, JSON.parse(POLLUTION_TEXTS[0]!) as Record<string, unknown>);
    expect(({} as Record<string, unknown>).polluted).toBe(1);
    expect(() => assertNoPollution()).toThrow(/prototype pollution: .*polluted/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => assertNoPollution()).not.toThrow();
  });

  it("fails a parser that throws", () => {
    // fast-check reports the property's own error as the cause of its failure.
    const failure = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        const parts: string[] = [];
        for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message);
        return parts.join(" <- ");
      }
      return "no failure";
    };
    const base = { arbitrary: fc.constant(1), runs: 3, check: () => {} };
    expect(failure(() => fuzz({ ...base, name: "thrower", parse: () => boom() }))).toMatch(/thrower threw/);
  });

  it("costAgainstOrdinary puts a parser quadratic on one shape over budget, a linear one within", () => {
    // Linear on ordinary text, quadratic on a run of `[`: the bug the budget exists to catch.
    const shapeSensitive = (input: unknown) => {
      const text = String(input);
      let n = 0;
      if (text.startsWith("["))
        for (let i = 0; i < text.length; i++) for (let j = i; j < text.length; j++) n += text.charCodeAt(j) & 1;
      else for (let i = 0; i < text.length; i++) n += text.charCodeAt(i) & 1;
      return n;
    };
    // The same work per character on any shape (a split would allocate one string per `[`).
    const linear = (input: unknown) => {
      const text = String(input);
      let n = 0;
      for (let i = 0; i < text.length; i++) n += text.charCodeAt(i) & 1;
      return n;
    };
    const hostile = "[".repeat(8192);
    expect(costAgainstOrdinary(linear, hostile).ratio).toBeLessThan(HOSTILE_RATIO);
    expect(costAgainstOrdinary(shapeSensitive, hostile).ratio).toBeGreaterThan(HOSTILE_RATIO);
  });
});
