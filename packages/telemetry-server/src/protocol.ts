import { defineProtocol, overHttp } from "@wirefault/core/protocol";
import { catalog, isBlockCode, MAX_BYTES, PROTOCOL, SURFACE } from "./catalog.js";
import { createError, type TelemetryServerError, type TelemetryServerErrorInit } from "./error.js";
import { readers } from "./readers.js";

/**
 * The telemetry server as core builds it: the catalog and the readers, handed
 * to `defineProtocol`. The CLI, the docs and the checks read every fact from it.
 */
export const protocol = /* @__PURE__ */ defineProtocol({
  name: PROTOCOL,
  title: "Telemetry server",
  maxBytes: MAX_BYTES,
  catalog,
  http: overHttp(SURFACE),
  readers,
  // A per-block message no template knows, from a newer server, gets one more try:
  // resending a block is always safe, because duplicates are accepted. A block's
  // code comes from its template only: a message that spells a top-level code
  // ("Not Found") is such an unknown sentence, not that code.
  create: (init: TelemetryServerErrorInit): TelemetryServerError =>
    createError(
      init.seq !== undefined && !(init.known && isBlockCode(init.code))
        ? { ...init, known: false, codeName: undefined, policy: undefined, retryable: "maybe", action: "retry" }
        : init,
    ),
});

/**
 * Reads a top-level error body (a JSON string, UTF-8 bytes, a decoded value, or an
 * HTTP client's error that kept the response's status and body, read by its shape)
 * into a typed error; a 207 entry on its
 * own (`{ seq, error }`) reads as its domain class. Never throws: a body that names
 * no code is classified by its status (`Device not found` for a bare 404, say), else
 * it is `WIREFAULT_MALFORMED` (or `WIREFAULT_TOO_LARGE`), `known: false`.
 */
export const parseError = protocol.parseError;

/** parseError for every form of body data, a browser's Blob included (read first when within the cap). Never rejects. */
export const parseErrorAsync = protocol.parseErrorAsync;

/**
 * Reads a failed response (at most 1 MiB, only `Retry-After` among headers)
 * into a typed error; falls back to the status when the body is empty or not JSON.
 * `options.signal` (e.g. `AbortSignal.timeout(ms)`) stops a stalled body. Never rejects.
 */
export const fromResponse = protocol.fromResponse;
