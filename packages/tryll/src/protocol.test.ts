import { describeConformance } from "@wirefault/test-utils/conformance";
import { encodeErrorFrame, protocol as frameProtocol } from "./frame.js";
import { protocol } from "./protocol.js";

const dir = new URL(".", import.meta.url);

describeConformance(protocol, {
  details: [
    {
      payload: { code: 3004, message: "busy", request_id: 5, agent_id: 7 },
      expected: { requestId: 5n, agentId: 7n },
      without: { code: 3004, message: "busy" },
    },
  ],
  dir,
  wire: (_, code) => ({ code, message: `peer said ${code}` }),
});

// The frame subpath is the same definition with a FlatBuffers codec: a peer sends frames.
describeConformance(frameProtocol, {
  dir,
  wire: (_, code) => encodeErrorFrame({ code, message: `peer said ${code}`, requestId: 1n, agentId: 2n }),
});
