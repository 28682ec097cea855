import { catalog, MAX_JSON_BYTES, ranges } from "./catalog.js";
import { AtlasError } from "./error.js";
import { readers } from "./readers.js";
import { decodeJson } from "./wire.js";

/**
 * What Atlas hands to core, reading JSON and decoded objects: the catalog, the
 * ranges and the readers. The `./msgpack` subpath builds its own from this
 * one, with the MessagePack codec. Atlas answers over neither HTTP nor its own
 * WebSocket closes, so it sets neither. A module of its own, apart from the
 * functions built from it, so that the subpath loads it without building the
 * main entry's pipeline (issue 31's cold start).
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
  errorClass: () => AtlasError,
};
