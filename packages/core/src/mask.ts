// Masking, both layers: by structure (a value under a secret key, secret-keys.ts)
// and by form (self-identifying tokens, secret-forms.ts). Every pass collects
// the spans of secrets in the original text; they are merged and replaced in
// one pass, so masking is linear in the text and every other character is kept.

import { FORM_PATTERNS, type SecretForm } from "./secret-forms.js";
import { isSecretKey } from "./secret-keys.js";

/** What a secret is replaced by. */
export const MASK = "[redacted]";

type Span = [start: number, end: number];

const FORMS = /* @__PURE__ */ FORM_PATTERNS.map((form: Omit<SecretForm, "name">) => ({
  pattern: new RegExp(form.pattern, "gd"),
  hints: form.hints,
}));

// A key then a separator: `key=`, `key: `, `"key":`, `\"key\":`, `key%3D`.
// A key starts where a word does, or right after a percent- or backslash-escape
// (`%0Atoken=`, `\ntoken:`); bounded, so a long word costs one failed try per start.
// Built in a pure closure from pieces the patterns share, so that they agree on what a key may span
// (and a bundle that never masks holds none of it).
const KEY = /* @__PURE__ */ (() => {
  const char = "[A-Za-z0-9_.-]";
  // Escaped or quoted (`\"key\":`): at most three backslashes, then a quote.
  const quote = "\\\\{0,3}[\"']?";
  const blanks = "[ \\t]{0,8}";
  const separators = "=|:|%3[DdAa]";
  const source = `(?<=^|[^A-Za-z0-9_.-]|%[0-9A-Fa-f]{2})([A-Za-z_]${char}{0,63})(${quote})${blanks}(${separators})${blanks}`;
  return {
    // Sticky, tried only where a key before a separator can start (nextKey): from a word well before its
    // separator, V8 ran the global search at 20 to 35 times the cost of the sticky try.
    sep: new RegExp(source, "y"),
    // The same, global: after a value, where a text dense with keys has its next one near (one search, not two).
    sepAfter: new RegExp(source, "g"),
    // Every separator `sep` accepts after a key character, with (group 1) the most a key before it can
    // span by `sep`'s bounds: read backward from the separator (V8 matches a lookbehind right to left,
    // greedily). A separator with no key before it is passed over within the search.
    separator: new RegExp(`(?:${separators})(?<=(${char}{1,64}${quote}${blanks})(?:${separators}))`, "g"),
  };
})();

// Every form's literals in one case-blind pattern; undefined when a form has none (it is always tried).
const ANY_HINT = /* @__PURE__ */ (() =>
  FORMS.some((form) => form.hints.length === 0)
    ? undefined
    : new RegExp(
        FORMS.flatMap((form) => form.hints.map((hint) => hint.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"))).join("|"),
        "i",
      ))();

// Set-Cookie attributes (RFC 6265 section 4.1.1): their values are not secrets.
const COOKIE_ATTRIBUTES = /* @__PURE__ */ new Set(["path", "domain", "expires", "max-age", "samesite", "priority"]);

/** Masks every secret in `text`, by key and by form. Linear; every character that is not a secret is kept. */
export function maskText(text: string): string {
  if (typeof text !== "string" || text.length === 0) return text;
  const spans: Span[] = [];
  keyedSpans(text, spans);
  formSpans(text, spans);
  return spans.length === 0 ? text : replaceSpans(text, spans);
}

function formSpans(text: string, spans: Span[]): void {
  // Most texts hold none of any form's literals: one case-blind search skips every pattern (issue 31's profiles).
  if (ANY_HINT !== undefined && !ANY_HINT.test(text)) return;
  // Else a search for each form's literals is far cheaper than its pattern.
  const lower = text.toLowerCase();
  for (const { pattern, hints } of FORMS) {
    if (hints.length > 0 && !hints.some((hint) => lower.includes(hint))) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      // The secret group ends each form's match, or sits just before its last character (userinfo's `@`):
      // found from the end, without the `d` flag's index arrays (a quarter of the cost of a dense text).
      const secret = m.groups?.secret ?? m.groups?.secret2;
      const start = secret === undefined ? m.index : m.index + m[0].lastIndexOf(secret);
      spans.push([start, secret === undefined ? m.index + m[0].length : start + secret.length]);
      if (m[0].length === 0) pattern.lastIndex++;
    }
  }
}

function keyedSpans(text: string, spans: Span[]): void {
  let m = nextKey(text, 0);
  while (m) {
    const key = m[1] as string;
    const sep = (m[3] as string).length === 1 ? (m[3] as string) : (m[3] as string).toUpperCase() === "%3D" ? "=" : ":";
    const start = m.index + m[0].length;
    const before = text.charCodeAt(m.index - 1);
    const inQuery =
      before === 0x3f ||
      before === 0x26 ||
      (text.charCodeAt(m.index - 3) === 0x25 && /%(?:3F|26)$/i.test(text.slice(Math.max(0, m.index - 3), m.index)));
    if (!isSecretKey(withWordBefore(text, m.index, key), inQuery) && !afterEscape(text, m.index, key, inQuery)) {
      m = nextKey(text, start);
      continue;
    }
    const kind = (m[2] as string).length > 0 ? "json" : sep === "=" && inQuery ? "query" : sep;
    // The value is consumed: a key inside it is not read again.
    KEY.sepAfter.lastIndex = Math.max(start, valueSpan(text, start, kind, key, spans));
    m = KEY.sepAfter.exec(text);
  }
}

/**
 * The next `KEY.sep` match at or after `from`, the leftmost as a global search would find it: at each
 * separator in turn, tried from the earliest start its key can have up to the separator.
 * No separator, no key: a text without one costs one search.
 */
function nextKey(text: string, from: number): RegExpExecArray | null {
  KEY.separator.lastIndex = from;
  for (let sep = KEY.separator.exec(text); sep; sep = KEY.separator.exec(text))
    for (let at = Math.max(from, sep.index - (sep[1] as string).length); at < sep.index; at++) {
      KEY.sep.lastIndex = at;
      const m = KEY.sep.exec(text);
      if (m) return m;
    }
  return null;
}

/** True when the key follows a backslash escape written as two characters (`\\ntoken=`) and names a secret without its letter. */
function afterEscape(text: string, at: number, key: string, inQuery: boolean): boolean {
  return text.charCodeAt(at - 1) === 0x5c && /^[nrtbfu]./.test(key) && isSecretKey(key.slice(1), inQuery);
}

/** `key` with the word before it when it is a lone `key` (`api key: …`, `secret key=…`). */
function withWordBefore(text: string, at: number, key: string): string {
  if (key.toLowerCase() !== "key") return key;
  const before = /([A-Za-z]{1,16})[ _-]$/.exec(text.slice(Math.max(0, at - 17), at));
  return before ? `${before[1]} ${key}` : key;
}

/** Pushes the spans of the value that starts at `from`; returns where it ends. */
function valueSpan(text: string, from: number, sep: string, key: string, spans: Span[]): number {
  const quote = openingQuote(text, from);
  let start = from;
  let end: number;
  if (quote) {
    start = from + quote.length;
    end = closingQuote(text, start, quote);
  } else if (text[from] === "{" || text[from] === "[") {
    end = balancedEnd(text, from);
    spans.push([from, end]);
    return end;
  } else end = plainOrLineEnd(text, from, sep);
  if (end <= start) return end;
  const last = key.toLowerCase();
  if (last.endsWith("cookie")) cookieSpans(text, start, end, spans);
  else if (last.endsWith("authorization")) spans.push([schemeEnd(text, start, end), end]);
  else spans.push([start, end]);
  return end + (quote ? quote.length : 0);
}

/** A quote that opens a value, maybe JSON-escaped (`\"`, `\\\"`); undefined when the value is bare. */
function openingQuote(text: string, at: number): string | undefined {
  let i = at;
  while (i < text.length && i - at < 3 && text.charCodeAt(i) === 0x5c) i++;
  const c = text[i];
  return c === '"' || c === "'" ? text.slice(at, i + 1) : undefined;
}

/** Where a quoted value ends: the next quote preceded by exactly as many backslashes as the opening one. */
function closingQuote(text: string, from: number, quote: string): number {
  const mark = quote[quote.length - 1] as string;
  const slashes = quote.length - 1;
  for (let i = text.indexOf(mark, from); i !== -1; i = text.indexOf(mark, i + 1)) {
    let n = 0;
    while (n <= slashes && i - n - 1 >= from && text.charCodeAt(i - n - 1) === 0x5c) n++;
    if (n === slashes) return i - slashes;
  }
  return text.length;
}

/** The end of a JSON object or array value, strings skipped; the text's end when it is cut off. */
function balancedEnd(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return text.length;
}

/** A bare value's end: after a quoted key it is a JSON scalar; after `=`, a query or text value; after `:`, a header value. */
function plainOrLineEnd(text: string, from: number, sep: string): number {
  if (sep === "json") return plainEnd(text, from, JSON_STOP);
  if (sep === "query") return plainEnd(text, from, QUERY_STOP);
  return sep === "=" ? plainEnd(text, from, EQ_STOP) : lineEnd(text, from);
}

// A bare JSON scalar (a number, true, null) ends at a separator or a closing bracket.
const JSON_STOP = /[\s,}\]"\\]/g;

// A query parameter's value ends at the next parameter or the fragment; a bare
// `key=value` elsewhere at whitespace or before another `name=` (a password may hold `&`, `#` or `;`).
// Either ends at a quote or a backslash (an escape).
const QUERY_STOP = /[\s&#"'\\]/g;
// Outside a query, `&` ends the value only before another `name=`: `password=p&ss` is one value.
const EQ_STOP = /[\s"'\\]|&(?=[A-Za-z_][A-Za-z0-9_.-]{0,63}=)/g;

function plainEnd(text: string, from: number, stop: RegExp): number {
  stop.lastIndex = from;
  const m = stop.exec(text);
  return m ? m.index : text.length;
}

// A bare value after `:` is a header value: it runs to the end of the line, a
// line break written as an escape (`\n`), or a quote that closes the string around it.
const LINE_STOP = /[\r\n"]|\\[nr"]/g;

function lineEnd(text: string, from: number): number {
  let end = plainEnd(text, from, LINE_STOP);
  while (end > from && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return end;
}

/** Past the auth scheme of an `Authorization` value (RFC 7235 `auth-scheme 1*SP`), when it has one. */
function schemeEnd(text: string, start: number, end: number): number {
  const m = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,31}(?:[ \t]+|%20|\+)(?=\S)/.exec(
    text.slice(start, Math.min(end, start + 48)),
  );
  return m ? start + m[0].length : start;
}

/**
 * The values of the cookie pairs in a `Cookie` or `Set-Cookie` value (RFC
 * 6265): every pair's value is masked, the names kept, and the attributes of
 * a Set-Cookie (Path, Expires…) kept. A `, name=` starts another cookie, as
 * when a client joins several Set-Cookie headers.
 */
function cookieSpans(text: string, start: number, end: number, spans: Span[]): void {
  const pair = /([^=;,\s]{1,256})=/g;
  pair.lastIndex = start;
  let at = start;
  let masked = false;
  for (let m = pair.exec(text); m && m.index < end; m = pair.exec(text)) {
    if (m.index < at) continue;
    const valueStart = pair.lastIndex;
    let valueEnd = valueStart;
    while (
      valueEnd < end &&
      text[valueEnd] !== ";" &&
      !(text[valueEnd] === "," && /^,\s*[^=;,\s]{1,256}=/.test(text.slice(valueEnd, valueEnd + 260)))
    )
      valueEnd++;
    if (!COOKIE_ATTRIBUTES.has((m[1] as string).toLowerCase()) && valueEnd > valueStart)
      spans.push([valueStart, valueEnd]);
    masked = true;
    at = valueEnd;
    pair.lastIndex = valueEnd;
  }
  // A cookie value with no pair in it (a bare token) is masked whole.
  if (!masked) spans.push([start, end]);
}

/** Replaces the spans, merged where they overlap, by MASK. */
function replaceSpans(text: string, spans: Span[]): string {
  spans.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let from = 0;
  let i = 0;
  while (i < spans.length) {
    let [start, end] = spans[i] as Span;
    for (i++; i < spans.length && (spans[i] as Span)[0] <= end; i++) end = Math.max(end, (spans[i] as Span)[1]);
    if (end <= start) continue;
    if (start < from) start = from;
    parts.push(text.slice(from, start), MASK);
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join("");
}

const MAX_DEPTH = 32;
// A value of more entries than this is cut in a printed copy: a copy is for reading, not a second payload.
const MAX_ENTRIES = 1000;

/**
 * A masked copy of a value, for printing: a value under a secret key is
 * replaced whole; strings are masked by form and key; objects, arrays, `Map`,
 * `Headers` and `URLSearchParams` are walked (nested). Never throws: what
 * cannot be read is left out.
 */
export function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskText(value);
  if (typeof value !== "object" || value === null) return typeof value === "function" ? undefined : value;
  if (depth > MAX_DEPTH) return undefined;
  try {
    if (Array.isArray(value)) return value.slice(0, MAX_ENTRIES).map((item) => maskValue(item, depth + 1));
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      for (const [key, item] of value)
        if (out.size < MAX_ENTRIES)
          out.set(key, typeof key === "string" && isSecretKey(key) ? MASK : maskValue(item, depth + 1));
      return out;
    }
    if (isHeaders(value) || value instanceof URLSearchParams) {
      const out: Record<string, unknown> = {};
      const query = value instanceof URLSearchParams;
      for (const [key, item] of value as Iterable<[string, string]>)
        setOwn(out, key, isSecretKey(key, query) ? MASK : maskText(item));
      return out;
    }
    if (value instanceof URL) return maskText(value.href);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
    if (value instanceof Error) return value;
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const key of Reflect.ownKeys(value)) {
      if (n++ >= MAX_ENTRIES) break;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor?.enumerable || !("value" in descriptor)) continue;
      const name = typeof key === "symbol" ? (key.description ?? "") : key;
      setOwn(out, name, isSecretKey(key) ? MASK : maskValue(descriptor.value, depth + 1));
    }
    return out;
  } catch {
    return undefined;
  }
}

/** For JSON payloads (`toWire()` echoes): the same keys, order and types; a secret key's value becomes MASK. */
export function maskJson(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskText(value);
  if (typeof value !== "object" || value === null || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => maskJson(item, depth + 1));
  // Only plain data is walked: anything else (a bigint box, a class instance) is not a payload.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    setOwn(out, key, isSecretKey(key) ? MASK : maskJson((value as Record<string, unknown>)[key], depth + 1));
  return out;
}

// defineProperty, not assignment, for a key the prototype has (a received `__proto__`, or any
// key of a frozen Object.prototype): it stays a key. Any other is assigned, which is far cheaper.
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key in out) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function isHeaders(value: object): value is Headers {
  return (
    (typeof Headers === "function" && value instanceof Headers) ||
    Object.prototype.toString.call(value) === "[object Headers]"
  );
}
