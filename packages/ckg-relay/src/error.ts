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
import type { CkgRelayCode } from "./catalog.js";

/** A code an error may carry: documented, local to wirefault, or an unknown value kept as received. */
export type CkgRelayErrorCodeValue = CkgRelayCode | LocalCode | (string & {}) | number;

/** Everything a {@link CkgRelayError} is built from; `protocol` is implied. */
export interface CkgRelayErrorInit extends Omit<ProtocolErrorInit<CkgRelayErrorCodeValue>, "protocol"> {
  /** The relay's `event_id` for the event that failed. */
  eventId?: string | undefined;
}

/** The error message CKG Relay sends over its WebSocket, in the documented shape. */
export interface CkgRelayErrorMessage {
  type: "error";
  code: string | number;
  message: string;
  event_id?: string;
}

/** An error from CKG Relay, or one raised locally before an event was sent. */
export class CkgRelayError extends ProtocolError<CkgRelayErrorCodeValue> {
  static {
    this.prototype.name = "CkgRelayError";
  }

  /** The relay's `event_id`, to quote in a bug report. */
  declare readonly eventId: string | undefined;

  constructor(init: CkgRelayErrorInit) {
    super(init, "ckg-relay");
    // Only set when present, so toJSON() has no empty eventId key.
    // It may echo what the request sent: masked like the message.
    if (init.eventId !== undefined) this.eventId = redactSecrets(init.eventId);
  }

  /**
   * The message as received, key for key (text under `error` stays there), when
   * it was read off the wire; else the documented message, keys in the order
   * `type`, `code`, `message`, `event_id`.
   */
  toWire(): CkgRelayErrorMessage {
    const received = this.code === MALFORMED || this.code === TOO_LARGE ? undefined : echoWire(this.raw);
    if (received) return received as unknown as CkgRelayErrorMessage;
    const wire: CkgRelayErrorMessage = { type: "error", code: this.code, message: this.message };
    if (this.eventId !== undefined) wire.event_id = this.eventId;
    return wire;
  }
}

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedCkgRelayError = Parsed<CkgRelayError, CkgRelayCode>;
