// Text from a peer, made safe to print: masked, cut to a display cap, then
// escaped, always in that order. Masking the whole text first means a cut can
// never leave part of a secret unmasked; cutting before escaping means a
// megabyte of control bytes costs what a megabyte of letters does.
import { MASK, maskText } from "./mask.js";

/**
 * The most characters of a peer's text an error shows (its message, a code or
 * id kept as received); the rest is counted, not shown: `…(+N bytes)`.
 */
export const DISPLAY_CAP = 8192;

// What a terminal acts on: C0 controls (ESC, CR, LF…), DEL, C1 controls (CSI,
// OSC, DCS, ST, NEL, APC, PM…), the bidi embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators.
// Tab is kept: it forges nothing.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same set, with the line feed allowed.
const UNSAFE_MULTILINE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r" };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Escapes every character a terminal acts on (C0 and C1 controls, DEL, bidi
 * controls, U+2028 and U+2029) as `\n`, `\r`, `\xHH` or `\uHHHH`, so the text
 * prints as inert characters. With `multiline`, line feeds are kept (a stack).
 */
export function escapeTerminal(text: string, { multiline = false } = {}): string {
  const pattern = multiline ? UNSAFE_MULTILINE : UNSAFE;
  pattern.lastIndex = 0;
  return pattern.test(text) ? text.replace(pattern, escapeOne) : text;
}

/**
 * `text` cut to `cap` characters, the rest counted in UTF-8 bytes
 * (`…(+N bytes)`). A cut never splits a surrogate pair nor the mask.
 */
export function cutForDisplay(text: string, cap: number = DISPLAY_CAP): string {
  if (text.length <= cap) return text;
  let at = cap;
  // Inside a mask: cut before it, so it never shows as `[redac`.
  const maskStart = text.lastIndexOf("[", at);
  if (maskStart !== -1 && at - maskStart < MASK.length && text.startsWith(MASK, maskStart)) at = maskStart;
  const c = text.charCodeAt(at - 1);
  if (c >= 0xd800 && c < 0xdc00) at--;
  return `${text.slice(0, at)}…(+${utf8Bytes(text, at)} bytes)`;
}

function utf8Bytes(text: string, from: number): number {
  let n = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n++;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A peer's text as an error shows it: masked, cut to the display cap, escaped. Linear in the text. */
export function displayText(text: string, { cap = DISPLAY_CAP, multiline = false } = {}): string {
  return escapeTerminal(cutForDisplay(maskText(text), cap), { multiline });
}
