// @wirefault/tryll from the registry: a frame built and read back through the
// frame subpath (which brings flatbuffers from the registry).
import { TryllError } from "@wirefault/tryll";
import { encodeErrorFrame, parseError as parseFrame } from "@wirefault/tryll/frame";

const err = parseFrame(encodeErrorFrame({ code: 3004, message: "agent busy", requestId: 7n }));
if (!(err instanceof TryllError) || err.code !== 3004) throw new Error(`tryll: ${JSON.stringify(err)}`);
console.log(`tryll: ${err.codeName} from a FlatBuffers frame`);
