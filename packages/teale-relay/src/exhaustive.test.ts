import { classifyClose } from "@wirefault/core/wire";
import { describeExhaustive } from "@wirefault/test-utils/typecheck";
import { catalog } from "./catalog.js";

const imports = 'import { fromClose, fromResponse, parseError } from "./index.js";';
const codes = catalog.map((entry) => entry.code);
const closeCodes = Array.from({ length: 5000 }, (_, code) => code).filter((code) => classifyClose(code));

// The README's pattern, compiled by tsc: a switch with every documented code
// compiles, and the same switch with one case removed does not.
describeExhaustive(new URL(".", import.meta.url), {
  parseError: { imports, bind: "const err = parseError(input);", codes },
  fromResponse: { imports, bind: "const err = await fromResponse(input as Response);", codes },
  fromClose: { imports, bind: "const err = fromClose(input as number);", codes: closeCodes },
});
