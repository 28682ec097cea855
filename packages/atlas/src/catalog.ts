import type { CatalogEntry, CatalogRow, CodeRange, LocalCode } from "@wirefault/core";
import { codeMap, defineCatalog, MALFORMED, TOO_LARGE } from "@wirefault/core/protocol";

/** Largest MessagePack payload Atlas accepts (4 MB); larger input is refused before decoding. */
export const MAX_PAYLOAD_SIZE = 4 * 1024 * 1024;

/**
 * Cap on JSON text. Atlas's wire format is MessagePack, capped at
 * MAX_PAYLOAD_SIZE (4 MB); JSON is a convenience, and 4 MB of it takes V8
 * about 100 ms to parse, so it gets the 1 MiB the other packages use.
 */
export const MAX_JSON_BYTES = 1_048_576;

/** A catalog row of Atlas. */
export interface AtlasCatalogEntry extends CatalogEntry<"wire" | "zone"> {
  /** The local code this wire code answers: what an Atlas node sends back for input it could not read, or refused by size. */
  readonly answers?: LocalCode;
}

// biome-ignore format: one line per code reads as the page's table
/** Every documented code of Atlas: numeric wire codes (`ErrorMessage`), then zone codes (`zone.error`). */
export const catalog = defineCatalog([
  { surface: "wire", code: 1001, name: "ERR_PROTOCOL_VERSION", retryable: "no", action: "abort", summary: "The peer runs an incompatible protocol version." },
  { surface: "wire", code: 1002, name: "ERR_HANDSHAKE_FAILED", retryable: "maybe", action: "reconnect", summary: "Bad challenge signature or clock drift over max_clock_drift_secs; check the clock." },
  { surface: "wire", code: 1003, name: "ERR_HANDSHAKE_TIMEOUT", retryable: "yes", action: "reconnect", summary: "The handshake did not finish within 10 s.", policy: { baseMs: 1_000, capMs: 30_000 } },
  { surface: "wire", code: 1004, name: "ERR_INVALID_IDENTITY", retryable: "no", action: "fix-request", summary: "Malformed node ID or missing public key." },
  { surface: "wire", code: 2001, name: "ERR_NOT_VERIFIED", retryable: "maybe", action: "reset", summary: "Not verified yet; finish authentication first." },
  { surface: "wire", code: 2002, name: "ERR_PAYLOAD_TOO_LARGE", retryable: "no", action: "fix-request", summary: "Payload over the 4 MB limit.", answers: TOO_LARGE },
  { surface: "wire", code: 2003, name: "ERR_MESSAGE_REJECTED", retryable: "no", action: "fix-request", summary: "Unsupported message type or invalid content.", answers: MALFORMED },
  { surface: "wire", code: 4001, name: "ERR_RATE_LIMITED", retryable: "yes", action: "throttle", summary: "Over the trust tier's rate limit.", policy: { baseMs: 1_000, capMs: 60_000 } },
  { surface: "wire", code: 5001, name: "ERR_INTERNAL", retryable: "yes", action: "retry", summary: "Unexpected failure on the receiving node." },
  { surface: "zone", code: "zone_not_found", retryable: "no", action: "fix-request", summary: "No such zone on this steward." },
  { surface: "zone", code: "action_not_found", retryable: "no", action: "fix-request", summary: "The zone manifest defines no such action." },
  { surface: "zone", code: "invalid_params", retryable: "no", action: "fix-request", summary: "Malformed or missing request parameters." },
  { surface: "zone", code: "not_member", retryable: "maybe", action: "reset", summary: "Join the zone before requesting actions." },
  { surface: "zone", code: "payment_required", retryable: "maybe", action: "reset", summary: "Payment needed; attach an authorization." },
  { surface: "zone", code: "payment_invalid", retryable: "no", action: "fix-request", summary: "Payment authorization does not match the requirement." },
  { surface: "zone", code: "payment_failed", retryable: "no", action: "user-action", summary: "Settlement reverted or the asset is unsupported." },
  { surface: "zone", code: "full", retryable: "maybe", action: "wait", summary: "The zone is at max_members.", policy: { baseMs: 5_000, capMs: 60_000 } },
  { surface: "zone", code: "skills_mismatch", retryable: "no", action: "user-action", summary: "The agent lacks the required skills." },
  { surface: "zone", code: "not_open", retryable: "no", action: "user-action", summary: "The zone is not open for new members." },
  { surface: "zone", code: "banned", retryable: "no", action: "user-action", summary: "The agent is banned from this zone." },
  { surface: "zone", code: "stopped", retryable: "no", action: "user-action", summary: "The zone is stopped." },
  { surface: "zone", code: "rate_limited", retryable: "yes", action: "throttle", summary: "Zone rate limit exceeded.", policy: { baseMs: 1_000, capMs: 60_000 } },
  { surface: "zone", code: "steward_unavailable", retryable: "yes", action: "retry", summary: "The primary steward is offline.", policy: { baseMs: 2_000, capMs: 60_000 } },
  { surface: "zone", code: "stale_manifest", retryable: "yes", action: "reset", summary: "Outdated manifest epoch; refresh the manifest." },
  { surface: "zone", code: "replica_not_ready", retryable: "yes", action: "retry", summary: "The zone replica is still initializing.", policy: { baseMs: 1_000, capMs: 30_000 } },
  { surface: "zone", code: "not_steward", retryable: "maybe", action: "reset", summary: "Not a steward for this zone; find the steward." },
  { surface: "zone", code: "internal", retryable: "yes", action: "retry", summary: "Unexpected error in the zone runtime." },
] as const satisfies readonly CatalogRow<AtlasCatalogEntry>[]);

/** Code constants by name: `AtlasErrorCode.ERR_RATE_LIMITED === 4001`, `AtlasErrorCode.not_member === "not_member"`. */
export const AtlasErrorCode = /* @__PURE__ */ codeMap(catalog);

/** A documented code of Atlas, wire or zone. */
export type AtlasCode = (typeof catalog)[number]["code"];
/** A documented numeric wire code (`ErrorMessage`). */
export type AtlasWireCode = Extract<(typeof catalog)[number], { surface: "wire" }>["code"];
/** A documented zone code (`zone.error`, the `ZoneErrorCode` enum). */
export type AtlasZoneCode = Extract<(typeof catalog)[number], { surface: "zone" }>["code"];

// The constant names Atlas's own clients use. Each is read off its catalog row by name, so a
// row is the only place a code and its meaning are written; catalog.test.ts checks none is missing.
/** The wire code named `ERR_PROTOCOL_VERSION` in the catalog. */
export const ERR_PROTOCOL_VERSION = AtlasErrorCode.ERR_PROTOCOL_VERSION;
/** The wire code named `ERR_HANDSHAKE_FAILED` in the catalog. */
export const ERR_HANDSHAKE_FAILED = AtlasErrorCode.ERR_HANDSHAKE_FAILED;
/** The wire code named `ERR_HANDSHAKE_TIMEOUT` in the catalog. */
export const ERR_HANDSHAKE_TIMEOUT = AtlasErrorCode.ERR_HANDSHAKE_TIMEOUT;
/** The wire code named `ERR_INVALID_IDENTITY` in the catalog. */
export const ERR_INVALID_IDENTITY = AtlasErrorCode.ERR_INVALID_IDENTITY;
/** The wire code named `ERR_NOT_VERIFIED` in the catalog. */
export const ERR_NOT_VERIFIED = AtlasErrorCode.ERR_NOT_VERIFIED;
/** The wire code named `ERR_PAYLOAD_TOO_LARGE` in the catalog. */
export const ERR_PAYLOAD_TOO_LARGE = AtlasErrorCode.ERR_PAYLOAD_TOO_LARGE;
/** The wire code named `ERR_MESSAGE_REJECTED` in the catalog. */
export const ERR_MESSAGE_REJECTED = AtlasErrorCode.ERR_MESSAGE_REJECTED;
/** The wire code named `ERR_RATE_LIMITED` in the catalog. */
export const ERR_RATE_LIMITED = AtlasErrorCode.ERR_RATE_LIMITED;
/** The wire code named `ERR_INTERNAL` in the catalog. */
export const ERR_INTERNAL = AtlasErrorCode.ERR_INTERNAL;

/**
 * The page's code ranges. An unknown code inside one takes its category;
 * a code outside every range falls to core's default (`no`, `abort`).
 */
// biome-ignore format: one line per range reads as the page's table
export const ranges: readonly CodeRange<"wire">[] = [
  // A fresh connection redoes the handshake; once, since a real version or identity fault repeats.
  { surface: "wire", min: 1000, max: 1999, name: "handshake", retryable: "maybe", action: "reconnect", summary: "Handshake and protocol errors" },
  { surface: "wire", min: 2000, max: 2999, name: "validation", retryable: "no", action: "fix-request", summary: "Message validation errors" },
  { surface: "wire", min: 4000, max: 4999, name: "rate-limit", retryable: "yes", action: "throttle", summary: "Rate limiting and access control" },
  { surface: "wire", min: 5000, max: 5999, name: "internal", retryable: "yes", action: "retry", summary: "Internal server errors" },
];
