import type { LocalCode, Parsed, ProtocolErrorInit } from "@wirefault/core";
import { ProtocolError, redactSecrets } from "@wirefault/core/protocol";
import { type CLIENT_FAILURE, errorLayer, type TryllCode, type TryllLayer } from "./catalog.js";
import { type TryllErrorResponse, toWire } from "./wire.js";

/** What `err.code` can hold: a documented code, a local code, or any other uint32 received. */
// `number & {}` keeps the literal codes in editor completion while still admitting unknown ones.
export type TryllErrorCodeValue = TryllCode | typeof CLIENT_FAILURE | LocalCode | (number & {});

/** The fields a Tryll error carries besides core's. */
export interface TryllErrorDetails {
  /** The request the error answers; a uint64, hence a bigint. */
  requestId?: bigint | undefined;
  /** The agent concerned; 0n for session-level errors. */
  agentId?: bigint | undefined;
  /** The layer that raised the code; derived from the code when absent. */
  layer?: TryllLayer | undefined;
  /** True for a `TurnComplete` with status Error: only that turn failed. */
  turnLocal?: boolean | undefined;
  /** What the peer said, when `message` is not it: `""` for a peer that sent no message. */
  wireMessage?: string | undefined;
}

/** Everything a TryllError is built from. */
export interface TryllErrorInit extends Omit<ProtocolErrorInit<TryllErrorCodeValue>, "protocol">, TryllErrorDetails {
  protocol?: "tryll";
}

/** A Tryll error: an ErrorResponse, a failed turn, or a client-side failure, with what to do about it. */
export class TryllError extends ProtocolError<TryllErrorCodeValue> {
  static {
    this.prototype.name = "TryllError";
  }

  /** The fields core copies from an init, when set. */
  static readonly details: readonly string[] = ["requestId", "agentId"];

  declare readonly protocol: "tryll";
  /** The request this error answers; a uint64, hence a bigint. */
  declare readonly requestId?: bigint;
  /** The agent concerned; 0n for session-level errors. */
  declare readonly agentId?: bigint;
  /** The layer that raised the code (from the catalog, else the code's range; `protocol` for local codes). */
  readonly layer: TryllLayer | undefined;
  /** True when the error came from a `TurnComplete` with status Error: only that turn failed. */
  readonly turnLocal: boolean;

  #wireMessage: string;

  /**
   * The message as the wire carries it: the peer's own text, `""` when it
   * sent none, as the official decoder reads it (`message` then holds the
   * catalog's explanation). An error built by hand says its `message`.
   * `toWire()` sends this.
   */
  get wireMessage(): string {
    return this.#wireMessage;
  }

  constructor(init: TryllErrorInit) {
    super(init, "tryll");
    const said = init.wireMessage;
    // A message display text left as it was holds no secret: masked once, not twice (a tenth of a parse).
    this.#wireMessage =
      said === undefined ? this.message : said === init.message && said === this.message ? said : redactSecrets(said);
    // Core builds its local errors generically; the layer follows from the code, so they sit in `protocol` too.
    this.layer = init.layer ?? errorLayer(this.code);
    this.turnLocal = init.turnLocal === true;
  }

  /** The decoded ErrorResponse this error stands for; ids only when known. */
  toWire(): TryllErrorResponse {
    return toWire(this);
  }
}

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedTryllError = Parsed<TryllError, TryllCode>;
