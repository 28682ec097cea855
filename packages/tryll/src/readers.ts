// What is peculiar to Tryll's wire: the decoded ErrorResponse table, a failed
// turn, and frames a codec could not read as an error. Everything else (the
// cap, classification, local errors) is core's.

import type { DecodedInput, Reader } from "@wirefault/core/protocol";
import { asBytes, decodeInput, field } from "@wirefault/core/protocol";
import { FAILED_TURN, MAX_FRAME_BYTES } from "./catalog.js";
import { isFrame, PREFIX_BYTES, toUint64 } from "./wire.js";

/** The decoded `TurnComplete` table, kept as `raw` on the error it yields. */
export interface TurnCompleteBody {
  readonly request_id: bigint;
  readonly agent_id: bigint;
  readonly status: number;
  readonly debug_info: string | null;
  readonly tokens_generated: number;
}

/**
 * A `TurnComplete` with status Error, as the frame codec decodes it. A class,
 * so that only a decoded frame is read as a failed turn, never an object a
 * caller passes. @internal
 */
export class FailedTurn implements TurnCompleteBody {
  constructor(
    readonly request_id: bigint,
    readonly agent_id: bigint,
    readonly status: number,
    readonly debug_info: string | null,
    readonly tokens_generated: number,
  ) {}
}

/**
 * A frame a codec could not read as an error, kept as the error's `raw`, with
 * why. `tag` is set for a well-formed message of another kind, which
 * `decodeFrame` reads as traffic, not an error. @internal
 */
export class UnreadFrame {
  constructor(
    readonly frame: Uint8Array,
    readonly problem: string,
    readonly tag?: number,
  ) {}
}

/**
 * Core's decoding (JSON under the cap) for everything but a binary frame,
 * which `frame` decodes: the main entry and the frame subpath differ only in
 * what a frame becomes. @internal
 */
export function decodeWith(frame: (bytes: Uint8Array) => DecodedInput): (input: unknown) => DecodedInput {
  return (input) => {
    const bytes = asBytes(input);
    // A frame over the cap is refused as too large by both entries, before anything reads it as a frame.
    return bytes && bytes.byteLength <= PREFIX_BYTES + MAX_FRAME_BYTES && isFrame(bytes)
      ? frame(bytes)
      : decodeInput(input, MAX_FRAME_BYTES);
  };
}

/** The main entry's codec: a binary frame is not misread as JSON, it is pointed at the frame subpath. @internal */
export const decode = decodeWith((bytes) => {
  const problem = "Binary Tryll frame: import parseError or decodeFrame from @wirefault/tryll/frame to decode it";
  return { kind: "malformed", message: problem, raw: new UnreadFrame(bytes, problem) };
});

const readFailedTurn: Reader = (value) => {
  if (!(value instanceof FailedTurn)) return undefined;
  // Empty debug info says nothing, so the catalog's summary stands in for it.
  const said = value.debug_info || undefined;
  return {
    surface: "response",
    code: FAILED_TURN,
    message: said,
    details: { requestId: value.request_id, agentId: value.agent_id, turnLocal: true, wireMessage: said ?? "" },
  };
};

const isUint32 = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff_ffff;

/** A decoded ErrorResponse, `{code, message, request_id?, agent_id?}`, or with the object API's camelCase ids. */
const readErrorResponse: Reader = (value) => {
  // Own properties only, read once each: inherited or getter-backed keys of a hostile object never count.
  const code = field(value, "code");
  const message = field(value, "message");
  if (!isUint32(code) || !(message === undefined || message === null || typeof message === "string"))
    return "Not a Tryll ErrorResponse: code must be a uint32 and message a string";
  return {
    surface: "response",
    code,
    // Only an absent message is explained; an empty one is kept, verbatim like any other.
    message: message ?? undefined,
    details: {
      requestId: toUint64(field(value, "request_id") ?? field(value, "requestId")),
      agentId: toUint64(field(value, "agent_id") ?? field(value, "agentId")),
      // What the peer said stays apart: the official decoder reads an absent message as "".
      wireMessage: message ?? "",
    },
  };
};

/** Tryll's readers, in the order they are tried; the main entry and the frame subpath share them. */
export const readers: readonly Reader[] = [readFailedTurn, readErrorResponse];
