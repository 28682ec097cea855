import { fileURLToPath } from "node:url";
import { checkExhaustive } from "@wirefault/test-utils/typecheck";
import { describe, expect, it } from "vitest";
import { catalog } from "./catalog.js";
import { classifyCloseCode } from "./close.js";

const imports = 'import { fromClose, fromResponse, parseError } from "./index.js";';
const codes = catalog.map((entry) => entry.code);
const closeCodes = Array.from({ length: 5000 }, (_, code) => code).filter((code) => classifyCloseCode(code));

// The README's pattern, compiled by tsc: a switch with every documented code
// compiles, and the same switch with one case removed does not.
const results = checkExhaustive(fileURLToPath(new URL(".", import.meta.url)), {
  parseError: { imports, bind: "const err = parseError(input);", codes },
  fromResponse: { imports, bind: "const err = await fromResponse(input as Response);", codes },
  fromClose: { imports, bind: "const err = fromClose(input);", codes: closeCodes },
});

describe("the exhaustive switch on a known code", () => {
  it.each(Object.entries(results))("%s: complete compiles, one case missing fails", (_name, result) => {
    expect(result.complete).toEqual([]);
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]?.message).toMatch(/is not assignable to type 'never'/);
    expect(result.missing[0]?.message).toContain(JSON.stringify(result.dropped));
  });

  it("covers exactly the catalog's codes, not the AGENT_NOT_ALLOWED alias", () => {
    expect(codes).not.toContain("AGENT_NOT_ALLOWED");
    expect(closeCodes).toContain(4001);
  });
});
