import type { LocalCode, Parsed, Protocol, ProtocolErrorInit } from "@wirefault/core";
import { ProtocolError, redactSecrets } from "@wirefault/core/protocol";
import type { AtlasCode } from "./catalog.js";
import { type AtlasErrorMessage, toWire, type ZoneErrorMessage } from "./wire.js";

/**
 * The `code` of an AtlasError: a documented code, a local code, or, with
 * `known: false`, whatever number or string the peer sent.
 */
// `& {}` keeps editor completion for the documented literals.
export type AtlasErrorCodeValue = AtlasCode | LocalCode | (number & {}) | (string & {});

/** The fields an Atlas error may carry besides core's, each present only when the wire or the raiser gave it. */
export interface AtlasErrorDetails {
  /** `ref_msg_id` of a wire `ErrorMessage`. */
  refMsgId?: string | undefined;
  /** `request_id` of a `zone.error` message. */
  requestId?: string | undefined;
  /** What the peer said, when `message` is not it: `""` for a peer that sent no message. */
  wireMessage?: string | undefined;
}

/** Everything an AtlasError is built from. */
export interface AtlasErrorInit extends Omit<ProtocolErrorInit<AtlasErrorCodeValue>, "protocol">, AtlasErrorDetails {
  /** Always "atlas"; accepted so that core's init fits. */
  protocol?: Protocol;
}

/** An Atlas wire (`ErrorMessage`) or zone (`zone.error`) error. */
export class AtlasError extends ProtocolError<AtlasErrorCodeValue> {
  static {
    this.prototype.name = "AtlasError";
  }

  /** The fields core copies from an init, masked, when set. */
  static readonly details: readonly string[] = ["refMsgId", "requestId"] satisfies (keyof AtlasErrorDetails)[];

  /** The message ID that triggered a wire error, when the peer gave one. */
  declare readonly refMsgId?: string;
  /** The request ID that caused a zone error, when the peer gave one. */
  declare readonly requestId?: string;

  // Private, not a detail: what the peer said stays out of toJSON(), where `message` already is.
  #wireMessage: string;

  /**
   * The message as the wire carries it: the peer's own text, `""` when it
   * sent none (`message` then holds the catalog's explanation). An error
   * built by hand says its `message`. `toWire()` sends this.
   */
  get wireMessage(): string {
    return this.#wireMessage;
  }

  constructor(init: AtlasErrorInit) {
    super(init, "atlas");
    this.#wireMessage = init.wireMessage === undefined ? this.message : redactSecrets(init.wireMessage);
  }

  /**
   * The documented payload: `{ type: "zone.error", request_id?, code, message }`
   * for a zone error, `{ code, message, ref_msg_id? }` otherwise. A local
   * MALFORMED or TOO_LARGE becomes the wire error a node would answer with:
   * 2003 ERR_MESSAGE_REJECTED or 2002 ERR_PAYLOAD_TOO_LARGE.
   */
  toWire(): AtlasErrorMessage | ZoneErrorMessage {
    return toWire(this);
  }
}

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedAtlasError = Parsed<AtlasError, AtlasCode>;
