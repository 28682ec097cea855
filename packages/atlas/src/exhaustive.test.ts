import { describeExhaustive } from "@wirefault/test-utils/typecheck";
import { catalog } from "./catalog.js";

const imports =
  'import { parseError } from "./index.js";\nimport { decodeErrorMessage, parseError as parseMsgpack } from "./msgpack.js";';
const codes = catalog.map((entry) => entry.code);

// The README's pattern, compiled by tsc: a switch with every documented code
// compiles, and the same switch with one case removed does not.
describeExhaustive(new URL(".", import.meta.url), {
  parseError: { imports, bind: "const err = parseError(input);", codes },
  msgpackParseError: { imports, bind: "const err = parseMsgpack(input);", codes },
  decodeErrorMessage: { imports, bind: "const err = decodeErrorMessage(input as Uint8Array);", codes },
});
