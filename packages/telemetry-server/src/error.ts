import type { Parsed } from "@wirefault/core";
import { type LocalCode, ProtocolError, type ProtocolErrorInit } from "@wirefault/core";
import { type BlockClassName, type BlockCode, index, PROTOCOL, SURFACE, type TelemetryServerCode } from "./catalog.js";
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
  extends Omit<ProtocolErrorInit<AnyTelemetryServerCode>, "protocol">,
    TelemetryServerErrorDetails {
  protocol?: typeof PROTOCOL;
}

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
    super(init, PROTOCOL);
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
  const entry = index.get(code);
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

/** The domain class of one per-block code: `new DeviceNotFoundError(deviceId, { seq })`. */
export interface BlockErrorClass<C extends BlockCode> {
  /** `value` fills the row's template (a device id, or the payload detail); an init parseError read is kept as read. */
  new (
    value: string | TelemetryServerErrorInit,
    options?: BlockErrorOptions,
  ): TelemetryServerError & { readonly code: C };
  readonly prototype: TelemetryServerError;
}

/**
 * A domain class per per-block code, built from its catalog row: named by the
 * row's `errorClass` (on the prototype, so it survives minification), its
 * message the row's template with `value` in the row's slot. An init that
 * parseError read is taken as it is, the wire's message verbatim.
 */
function blockClass<const C extends BlockCode>(code: C): BlockErrorClass<C> {
  const Block = class extends TelemetryServerError {
    declare readonly code: C;

    constructor(value: string | TelemetryServerErrorInit, options: BlockErrorOptions = {}) {
      super(typeof value === "string" ? raised(code, value, options) : value);
    }
  };
  Block.prototype.name = index.get(code)?.errorClass ?? "TelemetryServerError";
  return Block;
}

/** `DEVICE_NOT_FOUND`: the block's device is not registered at this endpoint; register, then resend. */
export const DeviceNotFoundError = blockClass("DEVICE_NOT_FOUND");
/** A `DEVICE_NOT_FOUND` block error. */
export type DeviceNotFoundError = InstanceType<typeof DeviceNotFoundError>;

/** `INVALID_SIGNATURE`: Ed25519 verification over the block's raw bytes failed. */
export const InvalidSignatureError = blockClass("INVALID_SIGNATURE");
/** An `INVALID_SIGNATURE` block error. */
export type InvalidSignatureError = InstanceType<typeof InvalidSignatureError>;

/** `INVALID_PAYLOAD`: the block's payload could not be read. */
export const InvalidPayloadError = blockClass("INVALID_PAYLOAD");
/** An `INVALID_PAYLOAD` block error. */
export type InvalidPayloadError = InstanceType<typeof InvalidPayloadError>;

/** `RAW_JSON_MISMATCH` (the Rust port): the block's raw bytes and its JSON disagree; resending it cannot help. */
export const RawJsonMismatchError = blockClass("RAW_JSON_MISMATCH");
/** A `RAW_JSON_MISMATCH` block error. */
export type RawJsonMismatchError = InstanceType<typeof RawJsonMismatchError>;

// By the name a catalog row gives (`errorClass`), never by code: the catalog says which code gets which class.
const CLASSES: Readonly<Record<BlockClassName, BlockErrorClass<BlockCode>>> = {
  DeviceNotFoundError,
  InvalidSignatureError,
  InvalidPayloadError,
  RawJsonMismatchError,
};

/** The class of the error an init describes: the one its code's catalog row names, else TelemetryServerError. */
export function errorClassOf(init: TelemetryServerErrorInit): BlockErrorClass<BlockCode> | typeof TelemetryServerError {
  const name = init.known ? index.get(init.code)?.errorClass : undefined;
  return name ? CLASSES[name] : TelemetryServerError;
}

/** Builds the error an init describes, as the class its code's catalog row names, the wire's message kept. */
export function createError(init: TelemetryServerErrorInit): TelemetryServerError {
  const Class = errorClassOf(init);
  return new Class(init);
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
