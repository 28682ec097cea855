// The WebSocket binding: a protocol whose closes mean something reads them
// with fromClose, the standard codes (RFC 6455 and the IANA registry) first,
// then the protocol's own rows.
import type { CatalogEntry, RetryPolicy } from "./catalog.js";
import { asBytes, utf8Text } from "./decode.js";
import type { CloseCodeEntry, CloseLike, ErrorInit, Pipeline, WebSocketBinding } from "./definition.js";
import { type LocalCode, MALFORMED, type Parsed, ProtocolError, type RecoveryAction, type Retryable } from "./error.js";
import { construct, localInit } from "./parse.js";

/** How a standard WebSocket close code (RFC 6455 and IANA registry) should be handled. */
export interface CloseClassification {
  readonly name: string;
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
}

/** The standard WebSocket close codes core knows: a `fromClose` error's documented codes. */
export type StandardCloseCode =
  | 1000
  | 1001
  | 1002
  | 1003
  | 1005
  | 1006
  | 1007
  | 1008
  | 1009
  | 1010
  | 1011
  | 1012
  | 1013
  | 1014
  | 1015;

const CLOSE: Record<StandardCloseCode, readonly [string, Retryable, RecoveryAction]> = {
  1000: ["NORMAL_CLOSURE", "maybe", "reconnect"],
  1001: ["GOING_AWAY", "yes", "reconnect"],
  1002: ["PROTOCOL_ERROR", "no", "abort"],
  1003: ["UNSUPPORTED_DATA", "no", "abort"],
  1005: ["NO_STATUS_RECEIVED", "yes", "reconnect"],
  1006: ["ABNORMAL_CLOSURE", "yes", "reconnect"],
  1007: ["INVALID_PAYLOAD", "no", "abort"],
  1008: ["POLICY_VIOLATION", "no", "user-action"],
  1009: ["MESSAGE_TOO_BIG", "no", "fix-request"],
  1010: ["MANDATORY_EXTENSION", "no", "abort"],
  1011: ["INTERNAL_ERROR", "yes", "reconnect"],
  1012: ["SERVICE_RESTART", "yes", "reconnect"],
  1013: ["TRY_AGAIN_LATER", "yes", "throttle"],
  1014: ["BAD_GATEWAY", "yes", "reconnect"],
  1015: ["TLS_HANDSHAKE", "no", "abort"],
};

/** The standard close codes as rows, from the one table above. */
export function standardCloses(): readonly (CloseCodeEntry & { readonly code: StandardCloseCode })[] {
  return Object.entries(CLOSE).map(([code, [name, retryable, action]]) => ({
    code: Number(code) as StandardCloseCode,
    name,
    retryable,
    action,
    summary: name,
  }));
}

/** A WebSocket close reason as text, at most the protocol's 123 bytes: `ws` hands over a Buffer, browsers a string; anything else is "". */
export function closeReason(reason: unknown): string {
  if (typeof reason === "string") return reason.slice(0, 123);
  const bytes = asBytes(reason);
  return bytes ? utf8Text(bytes.subarray(0, 123)) : "";
}

/** The row a close reads as: the last of `closes` with its code whose reason, if it has one, is the one given. */
export function closeRow(closes: readonly CloseCodeEntry[], code: number, reason: string): CloseCodeEntry | undefined {
  // The protocol's own rows come after the standard ones, so a later row (a reason-specific one included) wins.
  let row: CloseCodeEntry | undefined;
  for (const r of closes) if (r.code === code && (r.reason === undefined || r.reason === reason)) row = r;
  return row;
}

function readClose(
  p: Pipeline,
  closes: readonly CloseCodeEntry[],
  reconnect: RetryPolicy | undefined,
  event: unknown,
  reason?: unknown,
): ErrorInit {
  try {
    const isEvent = typeof event === "object" && event !== null;
    const code = isEvent ? (event as CloseLike).code : event;
    if (typeof code !== "number" || !Number.isInteger(code) || code < 1000 || code > 4999)
      return localInit(p, MALFORMED, "Not a WebSocket close code", event);
    const text = closeReason(reason ?? (isEvent ? (event as CloseLike).reason : undefined));
    const row = closeRow(closes, code, text);
    return p.refine({
      protocol: p.protocol,
      surface: "close",
      code,
      codeName: row?.name,
      message: text || `WebSocket closed with code ${code}${row ? ` (${row.name})` : ""}`,
      retryable: row?.retryable ?? "no",
      action: row?.action ?? "abort",
      known: row !== undefined,
      policy: row?.action === "reconnect" ? reconnect : undefined,
      raw: isEvent ? event : { code, reason },
    });
  } catch (cause) {
    return localInit(p, MALFORMED, "Could not read the WebSocket close", event, cause);
  }
}

/**
 * A protocol runs over WebSockets: `fromClose` reads the standard close codes
 * (RFC 6455 and the IANA registry), then `closeCodes`, the protocol's own.
 */
export function overWebSocket<const K extends CloseCodeEntry = never>(
  options: { readonly closeCodes?: readonly K[]; readonly reconnect?: RetryPolicy } = {},
): WebSocketBinding<K> {
  const closeCodes = options.closeCodes ?? [];
  const closes = Object.freeze([...standardCloses(), ...closeCodes]);
  const reconnect = options.reconnect;
  return Object.freeze({
    closeCodes,
    reconnect,
    closes,
    fromClose: (p: Pipeline, event: unknown, reason?: unknown) => readClose(p, closes, reconnect, event, reason),
  });
}

/**
 * What `fromClose` returns: the protocol's error with the close code as its
 * `code`, narrowed by `known` like {@link Parsed}, so a `switch` over the
 * documented close codes is exhaustive-checked.
 */
export type ParsedClose<Err extends ProtocolError, C extends number> = Parsed<
  ProtocolError<number | LocalCode> & Omit<Err, keyof ProtocolError>,
  C
>;

/**
 * The protocol's `fromClose`: classifies a WebSocket close, a `CloseEvent` or
 * a code and reason. Never throws: a protocol without `overWebSocket` answers
 * every close with `WIREFAULT_MALFORMED`.
 */
export function fromCloseOf<Err extends ProtocolError, E extends CatalogEntry, K extends CloseCodeEntry = never>(
  p: Pipeline<Err, E>,
  websocket: WebSocketBinding<K> | undefined,
): (event: unknown, reason?: unknown) => ParsedClose<Err, StandardCloseCode | K["code"]> {
  if (!websocket)
    return ((event: unknown) => closeless(p, event)) as (
      event: unknown,
      reason?: unknown,
    ) => ParsedClose<Err, StandardCloseCode | K["code"]>;
  const read = websocket.fromClose;
  function fromClose(event: unknown, reason?: unknown): ProtocolError {
    const init = read(p, event, reason);
    // Built here, so that this frame starts its stack (see parseErrorOf).
    try {
      return new (p.errorClass(init))(init);
    } catch {
      return new ProtocolError(init);
    }
  }
  return fromClose as (event: unknown, reason?: unknown) => ParsedClose<Err, StandardCloseCode | K["code"]>;
}

/**
 * `fromClose` of a protocol without `overWebSocket`. A close code is checked
 * before the missing binding, as fromClose does: a bad code is never a close. @internal
 */
export function closeless(p: Pipeline, event: unknown): ProtocolError {
  let code: unknown = event;
  try {
    if (typeof event === "object" && event !== null) code = (event as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  return construct(
    p,
    typeof code === "number" && Number.isInteger(code) && code >= 1000 && code <= 4999
      ? localInit(p, MALFORMED, `${p.title} has no WebSocket closes`, event)
      : localInit(p, MALFORMED, "Not a WebSocket close code", event),
  );
}
