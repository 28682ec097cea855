import { defineProtocol } from "@wirefault/core/protocol";
import { catalog, MAX_JSON_BYTES, ranges } from "./catalog.js";
import { AtlasError, type AtlasErrorInit } from "./error.js";
import { readers } from "./readers.js";
import { decodeJson } from "./wire.js";

/**
 * Atlas as core builds it, reading JSON and decoded objects: the catalog, the
 * ranges and the readers, handed to `defineProtocol`. The `./msgpack` subpath
 * builds its own from this one, with the MessagePack codec. Atlas answers over
 * neither HTTP nor its own WebSocket closes, so it sets neither.
 */
export const protocol = /* @__PURE__ */ defineProtocol({
  name: "atlas",
  title: "Atlas",
  maxBytes: MAX_JSON_BYTES,
  catalog,
  ranges,
  codec: decodeJson,
  readers,
  create: (init: AtlasErrorInit) => new AtlasError(init),
});

/**
 * Reads an Atlas error from a decoded object (a wire `ErrorMessage` or a
 * `zone.error` message), JSON text, or UTF-8 JSON bytes, under MAX_JSON_BYTES.
 * MessagePack bytes need the codec: use `parseError` from `@wirefault/atlas/msgpack`.
 * Never throws: input that is not an Atlas error gives `code: MALFORMED` (or `TOO_LARGE`), `known: false`.
 */
export const parseError = protocol.parseError;

/**
 * parseError for every form of WebSocket data, a browser's Blob included (read
 * first when it is within the size cap). Never rejects.
 */
export const parseErrorAsync = protocol.parseErrorAsync;
