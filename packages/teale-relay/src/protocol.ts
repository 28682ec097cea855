import {
  assembleProtocol,
  decodeOf,
  definePipeline,
  field,
  fromCloseOf,
  fromResponseOf,
  overHttp,
  overWebSocket,
  parseErrorAsyncOf,
  parseErrorOf,
  unreadBodyOf,
} from "@wirefault/core/protocol";
import { catalog, closeCodes, codeAliases, MAX_BYTES, reconnect, unlisted } from "./catalog.js";
import { TealeRelayError } from "./error.js";
import { decodeTeale, inferencePayload, readers } from "./readers.js";

// Teale's definition, but for its closes: they are fromClose's alone, and stay out of what parseError is built from.
const definition = {
  name: "teale-relay",
  title: "Teale",
  maxBytes: MAX_BYTES,
  catalog,
  aliases: codeAliases,
  unlisted,
  http: /* @__PURE__ */ overHttp("api"),
  codec: decodeTeale,
  readers,
  errorClass: () => TealeRelayError<TealeRelayError["code"]>,
};

const pipeline = /* @__PURE__ */ definePipeline(definition);
const websocket = /* @__PURE__ */ overWebSocket({ closeCodes, reconnect });

/**
 * Reads any Teale error: a relay frame (string, bytes or object), a local API body
 * (with `context.status`, or any envelope that has a `type`), a relayed `inferenceError`,
 * or an error thrown by openai-node or the AI SDK calling the local API.
 * Never throws: input that is not a Teale error gives `code: MALFORMED` (or `TOO_LARGE`), `known: false`.
 */
export const parseError = /* @__PURE__ */ parseErrorOf(pipeline);

/**
 * parseError for every form of WebSocket data, a browser's Blob included (read
 * first when it is within the size cap). Never rejects.
 */
export const parseErrorAsync = /* @__PURE__ */ parseErrorAsyncOf(pipeline, parseError);

/**
 * Reads a failed response of the local API (:11435) into a typed error, under the size cap.
 * Falls back to the status when the body is empty or not JSON. Only `Retry-After` is read
 * from the headers, so a request's `Authorization` can never end up in the error. Never rejects.
 * `options.signal` (e.g. `AbortSignal.timeout(ms)`) stops a stalled body.
 */
export const fromResponse = /* @__PURE__ */ fromResponseOf(pipeline);

/**
 * Classifies a WebSocket close so a client knows whether to reconnect: pass a `CloseEvent`
 * or its code and reason. The error's `code` is the close code and its `surface` is `"close"`.
 * Standard codes follow core's reading, and reconnects back off from 1 s to 60 s.
 * 1012 with `Replaced by newer session` means a newer socket took the session: `no`, `abort`.
 * Never throws.
 */
export const fromClose = /* @__PURE__ */ fromCloseOf(pipeline, websocket);

/**
 * Teale as core builds it: the catalog, the readers and the closes, with the
 * functions above. The CLI, the docs and the checks read every fact from it.
 */
export const protocol = /* @__PURE__ */ assembleProtocol(definition, {
  pipeline,
  websocket,
  parseError,
  parseErrorAsync,
  fromResponse,
  unreadBody: /* @__PURE__ */ unreadBodyOf(pipeline),
  fromClose,
});

const decode = /* @__PURE__ */ decodeOf(pipeline);

/**
 * True when a relay message is an error frame, `{"error":{"code":...}}`, and not an offer,
 * relayData, registerAck, inferenceError or any other message (see isInferenceError for
 * those). Takes every form of `ws` data (string, bytes, Buffer[]) or the decoded object.
 * Never throws.
 */
export function isErrorFrame(message: unknown): boolean {
  const decoded = decode(message);
  return decoded.kind === "value" && typeof field(field(decoded.value, "error"), "code") === "string";
}

/**
 * True when a relay message is a relayed inference failure,
 * `{"inferenceError":{requestID,errorMessage,code?}}` (flat or wrapped in `_0`):
 * an error to hand to parseError, not traffic. Takes the same inputs as isErrorFrame. Never throws.
 */
export function isInferenceError(message: unknown): boolean {
  const decoded = decode(message);
  if (decoded.kind !== "value") return false;
  const payload = inferencePayload(decoded.value);
  return typeof field(payload, "requestID") === "string" && typeof field(payload, "errorMessage") === "string";
}
