import type { Parsed } from "@wirefault/core";
import {
  type LocalCode,
  MALFORMED,
  ProtocolError,
  type ProtocolErrorInit,
  redactSecrets,
  TOO_LARGE,
} from "@wirefault/core";
import { echoWire } from "@wirefault/core/wire";
import { type BlockCode, index, PROTOCOL, SURFACE, type TelemetryServerCode } from "./catalog.js";
import { deviceNotFoundMessage, invalidPayloadMessage, invalidSignatureMessage } from "./template.js";

/** One Zod issue of a 400 `validation_error`, kept verbatim (zod 3 or zod 4 keys, in their order). */
export type ValidationIssue = { code: string; path: (string | number)[]; message: string } & Record<string, unknown>;

// `& {}` keeps editor completion for the documented literals and reduces away when narrowed.
/** A code a TelemetryServerError may carry: documented, local, or whatever an unknown server sent. */
export type AnyTelemetryServerCode = TelemetryServerCode | LocalCode | (string & {});

/** Everything a TelemetryServerError is built from. */
export interface TelemetryServerErrorInit extends ProtocolErrorInit<AnyTelemetryServerCode> {
  details?: readonly ValidationIssue[] | undefined;
  seq?: string | undefined;
  deviceId?: string | undefined;
  detail?: string | undefined;
  reason?: string | undefined;
}

/** The page's top-level body: `{ error }`, plus `details` for `validation_error`. */
export interface TopLevelWire {
  error: string;
  details?: readonly ValidationIssue[];
}
/** One entry of a 207 answer's `errors`; `seq` is absent only on an error that never had one. */
export interface BlockWire {
  seq?: string;
  error: string;
}
/** The HTTP framework's own body (Fastify): `code` is absent when it equals the reason phrase. */
export interface FrameworkWire {
  statusCode: number;
  code?: string;
  error: string;
  message: string;
}
/** Any body `toWire()` can rebuild. */
export type TelemetryWire = TopLevelWire | BlockWire | FrameworkWire;

const EXTRA = ["details", "seq", "deviceId", "detail", "reason"] as const;

/** An error of the telemetry server's HTTP contract: a top-level body or one block of a 207 answer. */
export class TelemetryServerError extends ProtocolError<AnyTelemetryServerCode> {
  static {
    this.prototype.name = "TelemetryServerError";
  }

  /** The raw Zod issues of a 400 `validation_error`, each the very object received. */
  declare readonly details?: readonly ValidationIssue[];
  /** The block's sequence number, as a string like on the wire (per-block errors only). */
  declare readonly seq?: string;
  /** The device id parsed from the message template (normally hex). */
  declare readonly deviceId?: string;
  /** The text after `Invalid payload:`. */
  declare readonly detail?: string;
  /** The reason phrase of a framework-shaped body (`"Bad Request"`), which `toWire()` puts back. */
  declare readonly reason?: string;

  constructor(init: TelemetryServerErrorInit) {
    super(init);
    // A fixed list, never a spread: nothing unlisted becomes a field.
    for (const key of EXTRA) {
      const value = init[key];
      // Ids and details may echo what the request sent: masked like the message.
      if (value !== undefined)
        (this as Record<string, unknown>)[key] = typeof value === "string" ? redactSecrets(value) : value;
    }
  }

  /**
   * The body the server sent for this error, key for key, when it was read off the wire;
   * else the body to send: page shape, per-block entry or framework shape.
   */
  toWire(): TelemetryWire {
    const code = String(this.code);
    // Read off the wire: what was received, key for key (a numeric seq stays a number). Built in code: the page's shape.
    const received = code === MALFORMED || code === TOO_LARGE ? undefined : echoWire(this.raw);
    if (received) return received as unknown as TelemetryWire;
    if (this.seq !== undefined) return { seq: this.seq, error: this.message };
    if (index.get(code)?.status === 207) return { error: this.message };
    if (this.reason !== undefined) {
      const statusCode = this.status ?? 0;
      return code === this.reason
        ? { statusCode, error: this.reason, message: this.message }
        : { statusCode, code, error: this.reason, message: this.message };
    }
    return code === "validation_error" ? { error: code, details: this.details ?? [] } : { error: code };
  }
}

/** Options of the domain error constructors. */
export interface BlockErrorOptions {
  /** The block's sequence number; normalised to a string. */
  seq?: string | number | bigint;
  cause?: unknown;
}

/** The init of a per-block error, classified from the catalog. */
export function blockInit(
  code: BlockCode | string,
  message: string,
  extra: Pick<TelemetryServerErrorInit, "seq" | "deviceId" | "detail" | "status" | "raw" | "cause">,
): TelemetryServerErrorInit {
  const c = index.classify(code, SURFACE);
  return {
    protocol: PROTOCOL,
    code,
    message,
    surface: SURFACE,
    codeName: c.codeName,
    known: c.known,
    // An unknown per-block message from a newer server gets one more try:
    // resending a block is always safe, because duplicates are accepted.
    retryable: c.known ? c.retryable : "maybe",
    action: c.known ? c.action : "retry",
    policy: c.policy,
    ...extra,
    status: extra.status ?? c.status ?? 207,
  };
}

const seqOf = (seq: BlockErrorOptions["seq"]): string | undefined => (seq === undefined ? undefined : String(seq));

/** `DEVICE_NOT_FOUND`: the block's device is not registered at this endpoint; register, then resend. */
export class DeviceNotFoundError extends TelemetryServerError {
  static {
    this.prototype.name = "DeviceNotFoundError";
  }
  declare readonly code: "DEVICE_NOT_FOUND";

  constructor(deviceId: string, options: BlockErrorOptions = {}) {
    super(
      blockInit("DEVICE_NOT_FOUND", deviceNotFoundMessage(deviceId), {
        deviceId,
        seq: seqOf(options.seq),
        cause: options.cause,
      }),
    );
  }
}

/** `INVALID_SIGNATURE`: Ed25519 verification over the block's raw bytes failed. */
export class InvalidSignatureError extends TelemetryServerError {
  static {
    this.prototype.name = "InvalidSignatureError";
  }
  declare readonly code: "INVALID_SIGNATURE";

  constructor(deviceId: string, options: BlockErrorOptions = {}) {
    super(
      blockInit("INVALID_SIGNATURE", invalidSignatureMessage(deviceId), {
        deviceId,
        seq: seqOf(options.seq),
        cause: options.cause,
      }),
    );
  }
}

/** `INVALID_PAYLOAD`: the block's payload could not be read. */
export class InvalidPayloadError extends TelemetryServerError {
  static {
    this.prototype.name = "InvalidPayloadError";
  }
  declare readonly code: "INVALID_PAYLOAD";

  constructor(detail: string, options: BlockErrorOptions = {}) {
    super(
      blockInit("INVALID_PAYLOAD", invalidPayloadMessage(detail), {
        detail,
        seq: seqOf(options.seq),
        cause: options.cause,
      }),
    );
  }
}

/** The domain class of each per-block code. */
export const BLOCK_CLASSES: Readonly<Record<BlockCode, new (...args: never[]) => TelemetryServerError>> = {
  DEVICE_NOT_FOUND: DeviceNotFoundError,
  INVALID_SIGNATURE: InvalidSignatureError,
  INVALID_PAYLOAD: InvalidPayloadError,
};

/** A per-block error of a 207 answer: always has its `seq`; narrowing on `known` makes `code` a catalog literal. */
export type BlockError = Parsed<TelemetryServerError, TelemetryServerCode> & { readonly seq: string };

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedTelemetryServerError = Parsed<TelemetryServerError, TelemetryServerCode>;
