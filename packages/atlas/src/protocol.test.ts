import { describeConformance } from "@wirefault/test-utils/conformance";
import { protocol } from "./protocol.js";

describeConformance(protocol, {
  dir: new URL(".", import.meta.url),
  wire: (entry, code) =>
    entry.surface === "wire"
      ? { code, message: `wire said ${code}`, ref_msg_id: "msg_1" }
      : { type: "zone.error", request_id: "req_1", code, message: `zone said ${code}` },
});
