import {
  assembleProtocol,
  decodeOf,
  definePipeline,
  fromResponseOf,
  localErrorOf,
  overHttp,
  parseDecodedOf,
  parseErrorAsyncOf,
  parseErrorOf,
  unreadBodyOf,
} from "@wirefault/core/protocol";
import { catalog, isBlockCode, MAX_BYTES, PROTOCOL, SURFACE } from "./catalog.js";
import { errorClassOf, type TelemetryServerErrorInit } from "./error.js";
import { readers } from "./readers.js";

// The telemetry server's definition: the catalog and the readers. Every function below is built from it on its own.
const definition = {
  name: PROTOCOL,
  title: "Telemetry server",
  maxBytes: MAX_BYTES,
  catalog,
  http: /* @__PURE__ */ overHttp(SURFACE),
  readers,
  // The class the code's catalog row names, else the protocol's.
  errorClass: errorClassOf,
  // A per-block message no template knows, from a newer server, gets one more try:
  // resending a block is always safe, because duplicates are accepted. A block's
  // code comes from its template only: a message that spells a top-level code
  // ("Not Found") is such an unknown sentence, not that code.
  refine: (init: TelemetryServerErrorInit): TelemetryServerErrorInit =>
    init.seq !== undefined && !(init.known && isBlockCode(init.code))
      ? { ...init, known: false, codeName: undefined, policy: undefined, retryable: "maybe", action: "retry" }
      : init,
};

const pipeline = /* @__PURE__ */ definePipeline(definition);

/**
 * Reads a top-level error body (a JSON string, UTF-8 bytes, a decoded value, or an
 * HTTP client's error that kept the response's status and body, read by its shape)
 * into a typed error; a 207 entry on its
 * own (`{ seq, error }`) reads as its domain class. Never throws: a body that names
 * no code is classified by its status (`Device not found` for a bare 404, say), else
 * it is `WIREFAULT_MALFORMED` (or `WIREFAULT_TOO_LARGE`), `known: false`.
 */
export const parseError = /* @__PURE__ */ parseErrorOf(pipeline);

/** parseError for every form of body data, a browser's Blob included (read first when within the cap). Never rejects. */
export const parseErrorAsync = /* @__PURE__ */ parseErrorAsyncOf(pipeline, parseError);

/**
 * Reads a failed response (at most 1 MiB, only `Retry-After` among headers)
 * into a typed error; falls back to the status when the body is empty or not JSON.
 * `options.signal` (e.g. `AbortSignal.timeout(ms)`) stops a stalled body. Never rejects.
 */
export const fromResponse = /* @__PURE__ */ fromResponseOf(pipeline);

/** A 207 entry of an answer decoded whole under the cap, read as parseError reads it on its own. @internal */
export const parseEntry = /* @__PURE__ */ parseDecodedOf(pipeline);

/** A body's decoded value under the cap, as parseError decodes it. @internal */
export const decode = /* @__PURE__ */ decodeOf(pipeline);

/** An error the package raises itself, of the protocol's class. @internal */
export const localError = /* @__PURE__ */ localErrorOf(pipeline);

/** The error of a response body a network failure kept from being read. @internal */
export const unreadBody = /* @__PURE__ */ unreadBodyOf(pipeline);

/**
 * The telemetry server as core builds it: the catalog and the readers, with
 * the functions above. The CLI, the docs and the checks read every fact from it.
 */
export const protocol = /* @__PURE__ */ assembleProtocol(definition, {
  pipeline,
  parseError,
  parseErrorAsync,
  fromResponse,
  unreadBody,
});
