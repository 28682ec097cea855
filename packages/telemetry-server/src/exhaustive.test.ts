import { fileURLToPath } from "node:url";

import { checkExhaustive } from "@wirefault/test-utils/typecheck";
import { describe, expect, it } from "vitest";
import { catalog } from "./catalog.js";

const imports = 'import { fromResponse, parseBatchResponse, parseError, readBatchResponse } from "./index.js";';
const codes = catalog.map((entry) => entry.code);

// The README's pattern, compiled by tsc: a switch with every documented code
// compiles, and the same switch with one case removed does not.
const results = checkExhaustive(fileURLToPath(new URL(".", import.meta.url)), {
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

describe("the exhaustive switch on a known code", () => {
  it.each(Object.entries(results))("%s: complete compiles, one case missing fails", (_name, result) => {
    expect(result.complete).toEqual([]);
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]?.message).toMatch(/is not assignable to type 'never'/);
    expect(result.missing[0]?.message).toContain(JSON.stringify(result.dropped));
  });
});
