// The per-block message templates. The wire carries only the message, so the
// code, device id and detail are recovered from it. Matching is a single
// left-to-right scan with no regular expression: a hostile megabyte message
// costs one pass, never a backtracking blow-up.

import type { BlockCode } from "./catalog.js";

/** `Device not found: <hex>` */
export const deviceNotFoundMessage = (deviceId: string): string => `Device not found: ${deviceId}`;
/** `Invalid signature for device <hex>` */
export const invalidSignatureMessage = (deviceId: string): string => `Invalid signature for device ${deviceId}`;
/** `Invalid payload: <detail>` */
export const invalidPayloadMessage = (detail: string): string => `Invalid payload: ${detail}`;

/** What a per-block message says, once matched against a template. */
export interface TemplateMatch {
  readonly code: BlockCode;
  /** The device id token; undefined when the message has none or more than one. */
  readonly deviceId?: string | undefined;
  /** The text after `Invalid payload:`. */
  readonly detail?: string | undefined;
}

interface Template {
  readonly code: BlockCode;
  readonly words: readonly string[];
  /** The template ends in a colon, which variants may drop. */
  readonly colon: boolean;
}

const TEMPLATES: readonly Template[] = [
  { code: "DEVICE_NOT_FOUND", words: ["Device", "not", "found"], colon: true },
  { code: "INVALID_SIGNATURE", words: ["Invalid", "signature", "for", "device"], colon: false },
  { code: "INVALID_PAYLOAD", words: ["Invalid", "payload"], colon: true },
];

// ASCII whitespace and NBSP: what a sloppy server or proxy puts between words.
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 160;

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just after the template's words in `text`, tolerating extra whitespace; -1 if it does not match. */
function matchWords(text: string, template: Template): number {
  let i = skipSpace(text, 0);
  for (const [n, word] of template.words.entries()) {
    if (n > 0) {
      const next = skipSpace(text, i);
      if (next === i) return -1;
      i = next;
    }
    if (!text.startsWith(word, i)) return -1;
    i += word.length;
  }
  if (template.colon && text.charCodeAt(i) === 58) return i + 1;
  // "deviceX" or "foundX" is another sentence, not this template.
  return i === text.length || isSpace(text.charCodeAt(i)) ? i : -1;
}

/** The single whitespace-free token of `text`, or undefined. */
function token(text: string): string | undefined {
  const start = skipSpace(text, 0);
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  for (let i = start; i < end; i++) if (isSpace(text.charCodeAt(i))) return undefined;
  return end > start ? text.slice(start, end) : undefined;
}

/** Matches a per-block message against the templates in linear time; undefined for an unknown message. */
export function matchTemplate(text: string): TemplateMatch | undefined {
  for (const template of TEMPLATES) {
    const end = matchWords(text, template);
    if (end < 0) continue;
    const rest = text.slice(end);
    return template.code === "INVALID_PAYLOAD"
      ? { code: template.code, detail: rest.slice(skipSpace(rest, 0)) }
      : { code: template.code, deviceId: token(rest) };
  }
  return undefined;
}
