import type { Parsed } from "@wirefault/core";
import { type LocalCode, ProtocolError, type ProtocolErrorInit } from "@wirefault/core";
import { catalog, type NoiseCode, type PtnCode, type TealeRelayCode } from "./catalog.js";
import { type TealeWire, toWire } from "./wire.js";

/** The fields a Teale error may carry besides core's, each present only when the wire or the raiser gave it. */
export interface TealeRelayErrorDetails {
  /** The peer named by `peer_not_found` (`Peer <nodeID> is not connected`); absent when the relay said `undefined`. */
  peerNodeId?: string | undefined;
  /** The `retryAfterSeconds` of a relay frame, exactly as sent (also in `retryAfterMs`). */
  retryAfterSeconds?: number | undefined;
  /** The `requestID` of a relayed `inferenceError`. */
  requestId?: string | undefined;
  /** Days left before a PTN recovery is allowed (`recoveryTooEarly`). */
  daysRemaining?: number | undefined;
  /** What went wrong in a Noise handshake (`handshakeFailed`). */
  detail?: string | undefined;
  /** `insufficient_credits`: the account's balance, as the gateway sent it. */
  balance?: number | undefined;
  /** `insufficient_credits`: what the request needed, as the gateway sent it. */
  required?: number | undefined;
}

/** Everything a TealeRelayError is built from. */
export type TealeRelayErrorInit<C extends string | number> = Omit<ProtocolErrorInit<C>, "protocol"> & {
  protocol?: "teale-relay";
} & TealeRelayErrorDetails;

const DETAILS = [
  "peerNodeId",
  "retryAfterSeconds",
  "requestId",
  "daysRemaining",
  "detail",
  "balance",
  "required",
] as const satisfies readonly (keyof TealeRelayErrorDetails)[];

/** A Teale error: a relay frame, a local API body, a relayed inference error, a close event, or a PTN/Noise failure. */
export class TealeRelayError<
  C extends string | number = TealeRelayCode | LocalCode | (string & {}),
> extends ProtocolError<C> {
  static {
    this.prototype.name = "TealeRelayError";
  }

  /** The fields core copies from an init, masked, when set. */
  static readonly details: readonly string[] = DETAILS;

  /** The peer named by `peer_not_found`; absent when the relay said `undefined`. */
  declare readonly peerNodeId?: string;
  /** A relay frame's `retryAfterSeconds`, exactly as sent. */
  declare readonly retryAfterSeconds?: number;
  /** The `requestID` of a relayed `inferenceError`. */
  declare readonly requestId?: string;
  /** Days left before a PTN recovery is allowed. */
  declare readonly daysRemaining?: number;
  /** The detail of a failed Noise handshake. */
  declare readonly detail?: string;
  /** `insufficient_credits`: the account's balance. */
  declare readonly balance?: number;
  /** `insufficient_credits`: what the request needed. */
  declare readonly required?: number;

  constructor(init: TealeRelayErrorInit<C>) {
    super(init, "teale-relay");
    // An id is a value to match on, kept as sent: it is escaped where it is printed (the message, toJSON's text).
    if (typeof init.peerNodeId === "string") (this as { peerNodeId?: string }).peerNodeId = init.peerNodeId;
  }

  /**
   * The exact wire payload: `{"error":{code,message,retryAfterSeconds?}}` for a relay frame,
   * `{"error":{message,type,code}}` for the local API, `{"inferenceError":{...}}` for a relayed
   * inference error; undefined for PTN, Noise, close events and input wirefault could not read.
   */
  toWire(): TealeWire | undefined {
    return toWire(this);
  }
}

/** Options of the PTN and Noise constructors. */
export interface LocalErrorOptions {
  /** Replaces the default message (the catalog summary). */
  message?: string;
  cause?: unknown;
}

function raised<C extends PtnCode | NoiseCode>(
  code: C,
  surface: "ptn" | "noise",
  options: LocalErrorOptions & TealeRelayErrorDetails,
): TealeRelayErrorInit<C> {
  const entry = catalog.index.get(code, surface);
  return {
    protocol: "teale-relay",
    surface,
    code,
    codeName: entry?.name,
    known: entry !== undefined,
    retryable: entry?.retryable ?? "no",
    action: entry?.action ?? "abort",
    policy: entry && "policy" in entry ? entry.policy : undefined,
    message: options.message ?? entry?.summary ?? code,
    cause: options.cause,
    daysRemaining: options.daysRemaining,
    detail: options.detail,
  };
}

/** A Private TealeNet failure, raised locally by a node: `new PtnError("inviteExpired")`. */
export class PtnError extends TealeRelayError<PtnCode> {
  static {
    this.prototype.name = "PtnError";
  }

  constructor(code: PtnCode, options: LocalErrorOptions & { daysRemaining?: number } = {}) {
    super(raised(code, "ptn", options));
  }

  /** Recovery asked for before the waiting period ended. */
  static recoveryTooEarly(daysRemaining: number, options: LocalErrorOptions = {}): PtnError {
    return new PtnError("recoveryTooEarly", {
      message: `PTN recovery is not allowed yet: ${daysRemaining} day(s) remaining`,
      ...options,
      daysRemaining,
    });
  }
}

/** A Noise session failure, raised locally by a node: `new NoiseError("replayDetected")`. */
export class NoiseError extends TealeRelayError<NoiseCode> {
  static {
    this.prototype.name = "NoiseError";
  }

  constructor(code: NoiseCode, options: LocalErrorOptions & { detail?: string } = {}) {
    super(raised(code, "noise", options));
  }

  /** A handshake that could not complete, with the implementation's own detail text. */
  static handshakeFailed(detail: string, options: LocalErrorOptions = {}): NoiseError {
    return new NoiseError("handshakeFailed", { message: `Noise handshake failed: ${detail}`, ...options, detail });
  }
}

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedTealeRelayError = Parsed<TealeRelayError, TealeRelayCode>;
