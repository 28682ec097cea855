// Every function of a protocol builds its error in its own frame: the stack is
// that function's frame, then the caller's, as deep as Error.stackTraceLimit, with
// none of core's other frames; and the error stays in V8's fast mode (no capture).
// fromResponse, which builds its error after an await, is checked in http.test.ts.

import { setFlagsFromString } from "node:v8";
import { stackProblems } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { defineCatalog } from "./catalog.js";
import { MALFORMED, ProtocolError } from "./error.js";
import { defineProtocol, overHttp, overSocket, overWebSocket } from "./protocol.js";
import { withoutStack } from "./stack.js";

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

class SampleError extends ProtocolError {
  static {
    this.prototype.name = "SampleError";
  }
}

const sample = defineProtocol({
  name: "sample",
  title: "Sample",
  maxBytes: 64,
  catalog: defineCatalog([
    { surface: "api", code: "busy", name: "Busy", status: 503, retryable: "yes", action: "retry", summary: "Busy." },
  ] as const),
  http: overHttp("api"),
  websocket: overWebSocket({ closeCodes: [] }),
  socket: overSocket({ surface: "api", unreachable: "busy", dropped: "busy", timeout: "busy", other: "busy" }),
  readers: [(value: unknown) => ({ surface: "api", code: (value as { code?: string })?.code })],
  errorClass: () => SampleError,
});

const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
const lost = { status: 503, text: undefined, tooLarge: false, retryAfterMs: undefined, cause: reset };

// Each entry called from a function of the caller's own, named for the check.
function callersFrame(entry: string): readonly ProtocolError[] {
  switch (entry) {
    case "parseError":
      // A documented code, text that is not JSON, input over the cap, a network failure.
      return [
        sample.parseError({ code: "busy" }),
        sample.parseError("not json"),
        sample.parseError("x".repeat(65)),
        sample.parseError(reset),
      ];
    case "fromClose":
      return [sample.fromClose(1006), sample.fromClose(99)];
    case "fromSocketError":
      return [sample.fromSocketError(reset)];
    case "localError":
      return [sample.localError(MALFORMED, "m")];
    default:
      return [sample.unreadBody(lost) as ProtocolError];
  }
}

describe("the stack of an error", () => {
  it.each(["parseError", "fromClose", "fromSocketError", "localError", "unreadBody"])(
    "%s: its own frame, then the caller's, as many frames as Error.stackTraceLimit",
    (entry) => {
      for (const err of callersFrame(entry)) {
        expect(err).toBeInstanceOf(SampleError);
        expect(String(err.stack).split("\n")[0]).toBe(`SampleError: ${err.message}`);
        expect(stackProblems(err.stack, { entry, caller: "callersFrame" })).toEqual([]);
      }
    },
  );

  it("holds the caller's own limit: no frame more for the entry's", () => {
    const limit = Error.stackTraceLimit;
    try {
      for (const depth of [2, 4, 25]) {
        Error.stackTraceLimit = depth;
        for (const err of callersFrame("parseError"))
          expect(stackProblems(err.stack, { entry: "parseError", caller: "callersFrame" }, depth)).toEqual([]);
      }
    } finally {
      Error.stackTraceLimit = limit;
    }
  });

  it("stays in V8's fast mode: no Error.captureStackTrace after the error is built", () => {
    setFlagsFromString("--allow-natives-syntax");
    const fast = new Function("o", "return %HasFastProperties(o)") as (value: object) => boolean;
    setFlagsFromString("--no-allow-natives-syntax");
    // The check itself: a capture moves an error to dictionary mode.
    const captured = new ProtocolError({ code: 1, message: "m", retryable: "no", action: "abort", known: false });
    Error.captureStackTrace(captured);
    expect(fast(captured)).toBe(false);
    for (const entry of ["parseError", "fromClose", "fromSocketError", "localError", "unreadBody"])
      for (const err of callersFrame(entry)) expect({ entry, fast: fast(err) }).toEqual({ entry, fast: true });
  });

  it("stack: false gives the first line only, and leaves the limit as it was", () => {
    const before = Error.stackTraceLimit;
    const err = sample.parseError({ code: "busy" }, { stack: false });
    expect(err.stack).toBe("SampleError: Busy.");
    expect(Error.stackTraceLimit).toBe(before);
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
