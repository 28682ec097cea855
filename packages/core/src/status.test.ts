import { describe, expect, it } from "vitest";
import { classifyStatus } from "./status.js";

describe("classifyStatus", () => {
  it.each([
    [429, "yes", "throttle"],
    [503, "yes", "retry"],
    [502, "yes", "retry"],
    [408, "yes", "retry"],
    [500, "maybe", "retry"],
    [401, "no", "user-action"],
    [403, "no", "user-action"],
    [400, "no", "fix-request"],
    [200, "no", "abort"],
    [undefined, "no", "abort"],
  ] as const)("%s is %s / %s", (status, retryable, action) => {
    expect(classifyStatus(status)).toEqual({ retryable, action });
  });
});
