import { type CatalogEntry, type CatalogIndex, type CatalogRow, defineCatalog } from "@wirefault/core";
import { codeMap } from "@wirefault/core/protocol";

/** The domain classes a per-block code is built as, by name. */
export type BlockClassName =
  | "DeviceNotFoundError"
  | "InvalidSignatureError"
  | "InvalidPayloadError"
  | "RawJsonMismatchError";

/** A telemetry catalog row: core's fields, plus what a per-block code needs. */
export interface TelemetryServerEntry extends CatalogEntry {
  /** The per-block message exactly as the page writes it; its one `<...>` placeholder is the variable part. */
  readonly template?: string;
  /** The error field the placeholder fills: a one-token device id, or the free text after the words. */
  readonly slot?: "deviceId" | "detail";
  /** The domain class a per-block error of this code is an instance of. */
  readonly errorClass?: BlockClassName;
}

// One surface: every error of this protocol travels over HTTP. Top-level codes
// are the body's own machine string (`code`, else `error`), verbatim; per-block
// codes are the server's internal codes, recovered from the message template.
// Phrase codes get an identifier as their constant name. A `bareStatus` row is
// what a body naming no code means under that status.

// biome-ignore format: one line per code, so the table reads like the page
/** Every documented error of the telemetry server: top-level bodies, per-block 207 entries and framework shapes. */
export const catalog = defineCatalog([
  { surface: "http", code: "validation_error", status: 400, retryable: "no", action: "fix-request", bareStatus: true, summary: "The request body failed schema validation; details lists the Zod issues." },
  { surface: "http", code: "device_already_exists", status: 409, retryable: "no", action: "fix-request", bareStatus: true, summary: "The pubkey is already registered; at registration this means success, carry on.", advice: "At registration, treat it as success, as the reference firmware does." },
  { surface: "http", code: "Device not found", name: "device_not_found", status: 404, retryable: "no", action: "reset", bareStatus: true, summary: "GET /v1/devices/:id named an unregistered device; register it first." },
  { surface: "http", code: "internal_error", status: 500, retryable: "yes", action: "retry", bareStatus: true, summary: "Unexpected server error; resending the batch is safe, but attempts are capped.", policy: { maxAttempts: 3 } },
  { surface: "http", code: "DEVICE_NOT_FOUND", status: 207, retryable: "no", action: "reset", template: "Device not found: <device_id_hex>", slot: "deviceId", errorClass: "DeviceNotFoundError", summary: "Block from a device this endpoint does not know; register, then resend it.", advice: "Register the device (POST /v1/devices), then resend the block." },
  { surface: "http", code: "INVALID_SIGNATURE", status: 207, retryable: "no", action: "fix-request", template: "Invalid signature for device <device_id_hex>", slot: "deviceId", errorClass: "InvalidSignatureError", summary: "Ed25519 check of the block's raw bytes failed: wrong key or corrupted raw." },
  { surface: "http", code: "INVALID_PAYLOAD", status: 207, retryable: "no", action: "fix-request", template: "Invalid payload: <detail>", slot: "detail", errorClass: "InvalidPayloadError", summary: "The block's payload could not be read; resending it unchanged cannot help." },
  { surface: "http", code: "RAW_JSON_MISMATCH", status: 207, retryable: "no", action: "fix-request", template: "Raw/JSON mismatch for device <device_id_hex>", slot: "deviceId", errorClass: "RawJsonMismatchError", summary: "The Rust port found the block's raw bytes and its JSON disagree; the same block fails the same way every time." },
  { surface: "http", code: "internal", status: 500, retryable: "yes", action: "retry", summary: "The Rust port's storage failed; transient, so resending is safe, but attempts are capped.", policy: { maxAttempts: 3 } },
  { surface: "http", code: "blocks must have 1..100 items", name: "blocks_out_of_range", status: 400, retryable: "no", action: "fix-request", summary: "The Rust port refused a batch of no blocks or more than 100; send 1 to 100." },
  { surface: "http", code: "FST_ERR_VALIDATION", status: 400, retryable: "no", action: "fix-request", summary: "The framework's schema check refused the request, e.g. more than 100 blocks." },
  { surface: "http", code: "FST_ERR_CTP_INVALID_JSON_BODY", status: 400, retryable: "no", action: "fix-request", summary: "The request body was not valid JSON." },
  { surface: "http", code: "FST_ERR_CTP_EMPTY_JSON_BODY", status: 400, retryable: "no", action: "fix-request", summary: "The request said its body was JSON but sent an empty one." },
  { surface: "http", code: "FST_ERR_CTP_BODY_TOO_LARGE", status: 413, retryable: "no", action: "fix-request", summary: "The body is over the server's 1 MiB limit; send fewer blocks per request." },
  { surface: "http", code: "ERR_INVALID_ARG_TYPE", status: 500, retryable: "no", action: "fix-request", summary: "A block field of the wrong type (e.g. no deviceId) crashed the server; it fails the same way every time." },
  { surface: "http", code: "Not Found", name: "route_not_found", status: 404, retryable: "no", action: "fix-request", summary: "No such route: check the method and the base URL." },
  { surface: "http", code: "Internal Server Error", name: "internal_server_error", status: 500, retryable: "yes", action: "retry", summary: "The framework caught a crash, often a malformed block field; can repeat, so attempts are capped.", policy: { maxAttempts: 3 } },
] as const satisfies readonly CatalogRow<TelemetryServerEntry>[]);

type Entry = (typeof catalog)[number];

/** The catalog's own index, each row read as a TelemetryServerEntry (a template, slot and class where it has them). */
export const index: CatalogIndex<TelemetryServerEntry> = catalog.index;
/** A catalog row of a per-block code: one with a message template. */
export type BlockEntry = Extract<Entry, { template: string }>;

/** Code constants by name: `TelemetryServerErrorCode.device_not_found === "Device not found"`. */
export const TelemetryServerErrorCode = /* @__PURE__ */ codeMap(catalog);
/** A documented code of the telemetry server. */
export type TelemetryServerCode = Entry["code"];
/** The per-block codes of a 207 answer: the rows with a message template. */
export type BlockCode = BlockEntry["code"];

const BLOCK_CODES: ReadonlySet<unknown> = new Set(
  (catalog as readonly TelemetryServerEntry[])
    .filter((entry) => entry.template !== undefined)
    .map((entry) => entry.code),
);

/** True for a per-block code of a 207 answer (a row with a message template). */
export const isBlockCode = (code: unknown): code is BlockCode => BLOCK_CODES.has(code);

/** The catalog's only surface. */
export const SURFACE = "http";
/** The protocol name every error of this package carries. */
export const PROTOCOL = "telemetry-server";
/** Size cap on any body this package reads: the page documents none, so 1 MiB. */
export const MAX_BYTES = 1_048_576;
