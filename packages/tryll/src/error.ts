import type { Parsed } from "@wirefault/core";
import { type LocalCode, ProtocolError, type ProtocolErrorInit, redactSecrets } from "@wirefault/core";
import type { TryllCode, TryllLayer } from "./catalog.js";

/** Code 0: reserved for failures the client raised itself; a server never sends it. */
export const CLIENT_FAILURE = 0;

/** What `err.code` can hold: a documented code, a local code, or any other uint32 received. */
// `number & {}` keeps the literal codes in editor completion while still admitting unknown ones.
export type TryllErrorCodeValue = TryllCode | typeof CLIENT_FAILURE | LocalCode | (number & {});

/** Everything a TryllError is built from. */
export interface TryllErrorInit extends Omit<ProtocolErrorInit<TryllErrorCodeValue>, "protocol"> {
  protocol?: "tryll";
  requestId?: bigint | undefined;
  agentId?: bigint | undefined;
  layer?: TryllLayer | undefined;
  turnLocal?: boolean | undefined;
  /** What the peer said, when `message` is not it: `""` for a peer that sent no message. */
  wireMessage?: string | undefined;
}

/** The decoded `ErrorResponse` table: what `toWire()` returns and `parseError` accepts. */
export interface TryllErrorResponse {
  readonly code: number | string;
  readonly message: string;
  readonly request_id?: bigint;
  readonly agent_id?: bigint;
}

/** A Tryll error: an ErrorResponse, a failed turn, or a client-side failure, with what to do about it. */
export class TryllError extends ProtocolError<TryllErrorCodeValue> {
  static {
    this.prototype.name = "TryllError";
  }

  declare readonly protocol: "tryll";
  /** The layer that raised the code (from the catalog, else the code's range). */
  readonly layer: TryllLayer | undefined;
  /** The request this error answers; a uint64, hence a bigint. */
  readonly requestId: bigint | undefined;
  /** The agent concerned; 0n for session-level errors. */
  readonly agentId: bigint | undefined;
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
    // The base class copies a fixed list of fields, so the Tryll ones riding
    // along in init do not leak into it.
    super(init, "tryll");
    this.#wireMessage = init.wireMessage === undefined ? this.message : redactSecrets(init.wireMessage);
    this.layer = init.layer;
    this.requestId = init.requestId;
    this.agentId = init.agentId;
    this.turnLocal = init.turnLocal === true;
  }

  /** The decoded ErrorResponse this error stands for; ids only when known. */
  toWire(): TryllErrorResponse {
    const wire: { -readonly [K in keyof TryllErrorResponse]: TryllErrorResponse[K] } = {
      code: this.code,
      message: this.wireMessage,
    };
    if (this.requestId !== undefined) wire.request_id = this.requestId;
    if (this.agentId !== undefined) wire.agent_id = this.agentId;
    return wire;
  }
}

/**
 * What this package's parsers return: narrowing on `known` makes `code` the
 * documented literal union, so `if (err.known) switch (err.code)` is exhaustive.
 */
export type ParsedTryllError = Parsed<TryllError, TryllCode>;
