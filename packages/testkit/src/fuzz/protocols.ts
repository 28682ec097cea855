// Per-protocol arbitraries: each protocol's own field names and codes, its
// documented shapes with fields that may have the wrong type, MessagePack for
// Atlas, byte-mutated FlatBuffers frames for Tryll, close events and HTTP
// responses for the packages that read them.
import { encode } from "@msgpack/msgpack";
import { catalog as atlasCatalog, parseError as atlasParse } from "@wirefault/atlas";
import { encodeErrorMessage } from "@wirefault/atlas/msgpack";
import { catalog as ckgCatalog, codeAliases } from "@wirefault/ckg-relay";
import { catalog as tealeCatalog } from "@wirefault/teale-relay";
import { catalog as telemetryCatalog } from "@wirefault/telemetry-server";
import { catalog as tryllCatalog } from "@wirefault/tryll";
import { encodeErrorFrame, encodeTurnCompleteFrame } from "@wirefault/tryll/frame";
import fc from "fast-check";
import {
  edgeNumber,
  exoticValue,
  jsonText,
  junk,
  Lazy,
  leaf,
  mutate,
  mutatedJsonInputs,
  mutation,
  parserInputs,
  pollutedText,
  pollutionPayload,
  repeatedInputs,
  revokedProxy,
  slot,
  throwingProxy,
  tree,
  utf8,
  type Vocabulary,
} from "./arbitraries.js";

const codesOf = (catalog: readonly { readonly code: string | number }[]): (string | number)[] =>
  catalog.map((entry) => entry.code);

const LOCAL = ["WIREFAULT_MALFORMED", "WIREFAULT_TOO_LARGE", ""];
const text = (vocab: Vocabulary): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...vocab.strings) },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }) },
  );
/** A record of the model: usually with every key, sometimes with any subset of them. */
function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<Partial<T>> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record(model) as fc.Arbitrary<Partial<T>> },
    { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Partial<T>> },
  );
}

/** A protocol's vocabulary and the values and inputs built from it. */
export interface ProtocolArbitraries {
  readonly vocab: Vocabulary;
  /** Decoded, JSON-safe protocol values: the documented shapes and free trees. */
  readonly values: fc.Arbitrary<unknown>;
  /** Every form `parseError` takes, hostile ones included. */
  readonly inputs: fc.Arbitrary<unknown>;
}

function arbitraries(vocab: Vocabulary, shapes: readonly fc.Arbitrary<unknown>[]): ProtocolArbitraries {
  const values = fc.oneof(...shapes.map((shape) => ({ weight: 3, arbitrary: shape })), {
    weight: 1,
    arbitrary: tree(vocab),
  });
  return { vocab, values, inputs: parserInputs(values, vocab) };
}

// ---------------------------------------------------------------------------
// teale-relay

const tealeVocab: Vocabulary = {
  keys: [
    "error",
    "code",
    "message",
    "retryAfterSeconds",
    "type",
    "param",
    "inferenceError",
    "requestID",
    "errorMessage",
  ],
  codes: [
    ...codesOf(tealeCatalog),
    "queue_full",
    "unavailable",
    "timeout",
    "cancelled",
    "invalid_api_key",
    "authentication_error",
    "invalid_request_error",
    "service_unavailable",
    ...LOCAL,
  ],
  strings: [
    "Peer abc123 is not connected",
    "Peer undefined is not connected",
    "Peer  is not connected",
    "Peer is not connected",
    "Replaced by newer session",
    "rate limit exceeded",
    "Incorrect API key provided: Bearer sk-test-0123",
  ],
};
const tealeCode = fc.constantFrom(...tealeVocab.codes);
export const teale: ProtocolArbitraries = arbitraries(tealeVocab, [
  fc.record({
    error: slot(
      record({
        code: slot(tealeCode, tealeVocab),
        message: slot(text(tealeVocab), tealeVocab),
        retryAfterSeconds: slot(fc.oneof(fc.nat(), edgeNumber), tealeVocab),
      }),
      tealeVocab,
    ),
  }),
  fc.record({
    error: slot(
      record({
        message: slot(text(tealeVocab), tealeVocab),
        type: slot(fc.oneof(tealeCode, fc.constant(null)), tealeVocab),
        code: slot(fc.oneof(tealeCode, fc.constant(null)), tealeVocab),
        param: slot(fc.constant(null), tealeVocab),
      }),
      tealeVocab,
    ),
  }),
  fc.record({
    inferenceError: slot(
      record({
        requestID: slot(text(tealeVocab), tealeVocab),
        errorMessage: slot(text(tealeVocab), tealeVocab),
        code: slot(fc.oneof(tealeCode, fc.constant(null)), tealeVocab),
      }),
      tealeVocab,
    ),
  }),
]);

// ---------------------------------------------------------------------------
// telemetry-server

const telemetryVocab: Vocabulary = {
  keys: ["error", "code", "message", "statusCode", "details", "seq", "accepted", "errors", "reason", "path"],
  codes: [
    ...codesOf(telemetryCatalog),
    "Bad Request",
    "Unauthorized",
    "FST_ERR_CTP_EMPTY_JSON_BODY",
    "blocks must have 1..100 items",
    "invalid_type",
    ...LOCAL,
  ],
  strings: [
    "Device not found: 0a1b2c3d",
    "Device not found 0a1b",
    "Device  not\tfound:   ff",
    "Device not found: a b",
    "Device not found:",
    "Invalid signature for device ff00aa",
    "Invalid signature for device",
    "Invalid  signature for device 00 11",
    "Invalid payload: bad cbor",
    "Invalid payload",
    "Invalid\u00a0payload:x",
    "Required",
  ],
};
const telemetryText = text(telemetryVocab);
const seq = fc.oneof(fc.nat(), fc.nat().map(String), edgeNumber, fc.string({ maxLength: 6 }));
const blockEntry = fc.record(
  { seq: slot(seq, telemetryVocab), error: slot(telemetryText, telemetryVocab) },
  { requiredKeys: ["error"] },
);
const issue = record({
  code: slot(fc.constantFrom("invalid_type", "too_big", "custom"), telemetryVocab),
  path: slot(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.nat(), edgeNumber), { maxLength: 4 }), telemetryVocab),
  message: slot(telemetryText, telemetryVocab),
  expected: fc.constant("string"),
});
/** Bodies of a 200 or 207 answer to `POST /v1/telemetry`. */
export const telemetryBatch = record({
  accepted: slot(fc.oneof(fc.nat({ max: 200 }), edgeNumber), telemetryVocab),
  errors: slot(fc.array(blockEntry, { maxLength: 6 }), telemetryVocab),
});
export const telemetry: ProtocolArbitraries = arbitraries(telemetryVocab, [
  record({
    error: slot(fc.constantFrom(...telemetryVocab.codes), telemetryVocab),
    details: slot(fc.array(issue, { maxLength: 4 }), telemetryVocab),
  }),
  record({
    statusCode: slot(fc.oneof(fc.integer({ min: 100, max: 599 }), edgeNumber), telemetryVocab),
    code: slot(fc.constantFrom(...telemetryVocab.codes), telemetryVocab),
    error: slot(fc.constantFrom("Bad Request", "Not Found", "Internal Server Error"), telemetryVocab),
    message: slot(telemetryText, telemetryVocab),
  }),
  blockEntry,
  telemetryBatch,
]);

// ---------------------------------------------------------------------------
// ckg-relay

const ckgVocab: Vocabulary = {
  keys: ["type", "code", "message", "error", "event_id", "retry_after", "agent_id", "thread_id", "payload"],
  codes: [...codesOf(ckgCatalog), ...Object.keys(codeAliases), "agent_offline", 4001, 503, ...LOCAL],
  strings: ["error", "event", "token", "reply", "ping", "pong", "Agent is offline", "evt_123"],
};
const ckgCode = fc.oneof(fc.constantFrom(...ckgVocab.codes), fc.integer());
const ckgType = fc.constantFrom("error", "error", "error", "event", "token", "reply", "ping", "pong", "ERROR");
export const ckg: ProtocolArbitraries = arbitraries(ckgVocab, [
  record({
    type: slot(ckgType, ckgVocab),
    code: slot(ckgCode, ckgVocab),
    message: slot(text(ckgVocab), ckgVocab),
    event_id: slot(fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), ckgVocab),
    retry_after: slot(fc.oneof(fc.nat(), edgeNumber), ckgVocab),
  }),
  record({
    type: slot(ckgType, ckgVocab),
    event_id: slot(fc.string({ maxLength: 12 }), ckgVocab),
    error: slot(
      fc.oneof(text(ckgVocab), record({ message: slot(text(ckgVocab), ckgVocab), code: slot(ckgCode, ckgVocab) })),
      ckgVocab,
    ),
    code: slot(ckgCode, ckgVocab),
  }),
]);

// ---------------------------------------------------------------------------
// atlas

const atlasVocab: Vocabulary = {
  keys: ["code", "message", "ref_msg_id", "type", "request_id"],
  codes: [
    ...codesOf(atlasCatalog),
    0,
    999,
    1999,
    2000,
    3000,
    4999,
    6000,
    2 ** 32 - 1,
    2 ** 32,
    -1,
    1.5,
    "4001",
    ...LOCAL,
  ],
  strings: ["zone.error", "ErrorMessage", "rate limit exceeded", "msg_01JX", "req_01JX"],
};
const atlasWireCode = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...atlasCatalog.filter((e) => e.surface === "wire").map((e) => e.code)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
  { weight: 1, arbitrary: edgeNumber },
);
const atlasZoneCode = fc.constantFrom(...atlasCatalog.filter((e) => e.surface === "zone").map((e) => e.code));
const atlasWire = record({
  code: slot(atlasWireCode, atlasVocab),
  message: slot(text(atlasVocab), atlasVocab),
  ref_msg_id: slot(fc.oneof(fc.string({ maxLength: 12 }), fc.constant(null)), atlasVocab),
});
const atlasZone = record({
  type: slot(fc.constantFrom("zone.error", "zone.event", "error"), atlasVocab),
  request_id: slot(fc.oneof(fc.string({ maxLength: 12 }), fc.constant(null)), atlasVocab),
  code: slot(fc.oneof(atlasZoneCode, fc.string({ maxLength: 8 })), atlasVocab),
  message: slot(text(atlasVocab), atlasVocab),
});
export const atlas: ProtocolArbitraries = arbitraries(atlasVocab, [atlasWire, atlasZone]);

const encodable = (value: unknown): Uint8Array => {
  try {
    return encode(value, { ignoreUndefined: true });
  } catch {
    return new Uint8Array([0xc1]);
  }
};
const validAtlasBytes = fc
  .oneof(
    fc.record({
      code: atlasWireCode.filter((c) => Number.isInteger(c) && c >= 0 && c < 2 ** 32),
      message: fc.string({ maxLength: 30 }),
      ref_msg_id: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
    }),
    fc.record({
      type: fc.constant("zone.error" as const),
      request_id: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
      code: atlasZoneCode,
      message: fc.string({ maxLength: 30 }),
    }),
  )
  // A zone message is encoded from its AtlasError, as the encoder documents.
  .map((message) => encodeErrorMessage("type" in message ? atlasParse(message) : message));
// Head bytes that declare lengths, nesting, ext types and reserved values.
const msgpackHead = fc.constantFrom(
  0x80,
  0x81,
  0x8f,
  0x90,
  0x91,
  0x9f,
  0xa0,
  0xa4,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xc3,
  0xc4,
  0xc5,
  0xc6,
  0xc7,
  0xc8,
  0xc9,
  0xca,
  0xcb,
  0xcc,
  0xcf,
  0xd0,
  0xd3,
  0xd4,
  0xd8,
  0xd9,
  0xda,
  0xdb,
  0xdc,
  0xdd,
  0xde,
  0xdf,
  0xff,
);
const craftedMsgpack = fc
  .array(fc.oneof(msgpackHead, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 })
  .map((bytes) => new Uint8Array(bytes));
const protoMsgpack = fc
  .tuple(atlas.values, pollutionPayload(atlasVocab), fc.array(fc.nat(), { maxLength: 2 }))
  .map(([value, payload, picks]) => encodable(JSON.parse(pollutedText(value, "constructor", payload, picks))));
const protoKeyMsgpack = fc
  .tuple(atlas.values, pollutionPayload(atlasVocab))
  .map(([value, payload]) => encodable(JSON.parse(pollutedText(value, "__proto__", payload, [0]))));

/** MessagePack payloads: valid messages, encoded protocol values, crafted heads, mutations, pollution. */
export const atlasMsgpack: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 2, arbitrary: validAtlasBytes },
  { weight: 3, arbitrary: atlas.values.map(encodable) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.oneof(validAtlasBytes, atlas.values.map(encodable)), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([bytes, ms]) => mutate(bytes, ms)),
  },
  { weight: 2, arbitrary: craftedMsgpack },
  { weight: 1, arbitrary: protoMsgpack },
  { weight: 1, arbitrary: protoKeyMsgpack },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
);

// ---------------------------------------------------------------------------
// tryll

const U64 = 2n ** 64n;
const tryllVocab: Vocabulary = {
  keys: ["code", "message", "request_id", "agent_id", "requestId", "agentId"],
  codes: [...codesOf(tryllCatalog), 0, 999, 6005, 9999, 2 ** 32 - 1, 2 ** 32, -1, 1.5, "3001", ...LOCAL],
  strings: ["no agent 17", "18446744073709551615", "18446744073709551616", "01", "1e3", " 1", "-1", ""],
};
const tryllCode = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...tryllCatalog.map((e) => e.code as number)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
);
const tryllId = fc.oneof(
  fc.bigInt({ min: 0n, max: U64 - 1n }),
  fc.bigInt({ min: -2n, max: U64 + 2n }).map(String),
  fc.nat(),
  fc.constantFrom(...tryllVocab.strings),
  edgeNumber,
);
export const tryll: ProtocolArbitraries = arbitraries(tryllVocab, [
  record({
    code: slot(tryllCode, tryllVocab),
    message: slot(fc.oneof(text(tryllVocab), fc.constant(null)), tryllVocab),
    request_id: slot(tryllId, tryllVocab),
    agent_id: slot(tryllId, tryllVocab),
  }),
  record({
    code: slot(tryllCode, tryllVocab),
    message: slot(text(tryllVocab), tryllVocab),
    requestId: slot(tryllId, tryllVocab),
    agentId: slot(tryllId, tryllVocab),
  }),
]);

const u64 = fc.bigInt({ min: 0n, max: U64 - 1n });
const validFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .record({
      code: tryllCode,
      message: fc.string({ maxLength: 40 }),
      requestId: u64,
      agentId: u64,
      turnLocal: fc.boolean(),
    })
    .map((err) => encodeErrorFrame(err)),
  fc
    .record({
      status: fc.oneof(fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 255 })),
      debugInfo: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
      tokensGenerated: fc.nat(),
      requestId: u64,
      agentId: u64,
    })
    .map((turn) => encodeTurnCompleteFrame(turn)),
);

/** Rewrites a frame's little-endian length prefix to match its size, so mutations get past the prefix check. */
export function fixPrefix(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 4) return bytes;
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(0, out.length - 4, true);
  return out;
}

const prefixed = (body: Uint8Array): Uint8Array => {
  const out = new Uint8Array(body.length + 4);
  new DataView(out.buffer).setUint32(0, body.length, true);
  out.set(body, 4);
  return out;
};

/** Tryll frames: valid, byte-mutated (prefix fixed or not), random bodies behind a valid prefix, bad prefixes. */
export const tryllFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 2, arbitrary: validFrame },
  {
    weight: 6,
    arbitrary: fc
      .tuple(validFrame, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([frame, ms, fix]) => (fix ? fixPrefix(mutate(frame, ms)) : mutate(frame, ms))),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 120 }).map(prefixed) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 0xffff_ffff }), fc.uint8Array({ maxLength: 40 }))
      .map(([length, rest]) => {
        const out = new Uint8Array(4 + rest.length);
        new DataView(out.buffer).setUint32(0, length, true);
        out.set(rest, 4);
        return out;
      }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }) },
);

// ---------------------------------------------------------------------------
// WebSocket close events

const closeCode = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1000, max: 1015 }) },
  { weight: 3, arbitrary: fc.integer({ min: 3000, max: 4999 }) },
  { weight: 1, arbitrary: fc.constantFrom(4001, 1012, 1006, 0, 999, 5000, 65535) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: edgeNumber },
);
const closeReasonText = fc.oneof(
  fc.constantFrom("", "Replaced by newer session", "Replaced by newer session ", "bad agent token", "going away"),
  fc.string({ maxLength: 140 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  repeatedInputs(["Replaced by newer session"]),
);

/** Arguments of a `fromClose(code, reason)` call: numbers, strings, bytes and hostile values. */
export const closeArgs: fc.Arbitrary<readonly [unknown, unknown]> = fc.tuple(
  fc.oneof(
    { weight: 8, arbitrary: closeCode },
    { weight: 1, arbitrary: fc.oneof(exoticValue, fc.string({ maxLength: 6 }), fc.constant(undefined)) },
    {
      weight: 2,
      arbitrary: record({ code: slot(closeCode, tealeVocab), reason: slot(closeReasonText, tealeVocab) }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        new Lazy(() => throwingProxy(), "throwing proxy"),
        new Lazy(() => revokedProxy(), "revoked proxy"),
      ),
    },
  ),
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: closeReasonText },
    { weight: 3, arbitrary: closeReasonText.map(utf8) },
    { weight: 1, arbitrary: closeReasonText.map((reason) => Buffer.from(reason)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.oneof(exoticValue, leaf(tealeVocab)) },
  ),
);

// ---------------------------------------------------------------------------
// HTTP responses

/** How a response body is delivered. */
export type BodySpec =
  | { readonly kind: "none" }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | {
      readonly kind: "stream";
      readonly bytes: Uint8Array;
      readonly cuts: readonly number[];
      /** How the stream ends: cleanly, with an error mid-body (a dropped connection), or with a chunk that is not bytes. */
      readonly end: "close" | "error" | "non-bytes";
    };

/** A response, described so that it can be built afresh for each attempt. */
export interface ResponseSpec {
  readonly status: number;
  readonly body: BodySpec;
  readonly headers: readonly (readonly [string, string])[];
}

const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const retryAfter = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom("36000", "0", "-1", "1e9", "1.5", "NaN", "", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT"),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  headerValue,
);
const headers = fc.array(
  fc.oneof(
    retryAfter.map((v) => ["retry-after", v] as const),
    fc
      .constantFrom("application/json", "text/html", "text/plain; charset=latin1")
      .map((v) => ["content-type", v] as const),
    fc.oneof(fc.nat().map(String), headerValue).map((v) => ["content-length", v] as const),
    headerValue.map((v) => ["x-request-id", v] as const),
  ),
  { maxLength: 3 },
);
const status = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(400, 401, 403, 404, 409, 413, 429, 500, 502, 503, 504, 200, 207) },
  { weight: 2, arbitrary: fc.integer({ min: 200, max: 599 }) },
);

/** Response bodies from protocol values: JSON, polluted JSON, mutated JSON, junk, long repetitions, big constants. */
export function responseBodies(
  protocol: ProtocolArbitraries,
  big: readonly string[],
): fc.Arbitrary<string | Uint8Array> {
  const polluted = fc
    .tuple(
      protocol.values,
      fc.constantFrom("__proto__" as const, "constructor" as const),
      pollutionPayload(protocol.vocab),
      fc.array(fc.nat(), { maxLength: 2 }),
    )
    .map(([value, kind, payload, picks]) => pollutedText(value, kind, payload, picks));
  return fc.oneof(
    { weight: 6, arbitrary: protocol.values.map(jsonText) },
    { weight: 2, arbitrary: polluted },
    {
      weight: 2,
      arbitrary: mutatedJsonInputs(protocol.values).map((v) => (typeof v === "string" ? v : (v as Uint8Array))),
    },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 })) },
    { weight: 1, arbitrary: repeatedInputs(protocol.vocab.strings.slice(0, 4)) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "null", "[]", "{}", '{"error":null}', ...big) },
  );
}

/** Responses carrying `bodies`, delivered whole, as bytes, or streamed in chunks that may end in an error. */
export function responses(bodies: fc.Arbitrary<string | Uint8Array>): fc.Arbitrary<ResponseSpec> {
  const body: fc.Arbitrary<BodySpec> = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
    {
      weight: 4,
      arbitrary: bodies.map(
        (b): BodySpec => (typeof b === "string" ? { kind: "text", text: b } : { kind: "bytes", bytes: b }),
      ),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          bodies,
          fc.array(fc.nat(), { maxLength: 4 }),
          fc.constantFrom("close" as const, "close" as const, "error" as const, "non-bytes" as const),
        )
        .map(([b, cuts, end]): BodySpec => ({ kind: "stream", bytes: typeof b === "string" ? utf8(b) : b, cuts, end })),
    },
  );
  return fc.record({ status, body, headers });
}

const NULL_BODY = new Set([204, 205, 304]);

/** Builds the `Response` a spec describes; a stream body is pulled chunk by chunk, as a socket delivers it. */
export function buildResponse(spec: ResponseSpec): Response {
  const init = { status: spec.status, headers: spec.headers.map(([k, v]) => [k, v] as [string, string]) };
  const { body } = spec;
  if (body.kind === "none" || NULL_BODY.has(spec.status)) return new Response(null, init);
  if (body.kind === "text") return new Response(body.text, init);
  if (body.kind === "bytes") return new Response(new Uint8Array(body.bytes), init);
  const points = [...new Set(body.cuts.map((c) => (body.bytes.length === 0 ? 0 : c % body.bytes.length)))].sort(
    (a, b) => a - b,
  );
  const edges = [0, ...points, body.bytes.length];
  const chunks: Uint8Array[] = [];
  for (let i = 1; i < edges.length; i++) chunks.push(body.bytes.subarray(edges[i - 1], edges[i]));
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk !== undefined) controller.enqueue(chunk);
      else if (body.end === "error") controller.error(new Error("connection dropped mid-body"));
      else if (body.end === "non-bytes") {
        controller.enqueue("not bytes" as unknown as Uint8Array);
        controller.close();
      } else controller.close();
    },
  });
  return new Response(stream, init);
}

/** Inputs for a parser that takes any value: the protocol's inputs and junk. */
export const anyInput = (protocol: ProtocolArbitraries): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 9, arbitrary: protocol.inputs }, { weight: 1, arbitrary: junk });
