// What is peculiar to Teale's wire: the three payload shapes its readers
// know. Everything else (caps, status fallback, classification) is core's.

import { retryHintFromSeconds } from "@wirefault/core";
import type { ParseContext, Reader, Reading } from "@wirefault/core/protocol";
import { type DecodedInput, decodeInput, field, NULLABLE_TEXT, NUMBER, pick, TEXT } from "@wirefault/core/protocol";
import { MAX_BYTES } from "./catalog.js";

const PEER_PREFIX = "Peer ";
const PEER_SUFFIX = " is not connected";

// What the relay's template prints for an id that was never a string: JavaScript's `${id}` of a missing or null one.
const NO_ID = new Set(["undefined", "null"]);

/**
 * The node id in `Peer <nodeID> is not connected`, exactly as sent (control characters
 * included: they are escaped when printed, never when stored); undefined when the
 * relay wrote `undefined` or `null` because the sender named none.
 */
export function peerNodeIdOf(message: string): string | undefined {
  if (message.length <= PEER_PREFIX.length + PEER_SUFFIX.length) return undefined;
  if (!message.startsWith(PEER_PREFIX) || !message.endsWith(PEER_SUFFIX)) return undefined;
  const id = message.slice(PEER_PREFIX.length, -PEER_SUFFIX.length);
  return NO_ID.has(id) ? undefined : id;
}

/**
 * The payload of a relayed `inferenceError`, flat as the page writes it or
 * wrapped in `_0` as the Rust crate and Swift's synthesized Codable send it;
 * undefined when the message is not one.
 */
export function inferencePayload(value: unknown): unknown {
  const inference = field(value, "inferenceError");
  const wrapped = field(inference, "_0");
  return wrapped === undefined ? inference : wrapped;
}

/** A relayed `inferenceError`, flat or wrapped in `_0`. */
const readInference: Reader = (value) => {
  const inference = inferencePayload(value);
  if (inference === undefined) return undefined;
  const requestID = pick(TEXT, inference, "requestID");
  const errorMessage = pick(TEXT, inference, "errorMessage");
  if (requestID === undefined || errorMessage === undefined)
    return "inferenceError without a requestID and an errorMessage";
  // Older providers send no code; a failed inference with no stated cause is the provider's internal error.
  const code = pick(NULLABLE_TEXT, inference, "code") || "internal_error";
  return { surface: "api", code, message: errorMessage, details: { requestId: requestID } };
};

// A message template that names a code more precisely than the code it came with:
// the local API says `Model <id> is not loaded` under a generic 400, and the
// Anthropic-compatible endpoint folds both 402s into `billing_error`.
// biome-ignore format: one line per template
const MESSAGE_CODES: readonly { readonly under: readonly (string | undefined)[]; readonly prefix: string; readonly suffix: string; readonly code: string }[] = [
  { under: [undefined, "invalid_request", "invalid_request_error"], prefix: "Model ", suffix: " is not loaded", code: "model_not_loaded" },
  { under: ["billing_error"], prefix: "share-key budget exhausted", suffix: "", code: "budget_exhausted" },
  { under: ["billing_error"], prefix: "insufficient credits: ", suffix: "", code: "insufficient_credits" },
];

/** The code a message's template names, when the code sent with it is one that template refines; else the code. */
function refine(code: string | undefined, message: string | undefined): string | undefined {
  if (message === undefined) return code;
  for (const t of MESSAGE_CODES)
    if (
      t.under.includes(code) &&
      // A suffix template needs something between its words (the model id).
      message.length >= t.prefix.length + t.suffix.length + (t.suffix ? 1 : 0) &&
      message.startsWith(t.prefix) &&
      message.endsWith(t.suffix)
    )
      return t.code;
  return code;
}

const CREDITS = /^insufficient credits: balance (-?\d+(?:\.\d+)?), need (-?\d+(?:\.\d+)?)$/;

/** `insufficient_credits`'s `balance` and `required`: the body's numbers, else the ones its message states. */
function credits(error: unknown, value: unknown, message: string | undefined): Record<string, number | undefined> {
  const balance = pick(NUMBER, error, "balance") ?? pick(NUMBER, value, "balance");
  const required = pick(NUMBER, error, "required") ?? pick(NUMBER, value, "required");
  if (balance !== undefined || required !== undefined || message === undefined || message.length > 200)
    return { balance, required };
  const said = CREDITS.exec(message);
  return said ? { balance: Number(said[1]), required: Number(said[2]) } : {};
}

/**
 * An HTTP API body in OpenAI's envelope (`{"error":{message,type,code?}}`), the
 * Anthropic-compatible endpoint's (`{"type":"error","error":{type,message}}`), or
 * the inner error object alone, as the AI SDK hands a stream's error part over.
 * `midStream` says it arrived on a stream after the response began.
 */
function readApiBody(value: unknown, context: ParseContext, midStream: boolean): Reading | undefined {
  const envelope = field(value, "error");
  // The AI SDK's stream error part is the envelope's inside: a message and a type, and no envelope.
  const bare =
    envelope === undefined && typeof field(value, "message") === "string" && typeof field(value, "type") === "string";
  const error = bare ? value : envelope;
  if (!bare && context.status === undefined && field(error, "type") === undefined) return undefined;
  const message = pick(TEXT, error, "message");
  // The code names the error when there is one; the real app's 400s name it only by type.
  const named = pick(NULLABLE_TEXT, error, "code") || pick(NULLABLE_TEXT, error, "type") || undefined;
  const code = refine(named, message);
  // Without a status, an Anthropic event (`type: "error"`) or a bare error part came off a stream.
  const streamed = midStream || (context.status === undefined && (bare || field(value, "type") === "error"));
  return {
    surface: "api",
    code,
    message,
    midStream: streamed,
    details: code === "insufficient_credits" ? credits(error, value, message) : undefined,
  };
}

/** A local API or gateway body: over HTTP (a status is known), or any envelope with a `type`. */
const readApi: Reader = (value, context) => readApiBody(value, context, false);

/** One server-sent event, `{ event?, data }`, as an SSE parser hands it over (or the codec read it from text). */
export interface StreamEvent {
  readonly event?: string | undefined;
  readonly data: string;
}

/** The event's data as JSON under the cap, or undefined when it is not an event or its data is not JSON. */
export function streamPayload(value: unknown): unknown {
  const data = field(value, "data");
  if (typeof data !== "string" || field(value, "error") !== undefined) return undefined;
  const event = field(value, "event");
  if (event !== undefined && typeof event !== "string") return undefined;
  const decoded = decodeInput(data, MAX_BYTES);
  return decoded.kind === "value" && typeof decoded.value === "object" ? decoded.value : undefined;
}

/**
 * An error event of an OpenAI- or Anthropic-style stream: `data: {"error":…}`, or
 * `event: error` then `data: {"type":"error","error":…}`. Always `midStream`.
 */
const readStream: Reader = (value, context) => {
  const payload = streamPayload(value);
  if (payload === undefined) return undefined;
  return readApiBody(payload, context, true) ?? "Stream event without an error";
};

const SSE_FIELD = /^(?:data|event|id|retry):|^:/;

/**
 * Server-sent events in text: the first event that is an error (named `error`, or whose
 * data has an `error` key), else the first with data. Undefined for anything else. Linear.
 */
export function parseStreamText(text: string): StreamEvent | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!SSE_FIELD.test(text.slice(start, start + 8))) return undefined;
  const events: StreamEvent[] = [];
  let event: string | undefined;
  let data: string[] = [];
  const flush = () => {
    if (data.length > 0) events.push({ event, data: data.join("\n") });
    event = undefined;
    data = [];
  };
  for (const line of text.slice(start).split(/\r\n|\r|\n/)) {
    if (line === "") {
      flush();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon === 0) continue;
    const name = colon === -1 ? line : line.slice(0, colon);
    const raw = colon === -1 ? "" : line.slice(colon + 1);
    const val = raw.charCodeAt(0) === 32 ? raw.slice(1) : raw;
    if (name === "data") data.push(val);
    else if (name === "event") event = val;
  }
  flush();
  return events.find((e) => e.event === "error") ?? events.find((e) => e.data.includes('"error"')) ?? events[0];
}

/** Teale's decoding: core's JSON under the cap, and server-sent event text read as its event. */
export function decodeTeale(input: unknown): DecodedInput {
  const decoded = decodeInput(input, MAX_BYTES);
  if (decoded.kind !== "not-json") return decoded;
  const event = parseStreamText(decoded.text);
  return event ? { kind: "value", value: event } : decoded;
}

/** A relay error frame, `{"error":{code,message,retryAfterSeconds?}}`. */
const readRelay: Reader = (value) => {
  const error = field(value, "error");
  const code = pick(TEXT, error, "code");
  if (code === undefined) return undefined;
  const message = pick(TEXT, error, "message");
  const seconds = field(error, "retryAfterSeconds");
  // Seconds, by core's hint rule: too large is clamped, not dropped; not a non-negative number is no hint.
  const ms = retryHintFromSeconds(seconds);
  return {
    surface: "relay",
    code,
    message,
    retryAfterMs: ms,
    details: {
      // +0 turns a -0 into 0, so that the frame and the error say the same; Infinity (1e400 read
      // by JSON.parse) is a hint, clamped, but no JSON wire carries it back.
      retryAfterSeconds: ms === undefined || !Number.isFinite(seconds) ? undefined : (seconds as number) + 0,
      peerNodeId: code === "peer_not_found" && message !== undefined ? peerNodeIdOf(message) : undefined,
    },
  };
};

/** Teale's readers, in the order they are tried. */
export const readers: readonly Reader[] = [readInference, readStream, readApi, readRelay];
