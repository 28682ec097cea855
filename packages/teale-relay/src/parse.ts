import { MALFORMED, type RecoveryAction, type Retryable, sanitizeDelay, TOO_LARGE } from "@wirefault/core";
import type { ClientFailure } from "@wirefault/core/wire";
import {
  blobMessage,
  classifyStatus,
  field,
  isBlob,
  localError,
  NULLABLE_TEXT,
  type ParseContext,
  pick,
  readBlob,
  readClientError,
  readContext,
  TEXT,
  textOverCap,
} from "@wirefault/core/wire";
import { catalog, index } from "./catalog.js";
import type { ParsedTealeRelayError } from "./error.js";
import { TealeRelayError } from "./error.js";
import { decodeFrame, inferencePayload, MAX_BYTES, PROTOCOL } from "./wire.js";

// Field by field with core's pick(): a wrong type in one field drops that
// field, never the code beside it. Checks that zod/mini would add (min
// length) cost more bundle than the one line each that replaces them.
const Text = TEXT;
// OpenAI-style servers send `"code": null` as often as they leave it out.
const NullableText = NULLABLE_TEXT;

// Codes FIELD-NOTES.md lists beside the page's inside relayed inference
// errors. They are not on the page, so they stay `known: false`, but their
// meaning is clear enough to classify.
const INFERENCE_CODES: Readonly<Record<string, readonly [Retryable, RecoveryAction]>> = {
  queue_full: ["yes", "throttle"],
  unavailable: ["maybe", "retry"],
  timeout: ["maybe", "retry"],
  cancelled: ["no", "abort"],
};

const PEER_PREFIX = "Peer ";
const PEER_SUFFIX = " is not connected";

/** The node id in `Peer <nodeID> is not connected`; the relay writes `undefined` when the sender named none. */
export function peerNodeIdOf(message: string): string | undefined {
  if (message.length <= PEER_PREFIX.length + PEER_SUFFIX.length) return undefined;
  if (!message.startsWith(PEER_PREFIX) || !message.endsWith(PEER_SUFFIX)) return undefined;
  const id = message.slice(PEER_PREFIX.length, -PEER_SUFFIX.length);
  return id === "undefined" ? undefined : id;
}

/**
 * Reads any Teale error: a relay frame (string, bytes or object), a local API body
 * (with `context.status`, or any envelope that has a `type`), a relayed `inferenceError`,
 * or an error thrown by openai-node or the AI SDK calling the local API.
 * Never throws: input that is not a Teale error gives `code: MALFORMED` (or `TOO_LARGE`), `known: false`.
 */
export function parseError(input: unknown, context?: ParseContext): ParsedTealeRelayError;
export function parseError(input: unknown, context: ParseContext = {}): TealeRelayError {
  // Read once, safely: a null or hostile context must not break a valid error.
  context = readContext(context);
  try {
    return parse(input, context);
  } catch (cause) {
    return new TealeRelayError(localError(PROTOCOL, MALFORMED, "Could not read a Teale error", input, cause));
  }
}

/**
 * parseError for every form of WebSocket data, a browser's Blob included (read
 * first when it is within the size cap). Never rejects.
 */
export async function parseErrorAsync(input: unknown, context?: ParseContext): Promise<ParsedTealeRelayError> {
  return parseError(await readBlob(input, MAX_BYTES), context);
}

function parse(input: unknown, context: ParseContext): TealeRelayError {
  const client = readClientError(input);
  if (client) return fromClient(client, context);
  const status = statusOf(context.status);
  const hint = sanitizeDelay(context.retryAfterMs);
  const decoded = decodeFrame(input);
  // A refused decoded object is not kept: holding it is what the cap prevents.
  if (decoded.kind === "too-large")
    return tooLarge(`Input of ${decoded.size} bytes`, typeof input === "object" ? undefined : input, status);
  if (decoded.kind !== "value")
    return byStatus(status, hint, input, decoded.kind === "not-json" ? decoded.cause : undefined);
  const value = decoded.value;
  if (isBlob(value)) return new TealeRelayError(localError(PROTOCOL, MALFORMED, blobMessage("parseErrorAsync"), input));
  const inference = inferencePayload(value);
  // A decoded object skips decodeInput's cap; the text read from it is held to
  // the cap here, and nothing of it is kept.
  const texts = ["code", "message", "type"].map((key) => field(field(value, "error"), key));
  const inferenceTexts = ["requestID", "errorMessage", "code"].map((key) => field(inference, key));
  if (textOverCap(MAX_BYTES, ...texts, ...inferenceTexts)) return tooLarge("Error text", undefined, status);
  if (inference !== undefined) return fromInference(inference, value, hint);
  const error = field(value, "error");
  if (status !== undefined || field(error, "type") !== undefined) return fromApi(error, value, status, hint);
  return fromRelay(error, value, hint);
}

/**
 * An error thrown by openai-node or the AI SDK: the body the client kept is read as the
 * server's answer, with the client's status and Retry-After; the thrown error is the cause.
 */
function fromClient(client: ClientFailure, context: ParseContext): TealeRelayError {
  const { kind, error } = client;
  // No answer at all: not a Teale error, classified as core's isRetryable does; a user's abort is final.
  if (kind !== "http") {
    const abort = kind === "abort";
    return new TealeRelayError({
      ...localError(PROTOCOL, MALFORMED, String((error as Error).message), undefined, error),
      retryable: abort ? "no" : "yes",
      action: abort ? "abort" : "retry",
    });
  }
  const err = parse(client.body, { status: client.status, retryAfterMs: client.retryAfterMs ?? context.retryAfterMs });
  // The thrown error stays reachable for logs and stacks, as a native cause would.
  Object.defineProperty(err, "cause", { value: error, writable: true, configurable: true });
  return err;
}

function fromRelay(error: unknown, raw: unknown, hint: number | undefined): TealeRelayError {
  const code = pick(Text, error, "code");
  if (!code) return byStatus(undefined, hint, raw);
  const message = pick(Text, error, "message");
  const retryAfterSeconds = field(error, "retryAfterSeconds");
  const verdict = index.classify(code, "relay");
  // Only a finite, non-negative number of seconds is a hint; anything else is ignored, not fatal.
  const ms = typeof retryAfterSeconds === "number" ? sanitizeDelay(retryAfterSeconds * 1000) : undefined;
  const text = message ?? verdict.entry?.summary ?? code;
  return new TealeRelayError({
    ...verdict,
    protocol: PROTOCOL,
    code,
    message: text,
    retryAfterMs: ms ?? hint,
    // +0 turns a -0 into 0, so that the frame and the error say the same.
    retryAfterSeconds: ms === undefined ? undefined : (retryAfterSeconds as number) + 0,
    peerNodeId: code === "peer_not_found" ? peerNodeIdOf(text) : undefined,
    raw,
  });
}

function fromApi(error: unknown, raw: unknown, status: number | undefined, hint: number | undefined): TealeRelayError {
  if (typeof error !== "object" || error === null) return byStatus(status, hint, raw);
  const message = pick(Text, error, "message");
  const type = pick(NullableText, error, "type");
  const code = pick(NullableText, error, "code");
  // The code names the error when there is one; the real app's 400s name it only by type.
  const name = code || type;
  if (!name) return byStatus(status, hint, raw, undefined, message);
  const verdict = index.classify(name, "api");
  return new TealeRelayError({
    ...verdict,
    // An undocumented name says nothing the status does not say better.
    ...(!verdict.known && status !== undefined && classifyStatus(status)),
    protocol: PROTOCOL,
    code: verdict.entry?.code ?? name,
    message: message ?? verdict.entry?.summary ?? name,
    status: status ?? verdict.status,
    retryAfterMs: hint,
    raw,
  });
}

function fromInference(inference: unknown, raw: unknown, hint: number | undefined): TealeRelayError {
  const requestID = pick(Text, inference, "requestID");
  const errorMessage = pick(Text, inference, "errorMessage");
  if (requestID === undefined || errorMessage === undefined) return byStatus(undefined, hint, raw);
  const code = pick(NullableText, inference, "code");
  // Older providers send no code; a failed inference with no stated cause is the provider's internal error.
  const name = code || "internal_error";
  const verdict = index.classify(name, "api");
  const sibling = !verdict.known && Object.hasOwn(INFERENCE_CODES, name) ? INFERENCE_CODES[name] : undefined;
  return new TealeRelayError({
    ...verdict,
    ...(sibling && { retryable: sibling[0], action: sibling[1] }),
    protocol: PROTOCOL,
    code: verdict.entry?.code ?? name,
    message: errorMessage,
    requestId: requestID,
    retryAfterMs: hint,
    raw,
  });
}

function statusOf(status: unknown): number | undefined {
  return typeof status === "number" && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/**
 * A payload that names no code: a body that is not JSON (the real 401 can be broken JSON),
 * not an envelope, or an envelope without code or type. Over HTTP the status decides, through
 * the catalog when a documented code has that status, else core's status classification.
 * Without a status it is MALFORMED.
 */
export function byStatus(
  status: number | undefined,
  hint: number | undefined,
  raw: unknown,
  cause?: unknown,
  message?: string,
): TealeRelayError {
  const entry = status === undefined ? undefined : catalog.find((e) => e.surface === "api" && e.status === status);
  if (entry) {
    return new TealeRelayError({
      ...index.classify(entry.code, "api"),
      protocol: PROTOCOL,
      code: entry.code,
      // Never the body text: a broken body is unreviewed server output and may hold what the request sent.
      message: message ?? entry.summary,
      status,
      retryAfterMs: hint,
      raw,
      cause,
    });
  }
  const text = message ?? (status === undefined ? "Not a Teale error" : `HTTP ${status} without a Teale error body`);
  return new TealeRelayError({
    ...localError(PROTOCOL, MALFORMED, text, raw, cause),
    ...(status !== undefined && { ...classifyStatus(status), surface: "api", status }),
    retryAfterMs: hint,
  });
}

/** Input refused by the size cap, before any decoding. */
export function tooLarge(what: string, raw: unknown, status: number | undefined): TealeRelayError {
  return new TealeRelayError({
    ...localError(PROTOCOL, TOO_LARGE, `${what} exceeds the ${MAX_BYTES}-byte cap`, raw),
    status,
  });
}

/** What a parser takes besides its input: the transport's status and retry hint. */
export type { ParseContext };
