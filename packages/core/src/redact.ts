// The two public entry points of masking and escaping. What they apply lives
// beside them, one job a file: secret-keys.ts (the key table), secret-forms.ts
// (the token forms), mask.ts (both layers on text and values) and
// terminal-text.ts (the display cap and the escapes).
import { maskText } from "./mask.js";
import { escapeTerminal } from "./terminal-text.js";

/**
 * Escapes every character a terminal acts on (C0 and C1 controls, DEL, the
 * bidi controls, U+2028 and U+2029) as `\n`, `\r`, `\xHH` or `\uHHHH`, so
 * that text from the wire prints as one inert line. Tabs are kept.
 */
export function escapeControls(text: string): string {
  return escapeTerminal(text);
}

/**
 * Masks every secret in a text: a value under a key that names a secret
 * (`token=`, `"password":`, `Authorization:`, `Cookie:`…) and every
 * self-identifying token (GitHub, Slack, AWS, Google, npm, Anthropic, OpenAI
 * keys, JWTs, PEM private keys, URL userinfo, Bearer credentials), each
 * replaced by `[redacted]`. Linear in the text; every other character is kept.
 */
export function redactSecrets(text: string): string {
  return maskText(text);
}
