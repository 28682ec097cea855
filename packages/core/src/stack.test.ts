import { describe, expect, it } from "vitest";
import { ProtocolError } from "./error.js";
import { atCaller, withoutStack } from "./stack.js";

/** Runs `check` with Error.stackTraceLimit read-only, then puts it back. */
function withReadOnlyLimit(check: () => void): void {
  const limit = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
  Object.defineProperty(Error, "stackTraceLimit", {
    value: Error.stackTraceLimit,
    writable: false,
    configurable: true,
  });
  try {
    check();
  } finally {
    if (limit) Object.defineProperty(Error, "stackTraceLimit", limit);
  }
}

describe("atCaller", () => {
  const make = () =>
    new ProtocolError({ protocol: "atlas", code: 1, message: "m", retryable: "no", action: "abort", known: false });
  function parseLike(build: () => ProtocolError = make): ProtocolError {
    return atCaller(build, parseLike);
  }
  function usersCode(): ProtocolError {
    return parseLike();
  }
  const frames = (err: Error) => String(err.stack).split("\n").slice(1);

  it("starts the stack at the caller of the entry, with the usual depth after it", () => {
    const err = usersCode();
    expect(err).toBeInstanceOf(ProtocolError);
    expect(frames(err)[0]).toContain("usersCode");
    expect(String(err.stack)).not.toMatch(/parseLike|atCaller|make/);
    expect(frames(err).length).toBeGreaterThan(1);
    expect(String(err.stack).split("\n")[0]).toBe("ProtocolError: m");
  });

  it("restores Error.stackTraceLimit, also when the builder throws", () => {
    const before = Error.stackTraceLimit;
    usersCode();
    expect(Error.stackTraceLimit).toBe(before);
    expect(() =>
      parseLike(() => {
        throw new RangeError("boom");
      }),
    ).toThrow(RangeError);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it("keeps the usual stack when the limit cannot be written or the engine has no captureStackTrace", () => {
    const limit = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
    withReadOnlyLimit(() => expect(String(usersCode().stack)).toContain("parseLike"));
    const capture = Object.getOwnPropertyDescriptor(Error, "captureStackTrace");
    Reflect.deleteProperty(Error, "captureStackTrace");
    try {
      const err = usersCode();
      expect(String(err.stack)).toContain("parseLike");
      expect(Error.stackTraceLimit).toBe(limit?.value);
    } finally {
      if (capture) Object.defineProperty(Error, "captureStackTrace", capture);
    }
  });
});

describe("withoutStack", () => {
  const make = () =>
    new ProtocolError({ protocol: "atlas", code: 1, message: "m", retryable: "no", action: "abort", known: false });

  it("builds the error with its first line and no frames, and restores the limit", () => {
    const before = Error.stackTraceLimit;
    const err = withoutStack(make);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.stack).toBe("ProtocolError: m");
    expect(Error.stackTraceLimit).toBe(before);
    expect(() =>
      withoutStack(() => {
        throw new RangeError("boom");
      }),
    ).toThrow(RangeError);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it("keeps the usual stack when the limit cannot be written", () => {
    withReadOnlyLimit(() => expect(String(withoutStack(make).stack).split("\n").length).toBeGreaterThan(1));
  });
});
