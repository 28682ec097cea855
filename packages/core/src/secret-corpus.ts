// The masking corpus: secret forms from both layers, each with the part that
// must never print, and ordinary texts that must print unchanged. Test data,
// read by secret-corpus.test.ts and the reliability suite; not exported by the package.
// Every secret body is generated, so none of them is a real credential.

/** A text holding a secret, and what of it must not print. */
export interface SecretCase {
  readonly name: string;
  readonly text: string;
  /** Must not appear in any printed form of the text. */
  readonly secret: string;
  /** The layer that should catch it. */
  readonly layer: "key" | "form";
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
let seed = 0x2545f491;
/** A deterministic pseudo-random run of `n` characters from `alphabet`. */
export function body(n: number, alphabet = ALNUM): string {
  let out = "";
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out += alphabet[(seed >>> 8) % alphabet.length];
  }
  return out;
}
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX = "0123456789abcdef";
const B64 = `${ALNUM}+/`;

function keyCases(): SecretCase[] {
  const cases: SecretCase[] = [];
  const add = (name: string, make: (s: string) => string, secret = `v${body(14)}7`) =>
    cases.push({ name, text: make(secret), secret, layer: "key" });
  // Keys whose last word is a secret noun, in every case style and separator.
  for (const key of [
    "token",
    "access_token",
    "refreshToken",
    "id-token",
    "X-Auth-Token",
    "sessionToken",
    "password",
    "db_password",
    "userPassword",
    "passwd",
    "pwd",
    "passphrase",
    "client_secret",
    "webhookSecret",
    "cookie",
    "authorization",
    "credential",
    "credentials",
    "api_key",
    "apiKey",
    "x-api-key",
    "private_key",
    "secret_key",
    "aws_secret_access_key",
    "accessKey",
    "account_key",
    "clientKey",
    "apikey",
    "authtoken",
    "accesstoken",
  ])
    add(`${key}=value`, (s) => `request failed with ${key}=${s} in the query`);
  add("JSON string value", (s) => `{"token":"${s}","model":"gpt-4o"}`);
  add("JSON value with spaces and #&;", (s) => `{"password":"${s} #&; more"}`, `p${body(8)} #&; more`);
  add("JSON number value", (s) => `{"pin":1,"password":${s}}`, "159357");
  add("JSON-escaped inside a string", (s) => `{"body":"{\\"api_key\\":\\"${s}\\"}"}`);
  add("JSON nested object under a secret key", (s) => `{"credentials":{"user":"u","pass":"${s}"}}`);
  add("key: value header line", (s) => `X-Api-Key: ${s}\nAccept: */*`);
  add("Authorization Basic", (s) => `Authorization: Basic ${s}`);
  add("Authorization any scheme", (s) => `authorization: Digest ${s}`);
  add("Proxy-Authorization", (s) => `Proxy-Authorization: Bearer ${s}`);
  add("headers dumped as JSON", (s) => `{"headers":{"authorization":"Basic ${s}"}}`);
  add("cookie header first pair", (s) => `Cookie: sid=${s}; theme=dark`);
  add("cookie header later pair", (s) => `Cookie: theme=dark; sid=${s}`);
  add("set-cookie later cookie", (s) => `Set-Cookie: a=1; Path=/, sid=${s}; HttpOnly`);
  add("password with a space (quoted)", (s) => `password: "${s}"`, `a${body(6)} b${body(6)}`);
  add("password with & outside a query", (s) => `password=${s} user=bob`, `a${body(6)}&b${body(4)}`);
  add("password with # and ;", (s) => `password=${s} then`, `a${body(6)}#;b${body(4)}`);
  add("URL-encoded separator", (s) => `token%3D${s}`);
  add("sig in a signed URL", (s) => `GET https://store.example/blob?sv=2021&sig=${s}&se=2030`);
  add("X-Amz-Signature in a query", (s) => `https://b.s3.amazonaws.com/k?X-Amz-Date=1&X-Amz-Signature=${s}`);
  add("40-char AWS secret by its key", (s) => `aws_secret_access_key = ${s}`, body(40, B64));
  add("api key with a space", (s) => `invalid api key: ${s}`);
  add("glued after \\n escape", (s) => `line\\ntoken=${s}`);
  add("glued after %0A", (s) => `x%0Apassword=${s}`);
  return cases;
}

function formCases(): SecretCase[] {
  const cases: SecretCase[] = [];
  const add = (name: string, secret: string, make: (s: string) => string = (s) => `used ${s} here`) =>
    cases.push({ name, text: make(secret), secret, layer: "form" });
  for (const p of ["ghp", "gho", "ghu", "ghs", "ghr"]) add(`GitHub ${p}_`, `${p}_${body(36)}`);
  add("GitHub fine-grained", `github_pat_${body(22)}_${body(59)}`);
  add("GitLab", `glpat-${body(20)}`);
  for (const p of ["xoxb", "xoxp", "xoxa", "xoxs"]) add(`Slack ${p}`, `${p}-${body(12, "0123456789")}-${body(24)}`);
  add("Slack app token", `xapp-1-${body(11)}-${body(30)}`);
  add("Slack webhook", `https://hooks.slack.com/services/T${body(8)}/B${body(8)}/${body(24)}`, (s) => `post to ${s}`);
  add("AWS AKIA", `AKIA${body(16, UPPER)}`);
  add("AWS ASIA", `ASIA${body(16, UPPER)}`);
  add("Google API key", `AIza${body(35)}`);
  add("npm token", `npm_${body(36)}`);
  add("Anthropic api03", `sk-ant-api03-${body(40)}-${body(20)}`);
  add("Anthropic admin", `sk-ant-admin01-${body(40)}`);
  add("OpenAI sk-", `sk-${body(48)}`);
  add("OpenAI sk-proj-", `sk-proj-${body(40)}_${body(20)}`);
  add("OpenAI sk-svcacct-", `sk-svcacct-${body(40)}`);
  add("Stripe sk_live_", `sk_live_${body(24)}`);
  add("Stripe rk_test_", `rk_test_${body(24)}`);
  add("Stripe whsec_", `whsec_${body(32)}`);
  add("relay key rla_", `rla_${body(30)}`);
  add("Hugging Face", `hf_${body(34)}`);
  add("JWT", `eyJ${body(20)}.eyJ${body(40)}.${body(43)}`);
  add("JWT glued to text", `eyJ${body(20)}.eyJ${body(30)}.${body(43)}`, (s) => `id_hint:${s}`);
  add(
    "PEM private key",
    `\n${body(64, B64)}\n${body(64, B64)}\n`,
    (s) => `-----BEGIN PRIVATE KEY-----${s}-----END PRIVATE KEY-----`,
  );
  add(
    "PEM RSA key, JSON-escaped",
    `\\n${body(64, B64)}\\n${body(30, B64)}==\\n`,
    (s) => `"-----BEGIN RSA PRIVATE KEY-----${s}-----END RSA PRIVATE KEY-----"`,
  );
  add("PEM OpenSSH key, cut off", `\n${body(70, B64)}`, (s) => `-----BEGIN OPENSSH PRIVATE KEY-----${s}`);
  add("URL userinfo", `p${body(10)}9`, (s) => `postgres://admin:${s}@db.internal:5432/app`);
  add("URL userinfo with #&;", `p#${body(6)}&;${body(4)}`, (s) => `redis://u:${s}@cache:6379`);
  add("URL token as user", `ghx${body(30)}`, (s) => `https://${s}@github.com/org/repo.git`);
  add("Bearer anywhere", `${body(30)}7.${body(10)}`, (s) => `sent Bearer ${s} upstream`);
  add("Bearer glued to %0A", `${body(24)}1`, (s) => `x%0ABearer%20${s}`);
  add("Bearer after \\n escape", `${body(24)}2`, (s) => `"hdr\\nBearer ${s}"`);
  add("Basic key-like", `${body(10, B64)}9${body(5)}=`, (s) => `Basic ${s}`);
  add("Token key-like", `${body(20, HEX)}1`, (s) => `Token ${s}`);
  add("AWS key glued to =", `AKIA${body(16, UPPER)}`, (s) => `AccessKeyId=${s}`);
  add("GitHub token glued to a quote", `ghp_${body(36)}`, (s) => `"${s}"`);
  add("npm token in .npmrc line", `npm_${body(36)}`, (s) => `//registry.npmjs.org/:_authToken=${s}`);
  return cases;
}

/** Every secret case: both layers. */
export const SECRET_CASES: readonly SecretCase[] = [...keyCases(), ...formCases()];

/** Texts that must print exactly as they are. */
export const ORDINARY_TEXTS: readonly string[] = [
  "password reset email sent",
  "token limit exceeded",
  "Authorization failed for agent x",
  "Peer rk-node-7 is not connected",
  "request 550e8400-e29b-41d4-a716-446655440000 failed",
  "commit 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
  "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "req_01HZX3Q8Y7K9M2N4P6R8T0V2W4",
  "msg_01XFDUDYJgAACzvnptvVoYEL",
  "request id: req-7f3a9c",
  "device 3F2504E0-4F89-11D3-9A0C-0305E82C3301 went offline",
  "model gpt-4o-mini is overloaded",
  "model claude-sonnet-4-5 not found",
  "    at Object.<anonymous> (/srv/app/index.js:12:7)",
  "    at async Promise.all (index 0)",
  "tokens_used=1234 max_tokens=4096",
  "token_count: 12",
  "Invalid signature length",
  "Signature: expected 64 bytes",
  "Token expired",
  "Basic plan required",
  "invalid token",
  "The API key is invalid",
  "Bearer token missing",
  "rate limited: retry after 30s",
  "session_key mismatch",
  "https://api.example.com/v1/chat/completions?stream=true",
  "ownerPubkey a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
  "publicKey: MCowBQYDK2VwAyEA",
  "-----BEGIN CERTIFICATE-----",
  "Error: connect ECONNREFUSED 127.0.0.1:443",
  "zone 12 took 3.5 ms (p99)",
  "ask-me-anything-2024 is a room",
  "x-request-id: 5d4b9a",
  "AKIA is a prefix, not a key",
];
