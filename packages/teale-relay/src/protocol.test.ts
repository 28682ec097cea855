import { describeConformance } from "@wirefault/test-utils/conformance";
import { protocol } from "./protocol.js";

describeConformance(protocol, {
  dir: new URL(".", import.meta.url),
  // PTN and Noise errors are raised by a node itself; no peer sends them.
  wire: (entry, code) =>
    entry.surface === "relay"
      ? { error: { code, message: `relay said ${code}` } }
      : entry.surface === "api"
        ? { error: { message: `api said ${code}`, type: code, code } }
        : undefined,
});
