import { type CatalogEntry, type CatalogRow, defineCatalog } from "@wirefault/core";
import { type CloseCodeEntry, type CodeMap, codeMap, type UnlistedCode } from "@wirefault/core/protocol";

/**
 * The size cap on every parsed input: 16 MiB, Bun's WebSocket message limit.
 * The relay runs on Bun and echoes any id it is sent, so a real `peer_not_found`
 * frame can be that large; anything larger closed the socket (1009) instead.
 */
export const MAX_BYTES = 16_777_216;

/** Which HTTP server of the project sends an `api` code: the local API (:11435), the hosted gateway, or both. */
export type TealeServer = "local" | "gateway" | "both";

/** A Teale catalog row: core's fields, and for an `api` code the server that sends it. */
export interface TealeRelayEntry extends CatalogEntry {
  readonly server?: TealeServer;
}

/**
 * Every documented code of Teale: relay frames, the HTTP API (the local API and the
 * hosted gateway share the OpenAI envelope and the codes they both send), PTN and Noise.
 */
// biome-ignore format: one line per code keeps the catalog reviewable against the page
export const catalog = defineCatalog([
  { surface: "relay", code: "peer_not_found", retryable: "maybe", action: "reset", summary: "The target peer is not connected to the relay; rediscover it before sending again." },
  { surface: "relay", code: "invalid_json", retryable: "no", action: "fix-request", summary: "The relay could not parse the message as JSON." },
  { surface: "relay", code: "invalid_message", retryable: "no", action: "fix-request", summary: "The message was empty or had no recognised message type key." },
  { surface: "relay", code: "invalid_register", retryable: "no", action: "fix-request", summary: "The register message lacks nodeID, publicKey, capabilities or signature." },
  { surface: "relay", code: "rate_limited", retryable: "yes", action: "throttle", summary: "Too many discover requests; wait retryAfterSeconds (10 s by default).", policy: { baseMs: 10_000, minDelayMs: 10_000 }, advice: "Wait retryAfterSeconds (10 s when absent) before the next discover." },
  { surface: "relay", code: "unsupported_message", retryable: "no", action: "fix-request", summary: "The relay does not know this message type." },
  { surface: "api", server: "local", code: "model_not_loaded", status: 503, retryable: "maybe", action: "reset", bareStatus: true, summary: "The requested model is not loaded; load it, then retry." },
  { surface: "api", server: "both", code: "invalid_request", status: 400, retryable: "no", action: "fix-request", bareStatus: true, summary: "The request body is malformed or misses required fields." },
  { surface: "api", server: "both", code: "internal_error", status: 500, retryable: "yes", action: "retry", bareStatus: true, summary: "The server failed while processing the request." },
  { surface: "api", server: "both", code: "unauthorized", status: 401, retryable: "no", action: "user-action", bareStatus: true, summary: "The API key is missing or invalid." },
  { surface: "api", server: "gateway", code: "not_found", status: 404, retryable: "no", action: "fix-request", summary: "Gateway: no such route or resource." },
  { surface: "api", server: "gateway", code: "forbidden", status: 403, retryable: "no", action: "user-action", summary: "Gateway: the key is valid but may not do this; a person must grant access." },
  { surface: "api", server: "gateway", code: "budget_exhausted", status: 402, retryable: "no", action: "user-action", summary: "Gateway: the share key's budget is spent; its owner must raise it." },
  { surface: "api", server: "gateway", code: "insufficient_credits", status: 402, retryable: "no", action: "user-action", summary: "Gateway: the account's balance is below the request's cost; top up (balance and required say by how much)." },
  { surface: "api", server: "gateway", code: "model_not_found", status: 404, retryable: "no", action: "fix-request", summary: "Gateway: no model has that id." },
  { surface: "api", server: "gateway", code: "model_unavailable", status: 503, retryable: "yes", action: "retry", summary: "Gateway: no device can serve the model right now; try again shortly." },
  { surface: "api", server: "gateway", code: "upstream_error", status: 502, retryable: "yes", action: "retry", summary: "Gateway: the device serving the request failed." },
  { surface: "api", server: "gateway", code: "upstream_failed", status: 502, retryable: "yes", action: "retry", summary: "Gateway: every device it tried failed." },
  { surface: "api", server: "gateway", code: "timeout", status: 504, retryable: "yes", action: "retry", summary: "Gateway: the device serving the request did not answer in time." },
  { surface: "api", server: "gateway", code: "relay_unavailable", status: 503, retryable: "yes", action: "retry", summary: "Gateway: the relay cannot be reached right now." },
  { surface: "ptn", code: "invalidInviteCode", retryable: "no", action: "user-action", summary: "The invite code could not be decoded; ask for a valid one." },
  { surface: "ptn", code: "inviteExpired", retryable: "no", action: "user-action", summary: "The invite has expired; ask for a new one." },
  { surface: "ptn", code: "notPTNAdmin", retryable: "no", action: "user-action", summary: "This operation needs a PTN admin, and this node is not one." },
  { surface: "ptn", code: "caKeyNotFound", retryable: "no", action: "user-action", summary: "The PTN's CA private key is not on this device." },
  { surface: "ptn", code: "ptnNotFound", retryable: "no", action: "fix-request", summary: "This node is not a member of the given PTN." },
  { surface: "ptn", code: "certificateVerificationFailed", retryable: "no", action: "abort", summary: "The certificate does not verify against the PTN's CA public key." },
  { surface: "ptn", code: "joinRequestTimeout", retryable: "maybe", action: "retry", summary: "The inviter did not answer the join request; it is likely offline.", policy: { baseMs: 30_000 } },
  { surface: "ptn", code: "joinRejected", retryable: "no", action: "user-action", summary: "The inviter rejected the join request." },
  { surface: "ptn", code: "recoveryTooEarly", retryable: "no", action: "wait", summary: "Recovery is not allowed yet; wait the remaining days." },
  { surface: "noise", code: "handshakeFailed", retryable: "maybe", action: "reconnect", summary: "The Noise handshake could not be completed." },
  { surface: "noise", code: "decryptionFailed", retryable: "maybe", action: "reconnect", summary: "A message failed ChaCha20-Poly1305 tag verification." },
  { surface: "noise", code: "invalidMessage", retryable: "no", action: "abort", summary: "An encrypted message is too short or structurally invalid." },
  { surface: "noise", code: "invalidPublicKey", retryable: "no", action: "abort", summary: "A public key is not 32 bytes or not a valid point." },
  { surface: "noise", code: "replayDetected", retryable: "no", action: "abort", summary: "A message nonce was already received: a replay or a duplicate." },
  { surface: "noise", code: "sessionExpired", retryable: "yes", action: "reconnect", summary: "The Noise session passed its maximum age (24 h); handshake again." },
] as const satisfies readonly CatalogRow<TealeRelayEntry>[]);

type Entry = (typeof catalog)[number];
type OfSurface<S extends Entry["surface"]> = Extract<Entry, { surface: S }>;

/** Code constants by name: `TealeRelayErrorCode.rate_limited === "rate_limited"`. */
export const TealeRelayErrorCode = /* @__PURE__ */ codeMap(catalog);
/** A documented code of Teale, any surface. */
export type TealeRelayCode = Entry["code"];
/** A code of the relay's WebSocket error frames. */
export type RelayCode = OfSurface<"relay">["code"];
/** A code of the HTTP API: the local API (:11435) or the hosted gateway (a row's `server` says which). */
export type ApiCode = OfSurface<"api">["code"];
/** A code of Private TealeNet errors. */
export type PtnCode = OfSurface<"ptn">["code"];
/** A code of Noise session errors. */
export type NoiseCode = OfSurface<"noise">["code"];

const surfaceMap = <S extends Entry["surface"]>(surface: S): CodeMap<OfSurface<S>[]> =>
  codeMap(catalog.filter((entry): entry is OfSurface<S> => entry.surface === surface));

/** PTN code constants: `PtnErrorCode.recoveryTooEarly === "recoveryTooEarly"`. */
export const PtnErrorCode = /* @__PURE__ */ surfaceMap("ptn");
/** Noise code constants: `NoiseErrorCode.sessionExpired === "sessionExpired"`. */
export const NoiseErrorCode = /* @__PURE__ */ surfaceMap("noise");

// The real local API names its errors in OpenAI's vocabulary; these are the
// spellings FIELD-NOTES.md records, each mapped to the page's code.
/** Other spellings seen on the wire, each mapped to the documented code it stands for. */
export const codeAliases = Object.freeze({
  invalid_api_key: "unauthorized",
  authentication_error: "unauthorized",
  invalid_request_error: "invalid_request",
  // The gateway's Anthropic-compatible endpoint names its errors by Anthropic's types.
  not_found_error: "not_found",
  permission_error: "forbidden",
  billing_error: "insufficient_credits",
  overloaded_error: "model_unavailable",
  api_error: "internal_error",
} as const);

// Codes FIELD-NOTES.md lists beside the page's inside relayed inference
// errors. They are not on the page, so they stay `known: false`, but their
// meaning is clear enough to classify.
// biome-ignore format: one line per code
/** Codes real providers send in relayed inference errors beyond the page's: classified, never `known`. */
export const unlisted = Object.freeze([
  { surface: "api", code: "queue_full", retryable: "yes", action: "throttle", summary: "The provider's request queue is full; slow down." },
  { surface: "api", code: "unavailable", retryable: "maybe", action: "retry", summary: "The provider cannot serve the request right now." },
  { surface: "api", code: "cancelled", retryable: "no", action: "abort", summary: "The inference was cancelled; sending it again repeats the cancelled work." },
] as const satisfies readonly UnlistedCode[]);

/** The reason the relay gives, with close code 1012, to the socket a re-register replaced. */
export const REPLACED_BY_NEWER_SESSION = "Replaced by newer session";

// biome-ignore format: one line per close
/** The relay's own WebSocket closes: a standard code that the relay's reason gives another meaning. */
export const closeCodes = /* @__PURE__ */ Object.freeze([
  { code: 1012, reason: REPLACED_BY_NEWER_SESSION, name: "SESSION_REPLACED", retryable: "no", action: "abort", summary: "A newer socket registered the same node and took its session; reconnecting would take it back.", advice: "Do not reconnect from this client: another connection registered as the same node now holds the session, and reconnecting would take it back in turn." },
] as const satisfies readonly CloseCodeEntry[]);

/** The relay's own close events, by name: `TealeRelayCloseEvent.SESSION_REPLACED` is `{ code: 1012, reason }`. */
export const TealeRelayCloseEvent = /* @__PURE__ */ Object.freeze({
  SESSION_REPLACED: /* @__PURE__ */ Object.freeze({ code: 1012, reason: REPLACED_BY_NEWER_SESSION } as const),
});

/** Swift clients reconnect with backoff from 1 s up to 60 s. */
export const reconnect = /* @__PURE__ */ Object.freeze({ baseMs: 1000, capMs: 60_000 } as const);
