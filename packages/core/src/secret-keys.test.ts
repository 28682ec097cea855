import { describe, expect, it } from "vitest";
import { isSecretKey, keyWords } from "./secret-keys.js";

describe("keyWords", () => {
  it("splits camelCase, PascalCase, snake_case, kebab-case, dots and spaces, lower-cased", () => {
    expect(keyWords("accessToken")).toEqual(["access", "token"]);
    expect(keyWords("APIKey")).toEqual(["api", "key"]);
    expect(keyWords("aws_secret_access_key")).toEqual(["aws", "secret", "access", "key"]);
    expect(keyWords("X-Api-Key")).toEqual(["x", "api", "key"]);
    expect(keyWords("db.password")).toEqual(["db", "password"]);
    expect(keyWords("api key")).toEqual(["api", "key"]);
  });
});

describe("isSecretKey", () => {
  it.each([
    "token",
    "refresh_token",
    "sessionToken",
    "X-Auth-Token",
    "password",
    "userPassword",
    "passwd",
    "pwd",
    "passphrase",
    "client_secret",
    "Cookie",
    "set-cookie",
    "authorization",
    "proxy-authorization",
    "credential",
    "credentials",
    "api_key",
    "privateKey",
    "secret-key",
    "aws_secret_access_key",
    "account_key",
    "clientKey",
    "apikey",
    "x-apikey",
    "authtoken",
    "accesstoken",
  ])("%s names a secret", (key) => expect(isSecretKey(key)).toBe(true));

  it.each([
    "signature",
    "publicKey",
    "ownerPubkey",
    "deviceId",
    "tokens_used",
    "max_tokens",
    "token_count",
    "totalTokenCount",
    "tokens_generated",
    "key",
    "session_key",
    "tokenizer",
    "passwordPolicy",
    "message",
    "",
  ])("%s does not", (key) => expect(isSecretKey(key)).toBe(false));

  it("sig and signature are secrets in a URL query only", () => {
    expect(isSecretKey("sig")).toBe(false);
    expect(isSecretKey("sig", true)).toBe(true);
    expect(isSecretKey("X-Amz-Signature", true)).toBe(true);
    expect(isSecretKey("signature")).toBe(false);
  });

  it("reads a symbol key by its description", () => {
    expect(isSecretKey(Symbol("password"))).toBe(true);
    expect(isSecretKey(Symbol())).toBe(false);
  });
});
