import type { LocalCode, Parsed, ProtocolErrorInit } from "@wirefault/core";
import { ProtocolError } from "@wirefault/core";
import type { CkgRelayCode } from "./catalog.js";
import { type CkgRelayErrorMessage, toWire } from "./wire.js";

/** A code an error may carry: documented, local to wirefault, or an unknown value kept as received. */
export type CkgRelayErrorCodeValue = CkgRelayCode | LocalCode | (string & {}) | number;

/** Everything a {@link CkgRelayError} is built from; `protocol` is implied. */
export interface CkgRelayErrorInit extends Omit<ProtocolErrorInit<CkgRelayErrorCodeValue>, "protocol"> {
  /** The relay's `event_id` for the event that failed. */
  eventId?: string | undefined;
}

/** An error from CKG Relay, or one raised locally before an event was sent. */
export class CkgRelayError extends ProtocolError<CkgRelayErrorCodeValue> {
  static {
    this.prototype.name = "CkgRelayError";
  }

  /** The fields core copies from an init, masked, when set. */
  static readonly details: readonly string[] = ["eventId"] satisfies readonly (keyof CkgRelayErrorInit)[];

  /** The relay's `event_id`, to quote in a bug report. */
  declare readonly eventId: string | undefined;

  constructor(init: CkgRelayErrorInit) {
    super(init, "ckg-relay");
  }

  /**
   * The message as received, key for key (text under `error` stays there), when
   * it was read off the wire; else the documented message, keys in the order
   * `type`, `code`, `message`, `event_id`.
   */
  toWire(): CkgRelayErrorMessage {
    return toWire(this);
  }
}

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedCkgRelayError = Parsed<CkgRelayError, CkgRelayCode>;
