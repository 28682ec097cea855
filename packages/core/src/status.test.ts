import { STATUS_EXPECTED } from "@wirefault/test-utils/conformance";
import { describe, expect, it } from "vitest";
import { classifyStatus, httpStatus } from "./status.js";

describe("classifyStatus", () => {
  it("reads every status the protocol pages name as the conformance suite's data says", () => {
    for (const [status, expected] of Object.entries(STATUS_EXPECTED))
      expect({ status, ...classifyStatus(Number(status)) }).toEqual({ status, ...expected });
  });

  it("reads the rest of a class as the class, and anything else (no status, 2xx, 3xx, junk) as no / abort", () => {
    expect(classifyStatus(418)).toEqual({ retryable: "no", action: "fix-request" });
    expect(classifyStatus(599)).toEqual({ retryable: "maybe", action: "retry" });
    for (const status of [undefined, 200, 304, 99, 600, 450.5, Number.NaN])
      expect(classifyStatus(status)).toEqual({ retryable: "no", action: "abort" });
  });

  it("takes only an integer status from 100 to 599", () => {
    expect([httpStatus(100), httpStatus(599), httpStatus(600), httpStatus("503"), httpStatus(503.5)]).toEqual([
      100,
      599,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
