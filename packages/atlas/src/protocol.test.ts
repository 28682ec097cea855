import { describeConformance } from "@wirefault/test-utils/conformance";
import { protocol } from "./protocol.js";

describeConformance(protocol, {
  details: [
    {
      payload: { code: 4001, message: "x", ref_msg_id: "m\nBearer abcdef123" },
      expected: { refMsgId: "m\nBearer [redacted]" },
      without: { code: 4001, message: "x" },
    },
    {
      payload: { type: "zone.error", request_id: "r\u001b[2J", code: "full" },
      expected: { requestId: "r\u001b[2J" },
      without: { type: "zone.error", code: "full" },
    },
  ],
  dir: new URL(".", import.meta.url),
  wire: (entry, code) =>
    entry.surface === "wire"
      ? { code, message: `wire said ${code}`, ref_msg_id: "msg_1" }
      : { type: "zone.error", request_id: "req_1", code, message: `zone said ${code}` },
});
