import { describeExhaustive } from "@wirefault/test-utils/typecheck";
import { catalog } from "./catalog.js";

const imports = 'import { fromResponse, parseBatchResponse, parseError, readBatchResponse } from "./index.js";';
const codes = catalog.map((entry) => entry.code);

// The README's pattern, compiled by tsc: a switch with every documented code
// compiles, and the same switch with one case removed does not.
describeExhaustive(new URL(".", import.meta.url), {
  parseError: { imports, bind: "const err = parseError(input);", codes },
  fromResponse: { imports, bind: "const err = await fromResponse(input as Response);", codes },
  parseBatchResponse: {
    imports,
    bind: "for (const err of parseBatchResponse(207, input).errors) {",
    close: "}",
    codes,
  },
  readBatchResponse: {
    imports,
    bind: "for (const err of (await readBatchResponse(input as Response)).errors) {",
    close: "}",
    codes,
  },
});
