// The socket binding: a protocol over a raw socket names its network
// failures with codes of its own (Tryll's 1001, 1002, 1003). Which failure an
// error is comes from the one network table (network.ts), so fromSocketError
// agrees with isRetryable and with every other parser.
import type { CatalogEntry } from "./catalog.js";
import type { ErrorInit, Pipeline, SocketBinding, SocketContext } from "./definition.js";
import { isProtocolError, MALFORMED, type Parsed, ProtocolError } from "./error.js";
import { read } from "./field.js";
import { type NetworkFailure, networkFailure } from "./network.js";
import { construct, localInit } from "./parse.js";

/** The protocol's code for each network failure it names, and for everything else (the caller's abort included). */
export interface SocketCodes<C extends string | number = string | number> {
  /** The surface its codes are looked up in. */
  readonly surface: string;
  readonly unreachable: C;
  readonly dropped: C;
  readonly timeout: C;
  /** Anything that is not a network failure: the caller's abort, a TLS or programming error. */
  readonly other: C;
  /** The protocol's own fields, from what the caller knows and what the error said. */
  readonly details?: ((context: unknown, said: string | undefined) => Readonly<Record<string, unknown>>) | undefined;
}

/** A socket failure, in the network table's words; a plain close (Node passes a boolean, a WebSocket a CloseEvent) is a drop. */
export function socketFailure(error: unknown): NetworkFailure | undefined {
  if (error === undefined || error === null || typeof error === "boolean") return "dropped";
  if (typeof error === "object" && read(error, "type") === "close") return "dropped";
  return networkFailure(error);
}

function readSocketError(
  p: Pipeline,
  codes: SocketCodes,
  error: unknown,
  context?: unknown,
): ErrorInit | ProtocolError {
  let message: unknown;
  let failure: NetworkFailure | undefined;
  try {
    // Already the protocol's own error: handed back as it is.
    if (isProtocolError(error) && error.protocol === p.protocol) return error;
    message = typeof error === "object" && error !== null ? read(error, "message") : undefined;
    failure = socketFailure(error);
  } catch {
    // A revoked proxy is simply not a recognisable socket error.
  }
  const text = typeof message === "string" && message !== "" ? message : undefined;
  let code = failure === undefined || failure === "aborted" ? codes.other : codes[failure];
  // While still connecting, any network failure is a failure to connect.
  if (code !== codes.other && read(Object(context), "connected") === false) code = codes.unreachable;
  // The catch-all code has no summary to fall back on: what the client raised is the message.
  const said = code === codes.other ? (text ?? "Client-side failure") : text;
  const c = p.index.classify(code, codes.surface);
  const init: Record<string, unknown> = {
    protocol: p.protocol,
    surface: c.surface,
    code,
    codeName: c.codeName,
    known: c.known,
    retryable: c.retryable,
    action: c.action,
    policy: c.policy,
    message: said ?? c.entry?.summary ?? "",
    raw: error,
    cause: typeof error === "object" && error !== null ? error : undefined,
  };
  const details = codes.details?.(context, said);
  if (details) for (const key of Object.keys(details)) if (!(key in init)) init[key] = details[key];
  return p.refine(init as ErrorInit);
}

/**
 * A protocol over a raw socket: `fromSocketError` maps a socket failure to
 * the protocol's own code for it, by the network table every parser reads.
 */
export function overSocket<S extends SocketContext = SocketContext>(codes: SocketCodes): SocketBinding<S> {
  return Object.freeze({
    fromSocketError: (p: Pipeline, error: unknown, context?: S) => readSocketError(p, codes, error, context),
  });
}

/**
 * The protocol's `fromSocketError`: maps a socket failure to the protocol's
 * code for it. Never throws: a protocol without `overSocket` answers every
 * failure with `WIREFAULT_MALFORMED`.
 */
export function fromSocketErrorOf<Err extends ProtocolError, E extends CatalogEntry, S extends SocketContext>(
  p: Pipeline<Err, E>,
  socket: SocketBinding<S> | undefined,
): (error?: unknown, context?: S) => Parsed<Err, E["code"]> {
  if (!socket) return noSocket(p) as (error?: unknown, context?: S) => Parsed<Err, E["code"]>;
  const read = socket.fromSocketError;
  function fromSocketError(error?: unknown, context?: S): ProtocolError {
    const made = read(p, error, context);
    if (isProtocolError(made)) return made;
    // Built here, so that this frame starts its stack (see parseErrorOf).
    try {
      return new (p.errorClass(made))(made);
    } catch {
      return new ProtocolError(made);
    }
  }
  return fromSocketError as (error?: unknown, context?: S) => Parsed<Err, E["code"]>;
}

/** `fromSocketError` of a protocol without `overSocket`: every failure is MALFORMED. @internal */
export const noSocket =
  (p: Pipeline) =>
  (error?: unknown): ProtocolError =>
    construct(p, localInit(p, MALFORMED, `${p.title} has no socket binding`, error));
