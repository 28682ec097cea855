import { MALFORMED, type Parsed } from "@wirefault/core";
import {
  type CloseClassification,
  classifyClose,
  closeReason,
  localError,
  type StandardCloseCode,
} from "@wirefault/core/wire";
import { CkgRelayError } from "./error.js";

/** The relay's own WebSocket close codes. */
export const CkgRelayCloseCode = Object.freeze({ BAD_AGENT_TOKEN: 4001 } as const);

const BAD_AGENT_TOKEN: CloseClassification = Object.freeze({
  name: "BAD_AGENT_TOKEN",
  retryable: "no",
  action: "user-action",
});

/**
 * How a WebSocket close code should be handled: 4001 (bad agent token) needs a
 * person to fix the token; standard codes follow RFC 6455. Undefined for codes
 * nobody documents.
 */
export function classifyCloseCode(code: number): CloseClassification | undefined {
  return code === CkgRelayCloseCode.BAD_AGENT_TOKEN ? BAD_AGENT_TOKEN : classifyClose(code);
}

/**
 * A WebSocket close as a {@link CkgRelayError} (`surface: "close"`, the close
 * code as `code`), so that `retry()` can decide whether to reconnect.
 * `reason` may be a string or bytes (the `ws` package hands a Buffer). Never throws.
 */
export function fromClose(
  code: unknown,
  reason?: unknown,
): Parsed<CkgRelayError, StandardCloseCode | typeof CkgRelayCloseCode.BAD_AGENT_TOKEN>;
export function fromClose(code: unknown, reason?: unknown): CkgRelayError {
  try {
    if (typeof code !== "number" || !Number.isInteger(code))
      return new CkgRelayError(localError("ckg-relay", MALFORMED, "WebSocket close without a numeric code", code));
    const verdict = classifyCloseCode(code);
    const text = closeReason(reason);
    return new CkgRelayError({
      surface: "close",
      code,
      codeName: verdict?.name,
      message: text || `WebSocket closed: ${verdict?.name ?? "unknown close code"} (${code})`,
      retryable: verdict?.retryable ?? "no",
      action: verdict?.action ?? "abort",
      known: verdict !== undefined,
      raw: { code, reason },
    });
  } catch (cause) {
    return new CkgRelayError(localError("ckg-relay", MALFORMED, "unreadable WebSocket close", code, cause));
  }
}
