import type { Parsed } from "@wirefault/core";
import { type LocalCode, ProtocolError, type ProtocolErrorInit } from "@wirefault/core";
import {
  type BlockClassName,
  type BlockCode,
  entryOf,
  PROTOCOL,
  SURFACE,
  type TelemetryServerCode,
} from "./catalog.js";
import { type TelemetryWire, toWire, type ValidationIssue } from "./wire.js";

// `& {}` keeps editor completion for the documented literals and reduces away when narrowed.
/** A code a TelemetryServerError may carry: documented, local, or whatever an unknown server sent. */
export type AnyTelemetryServerCode = TelemetryServerCode | LocalCode | (string & {});

/** The fields a telemetry error may carry besides core's, each present only when the wire or the raiser gave it. */
export interface TelemetryServerErrorDetails {
  /** The raw Zod issues of a 400 `validation_error`. */
  details?: readonly ValidationIssue[] | undefined;
  /** The block's sequence number, as a string (per-block errors only). */
  seq?: string | undefined;
  /** The device id in a per-block message. */
  deviceId?: string | undefined;
  /** The text after `Invalid payload:`. */
  detail?: string | undefined;
  /** The reason phrase of a framework-shaped body. */
  reason?: string | undefined;
}

/** Everything a TelemetryServerError is built from. */
export interface TelemetryServerErrorInit
  extends ProtocolErrorInit<AnyTelemetryServerCode>,
    TelemetryServerErrorDetails {}

const DETAILS = [
  "details",
  "seq",
  "deviceId",
  "detail",
  "reason",
] as const satisfies readonly (keyof TelemetryServerErrorDetails)[];

/** An error of the telemetry server's HTTP contract: a top-level body or one block of a 207 answer. */
export class TelemetryServerError extends ProtocolError<AnyTelemetryServerCode> {
  static {
    this.prototype.name = "TelemetryServerError";
  }

  /** The fields core copies from an init, masked, when set. */
  static readonly details: readonly string[] = DETAILS;

  /** The raw Zod issues of a 400 `validation_error`, each a masked copy of the object received. */
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
  }

  /**
   * The body the server sent for this error, key for key, when it was read off the wire;
   * else the body to send: page shape, per-block entry or framework shape.
   */
  toWire(): TelemetryWire {
    return toWire(this);
  }
}

/** Options of the domain error constructors. */
export interface BlockErrorOptions {
  /** The block's sequence number; normalised to a string. */
  seq?: string | number | bigint;
  cause?: unknown;
}

/** The init of a per-block error raised in code: the catalog's template filled with `value`, in the row's slot. */
function raised(code: BlockCode, value: string, options: BlockErrorOptions): TelemetryServerErrorInit {
  const entry = entryOf(code);
  const template = entry?.template ?? "";
  const at = template.indexOf("<");
  return {
    protocol: PROTOCOL,
    surface: SURFACE,
    code,
    codeName: entry?.name,
    known: true,
    retryable: entry?.retryable ?? "no",
    action: entry?.action ?? "abort",
    policy: entry?.policy,
    status: entry?.status,
    message: `${template.slice(0, at)}${value}${template.slice(template.indexOf(">", at) + 1)}`,
    seq: options.seq === undefined ? undefined : String(options.seq),
    cause: options.cause,
    [entry?.slot ?? "detail"]: value,
  };
}

/** `DEVICE_NOT_FOUND`: the block's device is not registered at this endpoint; register, then resend. */
export class DeviceNotFoundError extends TelemetryServerError {
  static {
    this.prototype.name = "DeviceNotFoundError";
  }
  declare readonly code: "DEVICE_NOT_FOUND";

  constructor(deviceId: string, options: BlockErrorOptions = {}) {
    super(raised("DEVICE_NOT_FOUND", deviceId, options));
  }
}

/** `INVALID_SIGNATURE`: Ed25519 verification over the block's raw bytes failed. */
export class InvalidSignatureError extends TelemetryServerError {
  static {
    this.prototype.name = "InvalidSignatureError";
  }
  declare readonly code: "INVALID_SIGNATURE";

  constructor(deviceId: string, options: BlockErrorOptions = {}) {
    super(raised("INVALID_SIGNATURE", deviceId, options));
  }
}

/** `INVALID_PAYLOAD`: the block's payload could not be read. */
export class InvalidPayloadError extends TelemetryServerError {
  static {
    this.prototype.name = "InvalidPayloadError";
  }
  declare readonly code: "INVALID_PAYLOAD";

  constructor(detail: string, options: BlockErrorOptions = {}) {
    super(raised("INVALID_PAYLOAD", detail, options));
  }
}

// By the name a catalog row gives (`errorClass`), never by code: the catalog says which code gets which class.
const CLASSES: Readonly<Record<BlockClassName, new (...args: never[]) => TelemetryServerError>> = {
  DeviceNotFoundError,
  InvalidSignatureError,
  InvalidPayloadError,
};

/**
 * Builds the error an init describes, as the class its code's catalog row
 * names. The base constructor runs with the domain class as `new.target`, so
 * the instance is a real DeviceNotFoundError (instanceof, name) carrying the
 * wire's message verbatim instead of a rebuilt one.
 */
export function createError(init: TelemetryServerErrorInit): TelemetryServerError {
  const name = init.known ? entryOf(init.code)?.errorClass : undefined;
  return name ? Reflect.construct(TelemetryServerError, [init], CLASSES[name]) : new TelemetryServerError(init);
}

/**
 * A per-block error of a 207 answer: always has its `seq`; narrowing on `known`
 * makes `code` one of the block codes, so a `switch` over them is exhaustive.
 */
export type BlockError = Parsed<TelemetryServerError, BlockCode> & { readonly seq: string };

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedTelemetryServerError = Parsed<TelemetryServerError, TelemetryServerCode>;
