import { growth, LINEAR_GROWTH } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { MASK, maskJson, maskText, maskValue } from "./mask.js";
import { body, ORDINARY_TEXTS, SECRET_CASES } from "./secret-corpus.js";

describe("maskText on the corpus", () => {
  it("holds at least 80 secret forms across both layers and 30 ordinary texts", () => {
    expect(SECRET_CASES.length).toBeGreaterThanOrEqual(80);
    expect(SECRET_CASES.filter((c) => c.layer === "key").length).toBeGreaterThan(20);
    expect(SECRET_CASES.filter((c) => c.layer === "form").length).toBeGreaterThan(20);
    expect(ORDINARY_TEXTS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(SECRET_CASES.map((c) => [c.name, c] as const))("masks %s", (_name, c) => {
    const out = maskText(c.text);
    expect(out).not.toContain(c.secret);
    expect(out).toContain(MASK);
  });

  it.each(ORDINARY_TEXTS.map((t) => [t]))("keeps %s", (text) => expect(maskText(text)).toBe(text));

  it("keeps every character around a secret", () => {
    expect(maskText("before token=abc123 after")).toBe("before token=[redacted] after");
    expect(maskText('{"a":1,"password":"x y","b":"ok"}')).toBe('{"a":1,"password":"[redacted]","b":"ok"}');
    expect(maskText("Authorization: Bearer abc.def\nnext")).toBe("Authorization: Bearer [redacted]\nnext");
    expect(maskText("Set-Cookie: sid=abc; Path=/; HttpOnly")).toBe("Set-Cookie: sid=[redacted]; Path=/; HttpOnly");
  });
});

describe("maskValue and maskJson", () => {
  it("masks a secret key's value whole, whatever it looks like, nested", () => {
    const value = { token: "abc123", nested: { deep: [{ apiKey: 42, note: "sk-live-not" }] }, credentials: { u: "x" } };
    expect(maskValue(value)).toEqual({
      token: MASK,
      nested: { deep: [{ apiKey: MASK, note: "sk-live-not" }] },
      credentials: MASK,
    });
    expect(maskJson(value)).toEqual(maskValue(value));
  });

  it("reads Headers, Map, URLSearchParams and symbol keys", () => {
    expect(maskValue(new Headers({ cookie: "a=b", "x-request-id": "r1" }))).toEqual({
      cookie: MASK,
      "x-request-id": "r1",
    });
    expect(
      maskValue(
        new Map([
          ["password", "p"],
          ["user", "u"],
        ]),
      ),
    ).toEqual(
      new Map([
        ["password", MASK],
        ["user", "u"],
      ]),
    );
    expect(maskValue(new URLSearchParams("sig=abc&sv=1"))).toEqual({ sig: MASK, sv: "1" });
    expect(maskValue({ [Symbol("secret")]: "s" })).toEqual({ secret: MASK });
  });

  it("keeps the keep list's fields as they are", () => {
    const telemetry = { signature: "9f".repeat(32), deviceId: "dev-7", ownerPubkey: "ab".repeat(32), tokens_used: 7 };
    expect(maskValue(telemetry)).toEqual(telemetry);
    expect(maskJson(telemetry)).toEqual(telemetry);
  });

  it("keeps a received __proto__ key a key", () => {
    const parsed = JSON.parse('{"__proto__":{"token":"x"}}');
    const out = maskJson(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ token: MASK });
  });

  it("keeps keys Object.prototype has as own keys, also where a setter or a read-only property sits", () => {
    const parsed = JSON.parse('{"toString":"a","constructor":"b","hasOwnProperty":"token=x","plain":"c"}');
    const define = (key: string, descriptor: PropertyDescriptor) =>
      Object.defineProperty(Object.prototype, key, { ...descriptor, configurable: true });
    const seen: unknown[] = [];
    define("plain", { set: (value) => seen.push(value) });
    define("frozenKey", { value: "kept", writable: false });
    try {
      const out = maskJson({ ...parsed, frozenKey: "v" }) as Record<string, unknown>;
      for (const key of ["toString", "constructor", "hasOwnProperty", "plain", "frozenKey"])
        expect(Object.hasOwn(out, key), key).toBe(true);
      expect(out).toMatchObject({
        toString: "a",
        constructor: "b",
        hasOwnProperty: "token=[redacted]",
        frozenKey: "v",
      });
      expect(Object.getOwnPropertyDescriptor(out, "plain")?.value).toBe("c");
      expect(seen).toEqual([]);
    } finally {
      Reflect.deleteProperty(Object.prototype, "plain");
      Reflect.deleteProperty(Object.prototype, "frozenKey");
    }
  });
});

describe("masking is lossless and linear", () => {
  // 1 MiB holding 10,000 secrets of both layers among ordinary words.
  function manySecrets(count: number): { text: string; words: string[]; secrets: string[] } {
    const words: string[] = [];
    const secrets: string[] = [];
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      const word = `word${i}x`;
      const secret = i % 2 === 0 ? `ghp_${body(36)}` : body(20);
      words.push(word);
      secrets.push(secret);
      parts.push(i % 2 === 0 ? `${word} ${secret} ` : `${word} token=${secret} `);
    }
    const pad = " ordinary filler text".repeat(
      Math.max(0, Math.ceil(((1 << 20) - parts.join("").length) / 21 / count)),
    );
    return { text: parts.map((p) => p + pad).join(""), words, secrets };
  }

  it("1 MiB with 10,000 secrets: every secret masked, every other word kept", () => {
    const { text, words, secrets } = manySecrets(10_000);
    expect(text.length).toBeGreaterThanOrEqual(1 << 20);
    const out = maskText(text);
    for (const secret of secrets) expect(out.includes(secret)).toBe(false);
    for (const word of words) expect(out.includes(`${word} `)).toBe(true);
    expect(out.split(MASK).length - 1).toBe(10_000);
  });

  it("grows linearly with the input: secrets, near-misses and plain text (CPU-time ratio)", () => {
    for (const unit of [
      "token=x& ",
      "ghp_ sk- rk-1; ",
      "Bearer Bearer ",
      '\\"token\\":\\"x\\",',
      "a-".repeat(8),
      "\x01",
    ]) {
      const ratio = growth((scale) => {
        const text = unit.repeat(Math.ceil((4096 * scale) / unit.length));
        return () => maskText(text);
      });
      expect(ratio, unit).toBeLessThan(LINEAR_GROWTH);
    }
  });
});

describe("where the key scan tries a key", () => {
  // At each separator, from the earliest start its key can have: the longest key (64), three backslashes, a quote, eight blanks.
  const longest = `${"a".repeat(58)}_token`;
  it("finds the longest key form right at the reach, after plain words and after a key that names no secret", () => {
    for (const prefix of ["", "plain words ".repeat(20), "name: not a secret, then ".repeat(4)]) {
      expect(maskText(`${prefix}${longest}\\\\\\"        : "s3cr3t" tail`)).toBe(
        `${prefix}${longest}\\\\\\"        : "${MASK}" tail`,
      );
      expect(maskText(`${prefix}${longest}        =s3cr3t tail`)).toBe(`${prefix}${longest}        =${MASK} tail`);
    }
  });

  it("a 65-character key is not one: the scan does not start inside it", () => {
    expect(maskText(`x ${"a".repeat(59)}_token=s3cr3t`)).toBe(`x ${"a".repeat(59)}_token=s3cr3t`);
  });

  it("past the key pattern's bounds nothing is a key: nine blanks, four backslashes", () => {
    expect(maskText("token         =s3cr3t")).toBe("token         =s3cr3t");
    expect(maskText('token\\\\\\\\"=s3cr3t')).toBe('token\\\\\\\\"=s3cr3t');
    expect(maskText("token        =s3cr3t")).toBe(`token        =${MASK}`);
  });

  it("a key glued to a percent-escape starts after it, also at the end of a long run", () => {
    expect(maskText("a%0Atoken=s3cr3t")).toBe(`a%0Atoken=${MASK}`);
    expect(maskText(`${"b".repeat(70)}%0Atoken=s3cr3t`)).toBe(`${"b".repeat(70)}%0Atoken=${MASK}`);
    expect(maskText("a%3Dtoken%3Ds3cr3t")).toBe(`a%3Dtoken%3D${MASK}`);
  });

  it("goes on past separators that end no key, and after a value to the next key", () => {
    expect(maskText("a == : = b token=s3cr3t")).toBe(`a == : = b token=${MASK}`);
    expect(maskText("token=abc password=def x=1 secret: ghi")).toBe(
      `token=${MASK} password=${MASK} x=1 secret: ${MASK}`,
    );
  });
});

describe("GitHub tokens", () => {
  it("masks each of the five prefixes; a word with gh in it is not a token", () => {
    for (const kind of "pousr") expect(maskText(`t gh${kind}_${"A1b2".repeat(9)} t`)).toBe(`t gh${kind}_${MASK} t`);
    expect(maskText("though the night is high: ghost")).toBe("though the night is high: ghost");
  });
});

describe("where a bare value ends", () => {
  it("outside a query, at whitespace or before another name=: a password keeps its & # ;", () => {
    expect(maskText("token=abc&user=bob")).toBe("token=[redacted]&user=bob");
    expect(maskText("password=p#ss&w;rd next")).toBe("password=[redacted] next");
    expect(maskText("/v1?token=abc&x=1#frag")).toBe("/v1?token=[redacted]&x=1#frag");
  });
});
