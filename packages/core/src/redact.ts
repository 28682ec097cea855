// Masking: what prints is built from what is known to be safe. Secrets
// (bearer tokens, API keys, secret-named fields) are masked and control
// characters escaped in every message, code and cause text taken from the wire.

// What a secret-named field or scheme is followed by: its value runs to the
// next space, quote, separator or backslash (a JSON-escaped quote).
const VALUE = String.raw`[^\s"'&#,;}\\]+`;
// A separator, plain or URL-encoded; whitespace, plain or URL-encoded.
const EQ = "(?:=|%3D)";
const COLON = "(?::|%3A)";
const SP = String.raw`(?:\s+|%20|\+)`;
// A quote around a key or value, maybe JSON-escaped inside a string.
const Q = String.raw`\\?["']?`;
// Names whose value is a secret. Quantifiers are bounded so that no input can
// make the scan quadratic: `[a-z_]{0,24}token` covers refresh_token, id_token,
// accessToken, sessionToken, auth_token...
const NAMES =
  "(?:[a-z_]{0,24}(?:token|secret)|(?:x-)?api[-_]?key|access[-_]?key|private[-_]?key|passw(?:or)?d|sig(?:nature)?|credentials?)";
// A value after a colon is masked when quoted (JSON, headers) or when it is not
// a plain word: `password: hunter2` is masked, `password: must be at least 8
// characters` and `Signature: expected 64 bytes` are prose and kept.
const NOT_A_WORD = String.raw`(?=[^\s"'&#,;}\\]{0,32}[^A-Za-z\s"'&#,;}\\])`;

// After a key prefix: at most one short segment (`proj-`, `live_`), then a run of letters and digits.
const SEGMENT = "[A-Za-z0-9]{1,24}[-_]";
// A digit in the key run, written as "first digit within 25 chars of either run" rather than
// (segment)?[A-Za-z0-9]{0,24}\d: the same set of texts, with far less backtracking on `rk-rk-rk-…`.
const KEY_DIGIT = `[A-Za-z]{0,24}\\d|${SEGMENT}[A-Za-z]{0,24}\\d`;

// The kept prefix is group 1; the secret after it is replaced.
// Every form starts at a word boundary, tested once rather than per form; the order of the forms is the
// order they are tried in at one position, so it decides which one masks.
const SECRET = new RegExp(
  `(\\b(?:${[
    // A whole header value: `Authorization: Basic …`, `Cookie: sid=…`, `Set-Cookie: …`.
    String.raw`(?:authorization|proxy-authorization)\s*${COLON}\s*(?:[a-z]{1,16}${SP})?`,
    String.raw`(?:set-)?cookie\s*${COLON}\s*`,
    // Scheme credentials: Bearer always; Basic and Token only before something key-like, not prose.
    `Bearer${SP}`,
    String.raw`(?:Basic|Token)${SP}(?!(?:sk|rla|pk|rk)[-_])(?=[\w+/=.~-]{8})(?=[\w+/=.~-]{0,24}\d)`,
    // Prefixed keys (sk-…, rla_…, pk_live_…, rk-…): a run of 6 letters and digits, a digit among them,
    // so that a peer id such as rk-node-7 is left alone.
    `(?:sk|rla|pk|rk)[-_](?=${KEY_DIGIT})(?=(?:${SEGMENT})?[A-Za-z0-9]{6})`,
    // name=value in queries and text, plain or URL-encoded, quoted or JSON-escaped; or name: value in
    // JSON, headers and text. One name scan for both separators: the name was the costliest part.
    `${NAMES}${Q}\\s*(?:${EQ}\\s*${Q}|${COLON}\\s*(?:\\\\?["']|${NOT_A_WORD}))`,
  ].join("|")}))${VALUE}`,
  "gi",
);

// Cheap pre-test: every form above contains one of these, so text without any is returned untouched
// without running the full pattern (most messages).
const HINT = /token|secret|key|passw|sig|credential|authoriz|cookie|bearer|basic|sk[-_]|rla_|rla-|pk[-_]|rk[-_]/i;

// C0 controls (CR, LF, ESC...), DEL and the C1 CSI: in a message taken from the
// wire they could forge log lines or stack frames, or drive the terminal.
// Tab is left alone: it forges nothing.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f\x9b]/g;
const CONTROL_NAMES: Record<string, string> = { "\n": "\\n", "\r": "\\r" };

/**
 * Escapes control characters (CR, LF, ESC and the rest of C0, DEL, CSI) as
 * `\n`, `\r` or `\xHH`, so that text from the wire prints as one inert line.
 */
export function escapeControls(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text)
    ? text.replace(CONTROL, (c) => CONTROL_NAMES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    : text;
}

/** What every message and received code goes through: secrets masked, then control characters escaped. */
export const cleanText = (text: string): string => escapeControls(redactSecrets(text));

// Past this many secrets a text is hostile, not a message: the rest of it is masked whole. Each match
// costs about 0.4 µs to replace, so 1 MiB with one every 8 bytes took 55 ms; now it stops at the cap.
const MAX_SECRETS = 256;

/**
 * Masks bearer tokens, `sk-`-style API keys and secret query parameters in
 * text. Past 256 secrets in one text, the rest of it is masked whole.
 */
export function redactSecrets(text: string): string {
  if (!HINT.test(text)) return text;
  let out = "";
  let from = 0;
  let count = 0;
  SECRET.lastIndex = 0;
  for (let match = SECRET.exec(text); match; match = SECRET.exec(text)) {
    out += `${text.slice(from, match.index)}${match[1]}[redacted]`;
    from = SECRET.lastIndex;
    if (++count === MAX_SECRETS) {
      SECRET.lastIndex = 0;
      return out + (from < text.length ? "[redacted: the rest]" : "");
    }
  }
  return out + text.slice(from);
}
