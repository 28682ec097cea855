import { describeExhaustive } from "@wirefault/test-utils/typecheck";
import { describe, expect, it } from "vitest";
import { catalog } from "./catalog.js";
import { classifyCloseCode } from "./close.js";

const imports = 'import { fromClose, fromResponse, parseError } from "./index.js";';
const codes = catalog.map((entry) => entry.code);
const closeCodes = Array.from({ length: 5000 }, (_, code) => code).filter((code) => classifyCloseCode(code));

// The README's pattern, compiled by tsc: a switch with every documented code
// compiles, and the same switch with one case removed does not.
describeExhaustive(new URL(".", import.meta.url), {
  parseError: { imports, bind: "const err = parseError(input);", codes },
  fromResponse: { imports, bind: "const err = await fromResponse(input as Response);", codes },
  fromClose: { imports, bind: "const err = fromClose(input);", codes: closeCodes },
});

describe("the known union", () => {
  it("covers exactly the catalog's codes, not the AGENT_NOT_ALLOWED alias", () => {
    expect(codes).not.toContain("AGENT_NOT_ALLOWED");
    expect(closeCodes).toContain(4001);
  });
});
