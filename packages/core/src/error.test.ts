import { inspect } from "node:util";
import { runInNewContext } from "node:vm";
import { growth, LINEAR_GROWTH, revokedProxy } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { defineCatalog, indexCatalog } from "./catalog.js";
import { isProtocolError, ProtocolError, type ProtocolErrorInit } from "./error.js";
import { escapeControls, redactSecrets } from "./redact.js";

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

  it("chains the standard cause, as a masked copy of the same class", () => {
    const cause = new TypeError("fetch failed");
    const kept = new ProtocolError({ ...init, cause }).cause as TypeError;
    expect(kept).not.toBe(cause);
    expect(kept).toBeInstanceOf(TypeError);
    expect(kept.message).toBe("fetch failed");
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

  it("rejects a NaN or negative retry hint, and clamps one too large (Infinity too) to 2^53-1 ms", () => {
    for (const bad of [Number.NaN, -1, Number.NEGATIVE_INFINITY]) {
      expect(new ProtocolError({ ...init, retryAfterMs: bad }).retryAfterMs).toBeUndefined();
    }
    for (const huge of [Number.MAX_SAFE_INTEGER + 2, Number.POSITIVE_INFINITY]) {
      expect(new ProtocolError({ ...init, retryAfterMs: huge }).retryAfterMs).toBe(Number.MAX_SAFE_INTEGER);
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

describe("ProtocolError with the verdict beside the init", () => {
  const catalog = defineCatalog([
    {
      surface: "relay",
      code: "rate_limited",
      name: "RATE_LIMITED",
      status: 429,
      retryable: "yes",
      action: "throttle",
      summary: "Too many requests.",
      policy: { baseMs: 10_000 },
    },
  ] as const);
  const index = indexCatalog(catalog);

  it("takes what the init leaves undefined from the verdict, and nothing else of it", () => {
    const verdict = index.classify("rate_limited", "relay");
    const raw = { error: {} };
    const err = new ProtocolError({ code: "rate_limited", message: "slow down", raw }, "teale-relay", verdict);
    expect(err).toMatchObject({
      protocol: "teale-relay",
      surface: "relay",
      code: "rate_limited",
      codeName: "RATE_LIMITED",
      status: 429,
      retryable: "yes",
      action: "throttle",
      known: true,
    });
    expect(err.policy).toEqual({ baseMs: 10_000 });
    expect(err.raw).toBe(raw);
    // The verdict's entry and range are catalog data, not error fields.
    expect(Object.keys(err.toJSON())).not.toContain("entry");
    expect(Object.keys(err)).not.toContain("range");
  });

  it("lets the wire's facts win over the verdict", () => {
    const verdict = index.classify("rate_limited", "relay");
    const err = new ProtocolError(
      { code: "rate_limited", message: "m", status: 503, retryable: "maybe", action: "retry" },
      "teale-relay",
      verdict,
    );
    expect([err.status, err.retryable, err.action, err.known]).toEqual([503, "maybe", "retry", true]);
  });

  it("masks a code the verdict does not know, as when it is spread", () => {
    const verdict = index.classify("sk-abcdef123456", "relay");
    const err = new ProtocolError({ code: "sk-abcdef123456", message: "m" }, "teale-relay", verdict);
    expect([err.code, err.known, err.retryable, err.action]).toEqual(["sk-[redacted]", false, "no", "abort"]);
  });
});

/** Forms of secrets masked, each with what stays of it. */
const MASKED: readonly (readonly [string, string])[] = [
  ["Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"],
  ["Bearer%20abc.def", "Bearer%20[redacted]"],
  ["Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [redacted]"],
  ["Authorization: Token 9944b09199c62bcf", "Authorization: Token [redacted]"],
  ["Token 9944b09199c62bcf9418", "Token [redacted]"],
  ["x-api-key: abcd1234", "x-api-key: [redacted]"],
  ["Set-Cookie: sid=abc123; Path=/", "Set-Cookie: sid=[redacted]; Path=/"],
  ["password: must be at least 8 characters", "password: [redacted]"],
  ["bad key sk-abcdef123456", "bad key sk-[redacted]"],
  ["key pk_live_0123456789abcdef", "key pk_[redacted]"],
  ["/v1?token=rla_xyz&x=1", "/v1?token=[redacted]&x=1"],
  ["/v1?token%3Dabc123", "/v1?token%3D[redacted]"],
  ["refresh_token=abc123", "refresh_token=[redacted]"],
  ["id_token=eyJhbGc", "id_token=[redacted]"],
  ["auth_token=x", "auth_token=[redacted]"],
  ["session_token=y", "session_token=[redacted]"],
  ["accessToken=abc", "accessToken=[redacted]"],
  ["sessionToken=abc", "sessionToken=[redacted]"],
  ["client_secret=shh", "client_secret=[redacted]"],
  ["api-key=k1", "api-key=[redacted]"],
  ["bad api_key=abc123 here", "bad api_key=[redacted] here"],
  ["private_key=-----BEGIN", "private_key=[redacted]"],
  ["password: hunter2", "password: [redacted]"],
  ['{"password": "correcthorse"}', '{"password": "[redacted]"}'],
  ['{"api_key": "abc123", "token":"x9"}', '{"api_key": "[redacted]", "token":"[redacted]"}'],
  ['"{\\"token\\": \\"abc\\"}"', '"{\\"token\\": \\"[redacted]\\"}"'],
];

/** Ordinary text that looks a little like a secret, kept as it is. */
const KEPT: readonly string[] = [
  "Peer rk-node-7 is not connected",
  "Signature: expected 64 bytes",
  "password reset email sent",
  "invalid token",
  "Token expired",
  "Basic plan required",
  "max_tokens=100 exceeds the limit",
  "tokens: 12 used",
  "Missing nodeID in register payload",
];

describe("redactSecrets: the forms", () => {
  it.each(MASKED)("masks %s", (text, masked) => {
    expect(redactSecrets(text)).toBe(masked);
  });

  it.each(KEPT)("keeps %s", (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it("is linear on a megabyte of hostile text", () => {
    const M = 1 << 20;
    const units = ["rk-1;", "rk-", "token:", "token=x&", "Bearer ", "Basic ", "a-", "a_secret", 'x\\"', "sk-a"];
    // Forms that each take one branch of the pattern as far as it goes before failing.
    units.push("password:x ", "sk-abcdefgh-", "Authorization: ", "Set-Cookie: a ", '\\"token\\":\\"x\\",');
    const text = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    for (const unit of units) {
      expect(redactSecrets(text(unit, M)).length, unit).toBeGreaterThan(0);
      expect(
        growth((scale) =>
          (
            (t) => () =>
              redactSecrets(t)
          )(text(unit, (M / 16) * scale)),
        ),
        unit,
      ).toBeLessThan(LINEAR_GROWTH);
    }
  });
});

describe("redactSecrets: a text with hundreds of secrets", () => {
  const key = (i: number) => `sk-live${String(i).padStart(6, "0")}`;
  const text = (n: number, tail = "") => Array.from({ length: n }, (_, i) => `k=${key(i)}`).join(" ") + tail;

  it("masks every one of them and keeps the rest of the text: no cap replaces text", () => {
    const masked = redactSecrets(text(3000, " and the end"));
    expect(masked.split("sk-[redacted]")).toHaveLength(3001);
    expect(masked).not.toMatch(/live\d/);
    expect(masked.endsWith(" and the end")).toBe(true);
  });

  it("gives the same text masked again", () => {
    for (const n of [0, 1, 255, 256, 257, 1000]) {
      const once = redactSecrets(text(n, " end"));
      expect(redactSecrets(once)).toBe(once);
    }
  });
});

describe("printing an error shows no secret and forges no line", () => {
  const secret = "rla_0123456789abcdef";
  const printed = (err: Error) => [
    err.message,
    String(err),
    String(err.stack),
    JSON.stringify(err),
    inspect(err, { depth: 10 }),
  ];

  it("masks a cause's message, stack and fields, nested causes included; a clean cause is copied too, never kept live", () => {
    const inner = Object.assign(new Error(`connect to /ws?token=${secret}`), { url: `/ws?token=${secret}` });
    const outer = new TypeError(`fetch failed for ${secret}`, { cause: inner });
    const err = new ProtocolError({ ...init, cause: outer });
    for (const text of printed(err)) expect(text).not.toContain("0123456789abcdef");
    expect(err.cause).toBeInstanceOf(TypeError);
    expect((err.cause as Error).message).toBe("fetch failed for rla_[redacted]");
    const clean = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const copied = new ProtocolError({ ...init, cause: clean }).cause as Error & { code?: string };
    expect(copied).not.toBe(clean);
    expect([copied.message, copied.code]).toEqual(["socket hang up", "ECONNRESET"]);
    const dom = new DOMException(`aborted ${secret}`, "AbortError");
    const masked = new ProtocolError({ ...init, cause: dom }).cause as DOMException;
    expect([masked.name, masked.message]).toEqual(["AbortError", "aborted rla_[redacted]"]);
    expect(new ProtocolError({ ...init, cause: `text ${secret}` }).cause).toBe("text rla_[redacted]");
  });

  it("escapes CR, LF, ESC and other controls in a message, so it cannot forge a stack frame", () => {
    const err = new ProtocolError({ ...init, message: "boom\n    at forged (evil.js:1:1)\r\u001b[31mred\u0000" });
    expect(err.message).toBe("boom\\n    at forged (evil.js:1:1)\\r\\x1b[31mred\\x00");
    expect(inspect(err)).not.toContain("\n    at forged");
    expect(escapeControls("tab\tstays")).toBe("tab\tstays");
  });

  it("drops a cause that cannot be read", () => {
    const hostile = new Proxy(new Error("x"), {
      get() {
        throw new Error("trap");
      },
    });
    expect(() => new ProtocolError({ ...init, cause: hostile })).not.toThrow();
  });
});

describe("an error in a field prints as a masked copy", () => {
  it("onRetryError's secret shows in neither inspect nor toJSON", () => {
    const err = new ProtocolError(init);
    Object.assign(err, { onRetryError: Object.assign(new Error("hook failed"), { token: "hook-secret-1234" }) });
    expect(inspect(err, { depth: 5 })).not.toContain("hook-secret-1234");
    expect(JSON.stringify(err)).not.toContain("hook-secret-1234");
  });
});
