// @wirefault/atlas from the registry: a JSON error, then the same error through
// the MessagePack subpath (which brings @msgpack/msgpack from the registry).
import { AtlasError, parseError } from "@wirefault/atlas";
import { encodeErrorMessage, parseError as parseMessagePack } from "@wirefault/atlas/msgpack";

const err = parseError({ code: 4001, message: "rate limit exceeded", ref_msg_id: "msg_01JX" });
if (!(err instanceof AtlasError) || err.code !== 4001 || err.action !== "throttle")
  throw new Error(`atlas: ${JSON.stringify(err)}`);
const again = parseMessagePack(encodeErrorMessage(err));
if (!(again instanceof AtlasError) || again.code !== 4001) throw new Error(`atlas msgpack: ${JSON.stringify(again)}`);
console.log(`atlas: ${err.codeName} through JSON and MessagePack`);
