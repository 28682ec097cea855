// What is peculiar to the telemetry server's wire: a 207 entry whose code is
// only in its message, the framework's body and the page's (or the Rust
// port's) top-level body. Everything else (caps, status fallback,
// classification) is core's.

import { MALFORMED, redactSecrets } from "@wirefault/core";
import type { Reader } from "@wirefault/core/protocol";
import { field, httpStatus, MAX_DEPTH } from "@wirefault/core/protocol";
import { type BlockCode, catalog, MAX_BYTES, SURFACE, type TelemetryServerEntry } from "./catalog.js";
import type { ValidationIssue } from "./wire.js";

// The catalog's per-block templates, as the words before their placeholder.
// Matching is a single left-to-right scan with no regular expression: a
// hostile megabyte message costs one pass, never a backtracking blow-up.
interface Template {
  readonly code: BlockCode;
  readonly words: readonly string[];
  /** The words end in a colon, which variants may drop. */
  readonly colon: boolean;
  readonly slot: "deviceId" | "detail";
}

const TEMPLATES: readonly Template[] = (catalog as readonly TelemetryServerEntry[]).flatMap((entry) => {
  if (entry.template === undefined) return [];
  const head = entry.template.slice(0, entry.template.indexOf("<")).trim();
  const colon = head.endsWith(":");
  const words = (colon ? head.slice(0, -1) : head).split(" ");
  return [{ code: entry.code as BlockCode, words, colon, slot: entry.slot ?? "detail" }];
});

/** What a per-block message says, once matched against a template. */
export interface TemplateMatch {
  readonly code: BlockCode;
  /** The device id token; undefined when the message has none or more than one. */
  readonly deviceId?: string | undefined;
  /** The text after `Invalid payload:`. */
  readonly detail?: string | undefined;
}

// ASCII whitespace and NBSP: what a sloppy server or proxy puts between words.
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 160;

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just after the template's words in `text`, tolerating extra whitespace; -1 if it does not match. */
function matchWords(text: string, template: Template): number {
  const { words } = template;
  let i = skipSpace(text, 0);
  // An index loop: the `entries()` iterator and its pairs were a third of a 207 entry's matching.
  for (let n = 0; n < words.length; n++) {
    const word = words[n] as string;
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

/** The single whitespace-free token of `text` from `from` on, or undefined. */
function token(text: string, from: number): string | undefined {
  const start = skipSpace(text, from);
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  for (let i = start; i < end; i++) if (isSpace(text.charCodeAt(i))) return undefined;
  return end > start ? text.slice(start, end) : undefined;
}

/** Matches a per-block message against the catalog's templates in linear time; undefined for an unknown message. */
export function matchTemplate(text: string): TemplateMatch | undefined {
  for (const template of TEMPLATES) {
    const end = matchWords(text, template);
    if (end < 0) continue;
    return template.slot === "detail"
      ? { code: template.code, detail: text.slice(skipSpace(text, end)) }
      : { code: template.code, deviceId: token(text, end) };
  }
  return undefined;
}

/** A seq or issue path key as the wire writes it: a string or a number. */
export const isKey = (value: unknown): value is string | number =>
  typeof value === "string" || typeof value === "number";
const optionalString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A 207 entry on its own, `{ seq, error }` (what a block error's toWire() gives): its code is in its message. */
const readBlock: Reader = (value) => {
  const seq = field(value, "seq");
  // A top-level body has no seq: it goes on to the next reader without another read.
  if (!isKey(seq)) return undefined;
  const message = field(value, "error");
  if (typeof message !== "string") return undefined;
  const match = matchTemplate(message);
  return {
    surface: SURFACE,
    // A message no template knows is its own code, as a newer server's sentence; an
    // empty one names nothing, yet its block failed and keeps its seq.
    code: match?.code ?? (message || MALFORMED),
    message,
    status: 207,
    details: { seq: String(seq), deviceId: match?.deviceId, detail: match?.detail },
  };
};

/**
 * The framework's (Fastify's) body, `{ statusCode, code?, error, message }`:
 * `error` is the reason phrase, kept for `toWire()`, and the code where `code`
 * is absent (an unknown route's `Not Found`, a crash's `Internal Server Error`).
 */
const readFramework: Reader = (value) => {
  const status = httpStatus(field(value, "statusCode"));
  // The page's body has no statusCode: it goes on to readPage without two more reads.
  if (status === undefined) return undefined;
  const reason = optionalString(field(value, "error"));
  const message = optionalString(field(value, "message"));
  if (reason === undefined || message === undefined) return undefined;
  const code = optionalString(field(value, "code")) || reason;
  return { surface: SURFACE, code, message, status, details: { reason } };
};

/**
 * The page's top-level body, `{ error, details? }`, the Rust port's `{ error }`,
 * or any flat body near them. Each field is read on its own, so that a wrong
 * type in one (a numeric message) does not hide the code in another.
 */
const readPage: Reader = (value) => {
  const error = optionalString(field(value, "error"));
  const message = optionalString(field(value, "message"));
  const code = optionalString(field(value, "code")) || error;
  if (!code) return message === undefined ? undefined : { surface: SURFACE, message };
  const details = readIssues(field(value, "details"), MAX_BYTES - code.length - (message?.length ?? 0));
  if (details === "over-cap") return "Validation details over the size cap";
  return {
    surface: SURFACE,
    code,
    message: message ?? describeIssues(code, details) ?? error ?? code,
    status: httpStatus(field(value, "statusCode")),
    details: { details },
  };
};

/** The telemetry server's readers, in the order they are tried. */
export const readers: readonly Reader[] = [readBlock, readFramework, readPage];

// Plain typeof checks: a schema call per issue is most of the cost of 300k of them.
const isIssue = (value: unknown): value is ValidationIssue => {
  const path = field(value, "path");
  return (
    typeof field(value, "code") === "string" &&
    typeof field(value, "message") === "string" &&
    Array.isArray(path) &&
    path.every(isKey)
  );
};

/**
 * The issues of `details`, copied within `left` characters of text;
 * `"over-cap"` past it. Core holds a decoded object's JSON to the cap before any reader,
 * so only a getter that answers differently the second time gets here.
 */
function readIssues(raw: unknown, left: number): ValidationIssue[] | "over-cap" | undefined {
  if (!Array.isArray(raw)) return undefined;
  const budget = { left };
  if (budget.left < 0) return "over-cap";
  try {
    const issues: ValidationIssue[] = [];
    // A plain loop: filter, flatMap and filter again were a tenth of this payload's parse.
    for (let i = 0; i < raw.length; i++) {
      const issue = raw[i];
      // Checked before the copy (most entries of a hostile array are not issues) and after (a getter may change its answer).
      if (!isIssue(issue)) continue;
      const copy = copyIssue(issue, budget);
      if (isIssue(copy)) issues.push(copy);
    }
    return issues;
  } catch (cause) {
    if (cause === OVER_CAP) return "over-cap";
    throw cause;
  }
}

/**
 * A log line for a body with issues: the first one's path and message, the
 * rest counted, e.g. `validation_error at blocks[0].seq: Required (and 2 more)`.
 */
function describeIssues(code: string, details: readonly ValidationIssue[] | undefined): string | undefined {
  const first = details?.[0];
  if (!first) return undefined;
  let path = "";
  for (const key of first.path) path = typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  const more = (details?.length ?? 1) - 1;
  return `${code}${path ? ` at ${path}` : ""}: ${first.message}${more ? ` (and ${more} more)` : ""}`;
}

// Issues are copied, never kept by reference: a cycle or a throwing getter in
// the caller's object must not break JSON.stringify(err) later. The copy is
// what JSON.stringify then JSON.parse would give (keys in their order,
// undefined and functions left out, non-finite numbers as null), built in one
// walk with each key masked: no text is built and read again per issue. Its
// values are masked once, by the error's constructor (core masks every field
// of an error's details), not twice: the second pass was a tenth of a parse.
// An issue that cannot be copied is dropped from `details` (it stays in `raw`).
function copyIssue(issue: unknown, budget: Budget): unknown {
  try {
    return copyJson(issue, 0, budget);
  } catch (cause) {
    if (cause === OVER_CAP) throw cause;
    return undefined;
  }
}

/** Characters of text left before the decoded object is over the cap. */
interface Budget {
  left: number;
}

const OVER_CAP = new RangeError("details over the size cap");
const UNCOPYABLE = new TypeError("not a JSON value");

function copyJson(value: unknown, depth: number, budget: Budget): unknown {
  if (typeof value === "string") return counted(value, budget);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value === null || typeof value === "boolean") return value;
  if (typeof value !== "object" || depth >= MAX_DEPTH) throw UNCOPYABLE;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(omitted(item) ? null : copyJson(item, depth + 1, budget));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (omitted(item)) continue;
    // A key is masked here: core's masking keeps keys as they are.
    const name = ISSUE_KEYS.has(key) ? counted(key, budget) : redactSecrets(counted(key, budget));
    const copy = copyJson(item, depth + 1, budget);
    // Defined, never assigned: a `__proto__` key from JSON.parse stays a plain key.
    if (name === "__proto__")
      Object.defineProperty(out, name, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[name] = copy;
  }
  return out;
}

// An issue's own keys (ValidationIssue's): literals, which hold no secret. Every other key from the wire is masked.
const ISSUE_KEYS = /* @__PURE__ */ new Set(["code", "path", "message"]);

const omitted = (value: unknown): boolean =>
  value === undefined || typeof value === "function" || typeof value === "symbol";

/** `value`, counted against the budget. */
function counted(value: string, budget: Budget): string {
  budget.left -= value.length;
  if (budget.left < 0) throw OVER_CAP;
  return value;
}
