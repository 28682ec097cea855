// wirefault's own codes: what each means, and how it is classified when no
// HTTP status says more. One row each; the parsers, the CLI and the docs read it.
import {
  ABORTED,
  type LocalCode,
  MALFORMED,
  NETWORK,
  type RecoveryAction,
  type Retryable,
  TIMEOUT,
  TOO_LARGE,
} from "./error.js";
import type { NetworkFailure } from "./network.js";

/** One of wirefault's own codes. */
export interface LocalCodeRow {
  readonly code: LocalCode;
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
  /** True when an HTTP status, where there is one, classifies it instead: the body said nothing, the status still does. */
  readonly byStatus: boolean;
  readonly summary: string;
}

/** What each of wirefault's own codes means, and how it is classified when no HTTP status says more. */
export const LOCAL_CODES: readonly LocalCodeRow[] = /* @__PURE__ */ Object.freeze([
  {
    code: MALFORMED,
    byStatus: true,
    retryable: "no",
    action: "abort",
    summary:
      "wirefault could not read the input as an error of the protocol; over HTTP, the status still classifies it.",
  },
  {
    code: TOO_LARGE,
    byStatus: true,
    retryable: "no",
    action: "abort",
    summary:
      "The input was over the protocol's size cap and was refused unread; over HTTP, the status still classifies it.",
  },
  {
    code: NETWORK,
    byStatus: false,
    retryable: "yes",
    action: "retry",
    summary: "The connection failed or dropped before an answer was read; the same request may succeed.",
  },
  {
    code: TIMEOUT,
    byStatus: false,
    retryable: "yes",
    action: "retry",
    summary: "No answer came in time; the same request may succeed, perhaps with a longer deadline.",
  },
  {
    code: ABORTED,
    byStatus: false,
    retryable: "no",
    action: "abort",
    summary: "The caller aborted the request itself (its AbortSignal); it is never retried.",
  },
] as const);

/** The row of a local code. */
export const localRow = (code: LocalCode): LocalCodeRow => LOCAL_CODES.find((row) => row.code === code) as LocalCodeRow;

/** The local code of each network failure: a failure to connect and a drop are both the network's. */
export const FAILURE_CODES: Readonly<Record<NetworkFailure, LocalCode>> = /* @__PURE__ */ Object.freeze({
  unreachable: NETWORK,
  dropped: NETWORK,
  timeout: TIMEOUT,
  aborted: ABORTED,
});
