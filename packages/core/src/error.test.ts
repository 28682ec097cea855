import { inspect } from "node:util";
import { runInNewContext } from "node:vm";
import { revokedProxy } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { isProtocolError, ProtocolError, type ProtocolErrorInit, redactSecrets } from "./error.js";

const init: ProtocolErrorInit<"rate_limited"> = {
  protocol: "teale-relay",
  surface: "relay",
  code: "rate_limited",
  codeName: "rate_limited",
  message: "Discover rate limited, retry after 8s",
  retryable: "yes",
  action: "throttle",
  known: true,
  retryAfterMs: 8000,
  raw: { error: { code: "rate_limited", secret: "do-not-serialize" } },
};

class SubError extends ProtocolError<"rate_limited"> {
  static {
    this.prototype.name = "SubError";
  }
  readonly requestId = 2n ** 64n - 1n;
}

describe("ProtocolError", () => {
  it("carries every public field", () => {
    const err = new ProtocolError(init);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: "ProtocolError",
      protocol: "teale-relay",
      surface: "relay",
      code: "rate_limited",
      message: "Discover rate limited, retry after 8s",
      status: undefined,
      retryable: "yes",
      action: "throttle",
      retryAfterMs: 8000,
      known: true,
    });
  });

  it("keeps raw non-enumerable and out of toJSON, String and inspect", () => {
    const err = new ProtocolError(init);
    expect(err.raw).toBe(init.raw);
    expect(Object.keys(err)).not.toContain("raw");
    expect(JSON.stringify(err)).not.toContain("do-not-serialize");
    expect(String(err)).not.toContain("do-not-serialize");
    expect(inspect(err)).not.toContain("do-not-serialize");
  });

  it("serializes exactly the documented fields", () => {
    const cause = new Error("socket hang up");
    const json = new ProtocolError({ ...init, cause }).toJSON();
    expect(json).toEqual({
      name: "ProtocolError",
      protocol: "teale-relay",
      surface: "relay",
      code: "rate_limited",
      codeName: "rate_limited",
      message: "Discover rate limited, retry after 8s",
      status: undefined,
      retryable: "yes",
      action: "throttle",
      retryAfterMs: 8000,
      known: true,
      cause: { name: "Error", message: "socket hang up", cause: undefined },
    });
  });

  it("chains the standard cause", () => {
    const cause = new TypeError("fetch failed");
    expect(new ProtocolError({ ...init, cause }).cause).toBe(cause);
    expect("cause" in new ProtocolError(init)).toBe(false);
  });

  it("bounds cyclic cause chains in toJSON", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(() => JSON.stringify(new ProtocolError({ ...init, cause: a }))).not.toThrow();
  });

  it("keeps subclass names through minification and serializes bigint ids as strings", () => {
    const err = new SubError(init);
    expect(err.name).toBe("SubError");
    expect(String(err)).toBe("SubError: Discover rate limited, retry after 8s");
    expect(err.stack?.startsWith("SubError:")).toBe(true);
    expect(err.toJSON().requestId).toBe("18446744073709551615");
  });

  it("masks secrets in a code kept as received and in every string field of toJSON", () => {
    class WithId extends ProtocolError {
      readonly eventId = "evt?token=rla_abcdef123";
    }
    const err = new WithId({ ...init, code: "invalid token rla_abcdef123" as never, known: false });
    expect(err.code).toBe("invalid token rla_[redacted]");
    expect(JSON.stringify(err)).not.toContain("abcdef123");
  });

  it("rejects a non-finite or negative retry hint", () => {
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(new ProtocolError({ ...init, retryAfterMs: bad }).retryAfterMs).toBeUndefined();
    }
  });

  it("masks secrets in messages", () => {
    const err = new ProtocolError({ ...init, message: "bad key sk-abcdef123456 at /v1?token=rla_xyz&x=1" });
    expect(err.message).toBe("bad key sk-[redacted] at /v1?token=[redacted]&x=1");
    expect(redactSecrets("Authorization: Bearer abc.def.ghi")).toBe("Authorization: Bearer [redacted]");
    expect(redactSecrets("bad api_key=abc123 here")).toBe("bad api_key=[redacted] here");
    expect(redactSecrets('{"api_key": "abc123", "token":"x9"}')).toBe(
      '{"api_key": "[redacted]", "token":"[redacted]"}',
    );
    expect(redactSecrets("Missing nodeID in register payload")).toBe("Missing nodeID in register payload");
    expect(redactSecrets("invalid token")).toBe("invalid token");
  });
});

describe("isProtocolError", () => {
  it("recognises errors from another copy of the package and another realm", () => {
    const foreign = runInNewContext(
      `const e = new Error("x"); Object.defineProperty(e, Symbol.for("wirefault.ProtocolError"), { value: true }); e`,
    );
    expect(isProtocolError(foreign)).toBe(true);
    expect(foreign instanceof ProtocolError).toBe(true);
  });

  it("matches a subclass's errors from another copy of it, by brand and class name", () => {
    // Another copy of core (a CJS build, a duplicate install): its own base class with the shared brand.
    class CopiedBase extends Error {
      static {
        Object.defineProperty(this.prototype, Symbol.for("wirefault.ProtocolError"), { value: true });
      }
    }
    class CopiedSubError extends CopiedBase {
      static {
        this.prototype.name = "SubError";
      }
    }
    class CopiedOtherError extends CopiedBase {
      static {
        this.prototype.name = "OtherError";
      }
    }
    class Unbranded extends Error {
      static {
        this.prototype.name = "SubError";
      }
    }
    expect(new CopiedSubError("x") instanceof SubError).toBe(true);
    expect(new CopiedOtherError("x") instanceof SubError).toBe(false);
    expect(new Unbranded("x") instanceof SubError).toBe(false);
    expect(revokedProxy() instanceof SubError).toBe(false);
  });

  it("does not let one subclass claim another's errors", () => {
    expect(new ProtocolError(init) instanceof SubError).toBe(false);
    expect(new SubError(init) instanceof ProtocolError).toBe(true);
  });

  it("is false for look-alikes", () => {
    expect(isProtocolError({ protocol: "atlas", code: 1 })).toBe(false);
    expect(isProtocolError(new Error("x"))).toBe(false);
    expect(isProtocolError(null)).toBe(false);
  });
});
