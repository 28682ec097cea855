import { describe, expect, it } from "vitest";
import { isRetryable } from "./classify.js";
import { ProtocolError, type Retryable } from "./error.js";

const protocolError = (retryable: Retryable) =>
  new ProtocolError({ protocol: "atlas", code: 1, message: "m", retryable, action: "retry", known: true });
const sysError = (code: string) => Object.assign(new Error(code), { code });

describe("isRetryable", () => {
  it("follows a ProtocolError's retryable", () => {
    expect(isRetryable(protocolError("yes"))).toBe(true);
    expect(isRetryable(protocolError("maybe"))).toBe(true);
    expect(isRetryable(protocolError("no"))).toBe(false);
  });

  it.each([
    "ECONNRESET",
    "ECONNREFUSED",
    "ETIMEDOUT",
    "EPIPE",
    "EAI_AGAIN",
    "UND_ERR_SOCKET",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_HEADERS_TIMEOUT",
  ])("retries Node system failure %s", (code) => {
    expect(isRetryable(sysError(code))).toBe(true);
  });

  it("does not retry unrelated system codes", () => {
    expect(isRetryable(sysError("ENOENT"))).toBe(false);
    expect(isRetryable(sysError("ERR_INVALID_ARG_TYPE"))).toBe(false);
  });

  it("retries fetch TypeErrors from every engine, not programming TypeErrors", () => {
    for (const message of [
      "fetch failed",
      "Failed to fetch",
      "NetworkError when attempting to fetch resource.",
      "Load failed",
    ]) {
      expect(isRetryable(new TypeError(message))).toBe(true);
    }
    expect(isRetryable(new TypeError("Cannot read properties of undefined"))).toBe(false);
  });

  it("reads undici's cause chain", () => {
    expect(isRetryable(new TypeError("fetch failed", { cause: sysError("ECONNRESET") }))).toBe(true);
  });

  it("retries timeouts and never aborts", () => {
    expect(isRetryable(new DOMException("timed out", "TimeoutError"))).toBe(true);
    expect(isRetryable(new DOMException("aborted", "AbortError"))).toBe(false);
    expect(isRetryable(new TypeError("fetch failed", { cause: new DOMException("aborted", "AbortError") }))).toBe(
      false,
    );
    expect(isRetryable(AbortSignal.abort().reason)).toBe(false);
  });

  it("is false for anything else", () => {
    for (const value of [undefined, null, 0, "ECONNRESET", new Error("boom"), {}])
      expect(isRetryable(value)).toBe(false);
  });

  it("stops at a bounded depth", () => {
    let deep: unknown = sysError("ECONNRESET");
    for (let i = 0; i < 20; i++) deep = new Error("wrap", { cause: deep });
    expect(isRetryable(deep)).toBe(false);
  });
});
