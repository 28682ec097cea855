import { assembleProtocol, definePipeline, parseErrorAsyncOf, parseErrorOf } from "@wirefault/core/protocol";
import { catalog, MAX_JSON_BYTES, ranges } from "./catalog.js";
import { AtlasError, type AtlasErrorInit } from "./error.js";
import { readers } from "./readers.js";
import { decodeJson } from "./wire.js";

/**
 * What Atlas hands to core, reading JSON and decoded objects: the catalog, the
 * ranges and the readers. The `./msgpack` subpath builds its own from this
 * one, with the MessagePack codec. Atlas answers over neither HTTP nor its own
 * WebSocket closes, so it sets neither.
 * @internal
 */
export const definition = {
  name: "atlas",
  title: "Atlas",
  maxBytes: MAX_JSON_BYTES,
  catalog,
  ranges,
  codec: decodeJson,
  readers,
  create: (init: AtlasErrorInit) => new AtlasError(init),
};

const pipeline = /* @__PURE__ */ definePipeline(definition);

/**
 * Reads an Atlas error from a decoded object (a wire `ErrorMessage` or a
 * `zone.error` message), JSON text, or UTF-8 JSON bytes, under MAX_JSON_BYTES.
 * MessagePack bytes need the codec: use `parseError` from `@wirefault/atlas/msgpack`.
 * Never throws: input that is not an Atlas error gives `code: MALFORMED` (or `TOO_LARGE`), `known: false`.
 */
export const parseError = /* @__PURE__ */ parseErrorOf(pipeline);

/**
 * parseError for every form of WebSocket data, a browser's Blob included (read
 * first when it is within the size cap). Never rejects.
 */
export const parseErrorAsync = /* @__PURE__ */ parseErrorAsyncOf(pipeline, parseError);

/**
 * Atlas as core builds it, reading JSON and decoded objects, with the
 * functions above. The CLI, the docs and the checks read every fact from it.
 */
export const protocol = /* @__PURE__ */ assembleProtocol(definition, { pipeline, parseError, parseErrorAsync });
