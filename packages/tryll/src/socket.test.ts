import { isRetryable } from "@wirefault/core";
import { revokedProxy, throwingGetters, trapProxy } from "@wirefault/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLIENT_FAILURE } from "./catalog.js";
import { TryllError } from "./error.js";
import { parseError } from "./protocol.js";
import { fromSocketError } from "./socket.js";

const sysError = (code: string, message = `${code} happened`) => Object.assign(new Error(message), { code });

describe("fromSocketError", () => {
  it.each([
    ["ECONNREFUSED", 1001, "ConnectionFailed"],
    ["ENOTFOUND", 1001, "ConnectionFailed"],
    ["EAI_AGAIN", 1001, "ConnectionFailed"],
    ["EHOSTUNREACH", 1001, "ConnectionFailed"],
    ["ENETUNREACH", 1001, "ConnectionFailed"],
    ["UND_ERR_CONNECT_TIMEOUT", 1001, "ConnectionFailed"],
    ["ECONNRESET", 1002, "ConnectionDropped"],
    ["EPIPE", 1002, "ConnectionDropped"],
    ["ECONNABORTED", 1002, "ConnectionDropped"],
    ["ERR_STREAM_PREMATURE_CLOSE", 1002, "ConnectionDropped"],
    ["UND_ERR_SOCKET", 1002, "ConnectionDropped"],
    ["ETIMEDOUT", 1003, "Timeout"],
    ["ESOCKETTIMEDOUT", 1003, "Timeout"],
  ])("maps %s to %i %s", (code, expected, name) => {
    const cause = sysError(code, `connect ${code} 127.0.0.1:9000`);
    const err = fromSocketError(cause);
    expect(err).toBeInstanceOf(TryllError);
    expect(err).toMatchObject({
      code: expected,
      codeName: name,
      layer: "connection",
      retryable: "yes",
      action: "reconnect",
      known: true,
      message: `connect ${code} 127.0.0.1:9000`,
    });
    // A cause is kept as a masked copy, never the live object (issue 26).
    expect(err.cause).not.toBe(cause);
    expect(err.cause).toMatchObject({ name: (cause as Error).name, message: (cause as Error).message });
    expect(err.raw).toBe(cause);
    expect(isRetryable(err)).toBe(true);
  });

  it("maps a TimeoutError by name, and finds codes along the cause chain", () => {
    expect(fromSocketError(new DOMException("The operation timed out.", "TimeoutError"))).toMatchObject({ code: 1003 });
    const wrapped = new Error("request failed", { cause: new Error("socket", { cause: sysError("ECONNRESET") }) });
    expect(fromSocketError(wrapped)).toMatchObject({ code: 1002, message: "request failed" });
  });

  it("maps a close without an error to 1002", () => {
    for (const close of [undefined, null, false, true, { type: "close", code: 1006 }])
      expect(fromSocketError(close)).toMatchObject({
        code: 1002,
        message: "Connection lost mid-session; reconnect, configure and recreate agents.",
      });
  });

  it("makes every recognised failure 1001 while still connecting", () => {
    for (const err of [sysError("ECONNRESET"), sysError("ETIMEDOUT"), new DOMException("t", "TimeoutError"), undefined])
      expect(fromSocketError(err, { connected: false })).toMatchObject({ code: 1001, codeName: "ConnectionFailed" });
  });

  it("carries the ids the caller knows", () => {
    expect(fromSocketError(sysError("ETIMEDOUT"), { requestId: 12n, agentId: 3n })).toMatchObject({
      code: 1003,
      requestId: 12n,
      agentId: 3n,
    });
  });

  it("gives anything else code 0: client-side, unknown, abort", () => {
    const abort = new DOMException("This operation was aborted", "AbortError");
    const tls = sysError("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames");
    for (const [input, message] of [
      [abort, "This operation was aborted"],
      [tls, "Hostname/IP does not match certificate's altnames"],
      [new TypeError("x is not a function"), "x is not a function"],
      [new Error(""), "Client-side failure"],
      ["ECONNRESET", "Client-side failure"],
      [42, "Client-side failure"],
    ] as const) {
      const err = fromSocketError(input);
      expect(err).toMatchObject({
        code: CLIENT_FAILURE,
        codeName: undefined,
        known: false,
        layer: "client",
        retryable: "no",
        action: "abort",
        message,
      });
      expect(isRetryable(err)).toBe(false);
    }
    // An abort wins over a network code further down its cause chain: the caller chose to stop.
    expect(fromSocketError(new DOMException("stop", "AbortError"))).toMatchObject({ code: 0 });
  });

  it("returns a TryllError unchanged and survives hostile input", () => {
    const already = parseError({ code: 3004, message: "busy" });
    expect(fromSocketError(already)).toBe(already);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(fromSocketError(proxy)).toMatchObject({ code: 0, message: "Client-side failure" });
    const getter = Object.defineProperty({}, "code", {
      get() {
        throw new Error("boom");
      },
    });
    expect(fromSocketError(getter)).toMatchObject({ code: 0 });
  });
});

describe("fromSocketError never throws (fuzz)", () => {
  it("with any error and any context: null, a Proxy, throwing getters", () => {
    // Proxies are made inside the property: fast-check itself probes generated values.
    const hostile = fc.oneof(
      fc.anything({ withBigInt: true, withMap: true, withNullPrototype: true }).map((value) => () => value),
      fc.constantFrom(
        () => null,
        () => trapProxy(),
        () => revokedProxy(),
        () => throwingGetters(["requestId", "agentId", "connected", "code", "message", "cause", "name"]),
      ),
    );
    fc.assert(
      fc.property(hostile, hostile, (err, context) => {
        expect(fromSocketError(err(), context() as never)).toBeInstanceOf(TryllError);
      }),
    );
    expect(fromSocketError(sysError("ECONNRESET"), null as never).code).toBe(1002);
    expect(fromSocketError(sysError("ECONNRESET"), trapProxy() as never).code).toBe(1002);
    expect(fromSocketError(sysError("ECONNREFUSED"), { connected: false, requestId: 5n }).requestId).toBe(5n);
  });
});
