// Layer one of masking: a value is a secret because of the key it sits under,
// whatever it looks like. One table, read by one predicate, `isSecretKey`.

/** The table that decides whether a key names a secret. */
// Built in a pure closure: its inner `Object.freeze` calls would keep it in a bundle that never masks.
export const SECRET_KEYS = /* @__PURE__ */ (() =>
  Object.freeze({
    /** A key whose last word is one of these names a secret. */
    nouns: Object.freeze([
      "token",
      "password",
      "passwd",
      "pwd",
      "passphrase",
      "secret",
      "cookie",
      "authorization",
      "credential",
      "credentials",
    ]),
    /** `key` is a secret after one of these words: `api_key`, `privateKey`, `aws_secret_access_key`. */
    keyQualifiers: Object.freeze(["api", "private", "secret", "access", "account", "client"]),
    /** Names written as one word, whose parts the splitter cannot see. */
    runTogether: Object.freeze([
      "apikey",
      "apitoken",
      "apisecret",
      "authtoken",
      "accesstoken",
      "refreshtoken",
      "idtoken",
      "sessiontoken",
      "accesskey",
      "secretkey",
      "privatekey",
      "clientsecret",
    ]),
    /** Names in a URL query that make the URL a signed one: their value is the signature. */
    queryOnly: Object.freeze(["sig", "signature", "xamzsignature", "xgoogsignature"]),
    /** Names that read like secrets and are not (public keys, signatures of public data, ids, token counts). */
    keep: Object.freeze([
      "signature",
      "publickey",
      "pubkey",
      "ownerpubkey",
      "deviceid",
      "tokensused",
      "maxtokens",
      "tokencount",
      "totaltokencount",
      "tokensgenerated",
      "inputtokens",
      "outputtokens",
      "tokenlimit",
      "tokentype",
    ]),
  }))();

// Each built in a pure closure: a pure `new Set(SECRET_KEYS.x)` keeps its argument, and with it the table.
const NOUNS = /* @__PURE__ */ (() => new Set<string>(SECRET_KEYS.nouns))();
const QUALIFIERS = /* @__PURE__ */ (() => new Set<string>(SECRET_KEYS.keyQualifiers))();
const RUN_TOGETHER = /* @__PURE__ */ (() => new Set<string>(SECRET_KEYS.runTogether))();
const QUERY_ONLY = /* @__PURE__ */ (() => new Set<string>(SECRET_KEYS.queryOnly))();
const KEEP = /* @__PURE__ */ (() => new Set<string>(SECRET_KEYS.keep))();

// Longer keys are not names a person chose for a field; reading them would make a scan quadratic.
const MAX_KEY_LENGTH = 64;

/**
 * A key split into lower-case words: camelCase, PascalCase, snake_case,
 * kebab-case, dotted and spaced names alike (`APIKey` is `api key`).
 */
export function keyWords(key: string): string[] {
  return key
    .slice(-MAX_KEY_LENGTH)
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

/**
 * True when a value under `key` is a secret. `inQuery`: the key is a URL query
 * parameter, where `sig` and `signature` name a signed URL's signature.
 */
export function isSecretKey(key: string | symbol, inQuery = false): boolean {
  const name = typeof key === "symbol" ? (key.description ?? "") : key;
  if (name === "" || name.length > 4 * MAX_KEY_LENGTH) return false;
  // A text repeats its keys: each is split once (a megabyte of `token=x&` holds 100,000).
  const cacheKey = inQuery ? `?${name}` : name;
  const known = verdicts.get(cacheKey);
  if (known !== undefined) return known;
  const verdict = decide(name, inQuery);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(cacheKey, verdict);
  return verdict;
}

const verdicts = /* @__PURE__ */ new Map<string, boolean>();
const MAX_VERDICTS = 1024;

function decide(name: string, inQuery: boolean): boolean {
  const words = keyWords(name);
  const joined = words.join("");
  if (inQuery && (QUERY_ONLY.has(joined) || QUERY_ONLY.has(words[words.length - 1] ?? ""))) return true;
  if (KEEP.has(joined)) return false;
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (NOUNS.has(last) || RUN_TOGETHER.has(last) || RUN_TOGETHER.has(joined)) return true;
  return last === "key" && words.length > 1 && QUALIFIERS.has(words[words.length - 2] as string);
}
