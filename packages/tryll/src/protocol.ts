import { defineProtocol, type ProtocolDefinition } from "@wirefault/core/protocol";
import { catalog, MAX_FRAME_BYTES, ranges, type TryllCatalogEntry } from "./catalog.js";
import { TryllError, type TryllErrorInit } from "./error.js";
import { decode, readers } from "./readers.js";

/**
 * What Tryll hands to `defineProtocol`: the catalog, the layer ranges and the
 * readers. The frame subpath builds its protocol from the same definition with
 * its FlatBuffers codec. No HTTP and no WebSocket: Tryll is framed TCP.
 * @internal
 */
export const definition: ProtocolDefinition<TryllCatalogEntry, TryllError> = {
  name: "tryll",
  title: "Tryll",
  maxBytes: MAX_FRAME_BYTES,
  catalog,
  ranges,
  codec: decode,
  readers,
  create: (init) => new TryllError(init as TryllErrorInit),
};

/**
 * Tryll as core builds it, without the frame codec. The CLI, the docs and the
 * checks read every fact from it.
 */
export const protocol = /* @__PURE__ */ defineProtocol(definition);

/**
 * Parses a Tryll error: a decoded `{code, message, request_id?, agent_id?}`,
 * its JSON text or UTF-8 bytes. Never throws: anything else is `MALFORMED`
 * (`TOO_LARGE` past 1 MiB), `known: false`. Binary frames need the frame
 * codec: use `parseError` from `@wirefault/tryll/frame`; here they give MALFORMED.
 */
export const parseError = protocol.parseError;

/** parseError for every form of data, a browser's Blob included (read first when it is within the cap). Never rejects. */
export const parseErrorAsync = protocol.parseErrorAsync;
