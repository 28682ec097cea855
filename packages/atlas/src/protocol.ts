import { assembleProtocol, definePipeline, parseErrorAsyncOf, parseErrorOf } from "@wirefault/core/protocol";
import { definition } from "./definition.js";

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
