import { growth, LINEAR_GROWTH } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { cutForDisplay, DISPLAY_CAP, displayText, escapeTerminal } from "./terminal-text.js";

// Every character a terminal acts on, one of each kind.
const UNSAFE = ["\x00", "\x07", "\x1b", "\r", "\n", "\x7f", "\x80", "\x90", "\x9b", "\x9c", "\x9d", "\x9e", "\x9f"];
const INVISIBLE = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u2028",
  "\u2029",
];
// biome-ignore lint/suspicious/noControlCharactersInRegex: what must not remain.
const RAW = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("escapeTerminal", () => {
  it.each([...UNSAFE, ...INVISIBLE].map((c) => [c.charCodeAt(0).toString(16), c]))("escapes U+%s", (_hex, c) => {
    const out = escapeTerminal(`a${c}b`);
    expect(out).not.toMatch(RAW);
    expect(out.startsWith("a\\") && out.endsWith("b")).toBe(true);
  });

  it("keeps tabs, and line feeds where a field is multi-line by design", () => {
    expect(escapeTerminal("a\tb")).toBe("a\tb");
    expect(escapeTerminal("a\nb\x1b", { multiline: true })).toBe("a\nb\\x1b");
    expect(escapeTerminal("a\nb")).toBe("a\\nb");
    expect(escapeTerminal("\u202e")).toBe("\\u202e");
  });

  it("leaves ordinary text, accents and emoji alone", () => {
    for (const text of ["héllo wörld", "日本語", "🙂 ok", "tab\there"]) expect(escapeTerminal(text)).toBe(text);
  });
});

describe("cutForDisplay and displayText", () => {
  it("cuts to the cap and counts the rest in bytes", () => {
    const text = "a".repeat(DISPLAY_CAP + 10);
    expect(cutForDisplay(text)).toBe(`${"a".repeat(DISPLAY_CAP)}…(+10 bytes)`);
    expect(cutForDisplay("short")).toBe("short");
    expect(cutForDisplay(`${"a".repeat(9)}é€`, 10)).toBe(`${"a".repeat(9)}é…(+3 bytes)`);
  });

  it("never splits a surrogate pair nor a mask", () => {
    expect(cutForDisplay(`${"a".repeat(9)}🙂`, 10)).toBe(`${"a".repeat(9)}…(+4 bytes)`);
    expect(cutForDisplay(`abc[redacted] tail`, 6)).toBe("abc…(+15 bytes)");
  });

  it("masks the whole text before the cut: a secret across the cap never shows in part", () => {
    const secret = `ghp_${"Z9".repeat(18)}`;
    const text = `${"x".repeat(DISPLAY_CAP - 10)} ${secret} tail`;
    const shown = displayText(text);
    expect(shown).not.toContain("Z9Z9");
    expect(shown).toMatch(/…\(\+\d+ bytes\)$/);
  });

  it("escapes after the cut: a megabyte of control bytes shows as a capped, escaped line", () => {
    const shown = displayText("\x01".repeat(1 << 20));
    expect(shown).not.toMatch(RAW);
    expect(shown.length).toBeLessThan(DISPLAY_CAP * 4 + 40);
  });

  it("costs about the same per character for control bytes as for letters (CPU-time ratio)", () => {
    const plain = growth((scale) => {
      const text = "a".repeat(65536 * scale);
      return () => displayText(text);
    });
    const hostile = growth((scale) => {
      const text = "\x1b".repeat(65536 * scale);
      return () => displayText(text);
    });
    expect(plain).toBeLessThan(LINEAR_GROWTH);
    expect(hostile).toBeLessThan(LINEAR_GROWTH);
  });
});
