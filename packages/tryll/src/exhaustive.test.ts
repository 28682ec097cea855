import { describeExhaustive } from "@wirefault/test-utils/typecheck";
import { catalog } from "./catalog.js";

const imports =
  'import { parseError } from "./index.js";\nimport { decodeFrame, parseError as parseFrame } from "./frame.js";';
const codes = catalog.map((entry) => entry.code);

// The README's pattern, compiled by tsc: a switch with every documented code
// compiles, and the same switch with one case removed does not.
describeExhaustive(new URL(".", import.meta.url), {
  parseError: { imports, bind: "const err = parseError(input);", codes },
  frameParseError: { imports, bind: "const err = parseFrame(input);", codes },
  decodeFrame: { imports, bind: "const err = decodeFrame(input as Uint8Array);\n  if (!err) return;", codes },
});
