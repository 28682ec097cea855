// Layer two of masking: tokens that say what they are by their form alone,
// found wherever they appear, glued to other characters included. Each row
// follows the format its issuer publishes (the comment above its pattern says
// where, in our words); a form that ordinary data shares
// (a 40-character AWS secret key looks like a SHA-1 hash) has no row here and
// is masked by its key only (secret-keys.ts).

/** One self-identifying token format. */
export interface SecretForm {
  /** What it is, for people. */
  readonly name: string;
  /**
   * The pattern. The named groups `secret` and `secret2` (alternatives), when present, are what is masked;
   * the rest of the match (a prefix that says what kind of token it was) is kept.
   * Every quantifier is bounded or anchored on a literal prefix, so a scan is linear.
   */
  readonly pattern: string;
  /** Texts one of which every match contains (any case): a text with none skips the pattern. Empty: always tried. */
  readonly hints: readonly string[];
}

// A form with a short, word-like prefix (`sk-`, `npm_`) starts where a word
// does, or glued to a percent-escape (`%0A`) or a backslash escape (`\n`
// written as two characters). Checked behind the prefix once it is found, so
// the scan looks for the prefix alone (a per-character check cost 30 ms a MiB).
const glued = (prefix: string): string =>
  String.raw`(?:${prefix})(?<=(?:^|[^A-Za-z0-9_]|%[0-9A-Fa-f]{2}|\[a-z])(?:${prefix}))`;
// RFC 7235 token68: the characters of a bearer or basic credential.
const TOKEN68 = "[A-Za-z0-9\\-._~+/]{1,4096}=*";
// Whitespace between an auth scheme and its credential, plain or URL-encoded.
const SP = "(?:\\s{1,8}|%20|\\+)";

/** Each form's pattern and hints, in SECRET_FORMS's order: what masking reads. */
// Built in a pure closure: the table's `glued()` calls would keep it in a bundle that never masks.
export const FORM_PATTERNS = /* @__PURE__ */ (() =>
  Object.freeze([
    {
      // GitHub docs, 'About authentication to GitHub': prefix, underscore, base62 body
      pattern: "gh[pousr]_(?<secret>[A-Za-z0-9]{30,255})",
      // Whole prefixes, not "gh": ordinary words hold "gh" ("though", "high"), which sent them down the per-form search.
      hints: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    },
    {
      // GitHub docs: github_pat_ then letters, digits and underscores
      pattern: "github_pat_(?<secret>[A-Za-z0-9_]{22,255})",
      hints: ["github_pat_"],
    },
    {
      // GitLab docs, token prefixes: glpat-
      pattern: "glpat-(?<secret>[A-Za-z0-9_-]{20,255})",
      hints: ["glpat-"],
    },
    {
      // Slack API docs, token types
      pattern: "(?:xox[abposre](?:\\.[a-z]{1,8})?|xapp)-(?<secret>[A-Za-z0-9-]{10,512})",
      hints: ["xox", "xapp-"],
    },
    {
      // Slack API docs, incoming webhooks: hooks.slack.com/services/T…/B…/…
      pattern: "hooks\\.slack\\.com/services/(?<secret>[A-Za-z0-9/]{16,255})",
      hints: ["hooks.slack.com"],
    },
    {
      // AWS IAM docs, unique identifier prefixes: AKIA, ASIA, ABIA, ACCA and 16 more characters
      pattern: "(?:AKIA|ASIA|ABIA|ACCA)(?<secret>[A-Z2-7]{16})(?![A-Za-z0-9])",
      hints: ["akia", "asia", "abia", "acca"],
    },
    {
      // Google Cloud docs, API keys: AIza then 35 characters
      pattern: "AIza(?<secret>[0-9A-Za-z_-]{35})",
      hints: ["aiza"],
    },
    {
      // npm docs, access tokens: npm_ then 36 characters
      pattern: `${glued("npm_")}(?<secret>[A-Za-z0-9]{36})`,
      hints: ["npm_"],
    },
    {
      // Anthropic docs: sk-ant- then a kind (api03, admin01…) and the key
      pattern: "sk-ant-(?<secret>[A-Za-z0-9_-]{16,512})",
      hints: ["sk-ant-"],
    },
    {
      // OpenAI docs: sk-, sk-proj-, sk-svcacct-, sk-admin- then the key
      pattern: `${glued("sk-")}(?<secret>(?:proj|svcacct|admin)-[A-Za-z0-9_-]{16,512}|[A-Za-z0-9_-]{20,512})`,
      hints: ["sk-"],
    },
    {
      // Stripe docs, API keys: sk_, rk_ or pk_, then live_ or test_, then the key
      pattern: `${glued("(?:sk|rk|pk)_(?:live|test)_")}(?<secret>[A-Za-z0-9]{10,255})`,
      hints: ["k_live_", "k_test_"],
    },
    {
      // Stripe docs (sk_, pk_, rk_, whsec_), Hugging Face (hf_), relay keys (rla_): a run of 6+ letters and digits with a digit
      pattern: `${glued("(?:[Ss][Kk]|[Rr][Ll][Aa]|[Pp][Kk]|[Rr][Kk]|whsec|hf)[-_]")}(?<secret>(?=(?:[A-Za-z0-9]{1,24}[-_])?[A-Za-z]{0,24}\\d)(?:[A-Za-z0-9]{1,24}[-_])?[A-Za-z0-9]{6,512})`,
      hints: ["sk-", "sk_", "rla-", "rla_", "pk-", "pk_", "rk-", "rk_", "whsec_", "hf_"],
    },
    {
      // RFC 7519 and RFC 7515 compact form: three base64url parts, the first two encoding JSON objects (eyJ…)
      pattern: "eyJ[A-Za-z0-9_-]{1,8192}\\.eyJ[A-Za-z0-9_-]{1,8192}\\.[A-Za-z0-9_-]{0,8192}",
      hints: ["eyj"],
    },
    {
      // RFC 7468: -----BEGIN label-----, base64 lines, -----END label-----; the body of any private-key label
      pattern: "-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?<secret>[^-]{1,65536})",
      hints: ["-----begin"],
    },
    {
      // RFC 3986 section 3.2.1: scheme://user:password@host; the password, or a lone user of 20+ characters (a token)
      // Found by its `://`, a scheme character before it: a scan for the scheme itself would try every letter.
      pattern:
        "(?<=[A-Za-z0-9+.-])://(?:[^\\s/?#@:\"'<>\\\\]{0,256}:(?<secret>[^\\s/?@\"'<>\\\\]{1,256})|(?<secret2>[A-Za-z0-9._~%!$&'()*+,;=-]{20,256}))@",
      hints: ["://"],
    },
    {
      // RFC 6750 section 2.1: Bearer then a token68 holding a digit or an inner punctuation mark (`Bearer token missing` is prose), wherever it appears
      pattern: `(?:[Bb]earer|BEARER)${SP}(?<secret>(?=[A-Za-z]{0,64}(?:[0-9]|[-._~+/][A-Za-z0-9]))${TOKEN68})`,
      hints: ["bearer"],
    },
    {
      // RFC 7617 (Basic), and Token schemes: before a key-like token68 of 8+ characters with a digit
      pattern: `(?:Basic|Token)${SP}(?<secret>(?=[A-Za-z0-9+/=._~-]{8})(?=[A-Za-z0-9+/=._~-]{0,64}[0-9])${TOKEN68})`,
      hints: ["basic", "token"],
    },
  ] as const satisfies readonly Omit<SecretForm, "name">[]))();

// What each form is, for people, in FORM_PATTERNS's order (the type wants one per form): apart from the
// patterns, so that a bundle that only masks holds none of it.
const FORM_NAMES: OnePer<typeof FORM_PATTERNS> = [
  "GitHub token (ghp_, gho_, ghu_, ghs_, ghr_)",
  "GitHub fine-grained personal access token",
  "GitLab personal access token",
  "Slack token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-, xapp-)",
  "Slack incoming webhook URL",
  "AWS access key id",
  "Google API key",
  "npm access token",
  "Anthropic API key",
  "OpenAI API key",
  "Stripe key (sk_live_, rk_test_, pk_live_…)",
  "Prefixed key (sk-, rla_, pk_live_, rk-, whsec_, hf_)",
  "JSON Web Token",
  "PEM private key",
  "URL userinfo",
  "Bearer credential",
  "Basic or Token credential",
];

type OnePer<T> = { readonly [I in keyof T]: string };

/** The table of forms, tried on every text: each form's name, pattern and hints. */
export const SECRET_FORMS: readonly SecretForm[] = /* @__PURE__ */ (() =>
  Object.freeze(FORM_PATTERNS.map((form, i) => ({ name: FORM_NAMES[i] as string, ...form }))))();
