import { describeConformance } from "@wirefault/test-utils/conformance";
import { encodeErrorFrame, protocol as frameProtocol } from "./frame.js";
import { protocol } from "./protocol.js";

const dir = new URL(".", import.meta.url);

describeConformance(protocol, { dir, wire: (_, code) => ({ code, message: `peer said ${code}` }) });

// The frame subpath is the same definition with a FlatBuffers codec: a peer sends frames.
describeConformance(frameProtocol, {
  dir,
  wire: (_, code) => encodeErrorFrame({ code, message: `peer said ${code}`, requestId: 1n, agentId: 2n }),
});
