import type { Parsed } from "@wirefault/core";
import {
  type LocalCode,
  MALFORMED,
  type Protocol,
  ProtocolError,
  type ProtocolErrorInit,
  redactSecrets,
  TOO_LARGE,
} from "@wirefault/core";
import type { AtlasCode } from "./catalog.js";
import { type AtlasErrorMessage, errorMessage, type ZoneErrorMessage, zoneErrorMessage } from "./wire.js";

/**
 * The `code` of an AtlasError: a documented code, a local code, or, with
 * `known: false`, whatever number or string the peer sent.
 */
// `& {}` keeps editor completion for the documented literals.
export type AtlasErrorCodeValue = AtlasCode | LocalCode | (number & {}) | (string & {});

/** Everything an AtlasError is built from. */
export interface AtlasErrorInit extends Omit<ProtocolErrorInit<AtlasErrorCodeValue>, "protocol"> {
  /** Always "atlas"; accepted so that core's `localError()` init fits. */
  protocol?: Protocol;
  /** `ref_msg_id` of a wire `ErrorMessage`. */
  refMsgId?: string | undefined;
  /** `request_id` of a `zone.error` message. */
  requestId?: string | undefined;
  /** What the peer said, when `message` is not it: `""` for a peer that sent no message. */
  wireMessage?: string | undefined;
}

/** An Atlas wire (`ErrorMessage`) or zone (`zone.error`) error. */
export class AtlasError extends ProtocolError<AtlasErrorCodeValue> {
  static {
    this.prototype.name = "AtlasError";
  }

  /** The message ID that triggered a wire error, when the peer gave one. */
  declare readonly refMsgId?: string;
  /** The request ID that caused a zone error, when the peer gave one. */
  declare readonly requestId?: string;

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
    // Set only when present, so that toJSON() carries no empty keys.
    // Ids may echo what the request sent: masked like the message.
    if (init.refMsgId !== undefined) (this as { refMsgId?: string }).refMsgId = redactSecrets(init.refMsgId);
    if (init.requestId !== undefined) (this as { requestId?: string }).requestId = redactSecrets(init.requestId);
  }

  /**
   * The documented payload: `{ type: "zone.error", request_id?, code, message }`
   * for a zone error, `{ code, message, ref_msg_id? }` otherwise. A local
   * MALFORMED or TOO_LARGE becomes the wire error a node would answer with:
   * 2003 ERR_MESSAGE_REJECTED or 2002 ERR_PAYLOAD_TOO_LARGE.
   */
  toWire(): AtlasErrorMessage | ZoneErrorMessage {
    const code = this.code;
    // What an Atlas node answers to input it could not read, or refused by size.
    const wire = code === MALFORMED ? 2003 : code === TOO_LARGE ? 2002 : code;
    return typeof wire === "number"
      ? errorMessage(wire, this.wireMessage, this.refMsgId)
      : zoneErrorMessage(wire, this.wireMessage, this.requestId);
  }
}

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedAtlasError = Parsed<AtlasError, AtlasCode>;
