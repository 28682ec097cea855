// The HTTP binding: a protocol that answers over HTTP reads what openai-node
// or the AI SDK threw (in parseError, through overHttp's binding) and a failed
// response (fromResponse, built apart by fromResponseOf). Separate, so that a
// protocol without HTTP bundles none of it, and parseError alone no response reading.

import type { CatalogEntry } from "./catalog.js";
import { readClientError } from "./client.js";
import type { ParseContext } from "./context.js";
import type { ErrorInit, HttpBinding, Pipeline } from "./definition.js";
import { MALFORMED, type Parsed, ProtocolError } from "./error.js";
import { type NetworkFailure, networkFailure } from "./network.js";
import { construct, failed, localInit, nameless, parse, parseSafely, tooLarge } from "./parse.js";
import { type ReadOptions, type ResponseBody, readResponse } from "./response.js";
import { httpStatus } from "./status.js";

/** What each client-library failure without an answer is, in the network table's words. */
const CLIENT_FAILURES = { connection: "unreachable", timeout: "timeout", abort: "aborted" } as const;

/**
 * What openai-node or the AI SDK threw, read as the protocol's error: an
 * answer is parsed with its status and Retry-After; no answer at all is a
 * network failure, a timeout or the caller's abort. Undefined for anything else.
 */
function readThrown(p: Pipeline, input: unknown, context: ParseContext): ErrorInit | undefined {
  const client = readClientError(input);
  if (!client) return undefined;
  if (client.kind !== "http" && client.kind !== "stream") {
    // The lost connection's own cause says more (a refused connection, a reset) when it has one.
    const failure =
      client.kind === "connection" ? (networkFailure(client.error) ?? "unreachable") : CLIENT_FAILURES[client.kind];
    return failed(p, failure, String((client.error as Error).message), client.error);
  }
  const init = parse(p, client.body, {
    status: client.status,
    retryAfterMs: client.retryAfterMs ?? context.retryAfterMs,
    midStream: client.kind === "stream" || context.midStream,
  });
  // The thrown error is the cause, which the class keeps as a masked copy (status, code, request id,
  // cause chain), never live: the client's own object prints its request body, headers and URL.
  init.cause = client.error;
  return init;
}

const LOST: Readonly<Record<NetworkFailure, string>> = {
  unreachable: "was cut off",
  dropped: "was cut off",
  timeout: "timed out",
  aborted: "was aborted",
};

/**
 * The error of a body a network failure, a timeout or the caller's abort kept
 * from being read: the answer was lost, so its local code says what happened
 * whatever the status said, and the status is kept. Undefined when the body
 * was read, or failed for another reason (the status then decides).
 */
export function lostBody(p: Pipeline, body: ResponseBody): ErrorInit | undefined {
  // The caller's signal stopped it: an abort whatever its reason, unless that reason names a
  // failure itself (AbortSignal.timeout()'s TimeoutError is a timeout, as fetch reads it).
  const failure = networkFailure(body.cause) ?? (body.aborted ? "aborted" : undefined);
  if (failure === undefined) return undefined;
  const context = { status: httpStatus(body.status), retryAfterMs: body.retryAfterMs };
  return failed(p, failure, `HTTP ${body.status} response body ${LOST[failure]}`, body.cause, context);
}

/** Reads a failed HTTP response under the cap; of the headers, only `Retry-After`. Never rejects. */
async function fromResponse(p: Pipeline, res: unknown, options?: ReadOptions): Promise<ProtocolError> {
  const body = await readResponse(res as Response, p.maxBytes, undefined, options);
  const init = fromBody(p, body);
  // Built here, after the await: only the event loop's and the caller's async frames are below this one.
  try {
    return new (p.errorClass(init))(init);
  } catch {
    return new ProtocolError(init);
  }
}

/** The init of the error a read body makes. */
function fromBody(p: Pipeline, body: ResponseBody): ErrorInit {
  const context = { status: httpStatus(body.status), retryAfterMs: body.retryAfterMs };
  if (body.tooLarge) return tooLarge(p, undefined, context);
  const lost = lostBody(p, body);
  if (lost) return lost;
  if (body.text === undefined || body.text.trim() === "")
    return nameless(p, MALFORMED, `HTTP ${body.status} without ${p.aTitle} error body`, context, body.text, body.cause);
  return parseSafely(p, body.text, context);
}

/**
 * A protocol answers over HTTP, its bodies read in `surface`: `parseError`
 * reads what openai-node and the AI SDK throw; `fromResponseOf` builds the
 * protocol's `fromResponse`.
 */
export const overHttp = (surface: string): HttpBinding => Object.freeze({ surface, readThrown });

/**
 * The protocol's `fromResponse`: reads a failed HTTP response under the size
 * cap; of the headers, only `Retry-After`. Never rejects: a protocol without
 * `overHttp` answers every response with `WIREFAULT_MALFORMED`.
 */
export function fromResponseOf<Err extends ProtocolError, E extends CatalogEntry>(
  p: Pipeline<Err, E>,
): (res: Response, options?: ReadOptions) => Promise<Parsed<Err, E["code"]>> {
  const read = p.http ? (res: Response, options?: ReadOptions) => fromResponse(p, res, options) : notOverHttp(p);
  return read as (res: Response, options?: ReadOptions) => Promise<Parsed<Err, E["code"]>>;
}

/** `fromResponse` of a protocol without `overHttp`: a misuse gets an answer, not a rejection. @internal */
export const notOverHttp = (p: Pipeline) => async (): Promise<ProtocolError> =>
  construct(p, localInit(p, MALFORMED, `${p.title} does not answer over HTTP`));

/**
 * The protocol's `unreadBody`: the error of a response body a network failure,
 * a timeout or the caller's abort kept from being read. Always undefined
 * without `overHttp`.
 */
export function unreadBodyOf<Err extends ProtocolError>(p: Pipeline<Err>): (body: ResponseBody) => Err | undefined {
  function unreadBody(body: ResponseBody): ProtocolError | undefined {
    const init = p.http ? lostBody(p, body) : undefined;
    if (init === undefined) return undefined;
    // Built here, so that this frame starts its stack (see parseErrorOf).
    try {
      return new (p.errorClass(init))(init);
    } catch {
      return new ProtocolError(init);
    }
  }
  return unreadBody as (body: ResponseBody) => Err | undefined;
}
