// wirefault's own codes: what each means, and how it is classified when no
// HTTP status says more. The parsers read the verdicts; the CLI and the docs, LOCAL_CODES, summaries included.
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

// How each local code is classified: all the parsers read, so that a parser's bundle holds no summary.
const VERDICTS = /* @__PURE__ */ Object.freeze([
  { code: MALFORMED, byStatus: true, retryable: "no", action: "abort" },
  { code: TOO_LARGE, byStatus: true, retryable: "no", action: "abort" },
  { code: NETWORK, byStatus: false, retryable: "yes", action: "retry" },
  { code: TIMEOUT, byStatus: false, retryable: "yes", action: "retry" },
  { code: ABORTED, byStatus: false, retryable: "no", action: "abort" },
] as const satisfies readonly Omit<LocalCodeRow, "summary">[]);

// What each means, for people (the CLI, the docs): read through LOCAL_CODES only. Keys spelled out: a computed
// key keeps the object in a bundle that never reads it.
const SUMMARIES: Readonly<Record<LocalCode, string>> = {
  WIREFAULT_MALFORMED:
    "wirefault could not read the input as an error of the protocol; over HTTP, the status still classifies it.",
  WIREFAULT_TOO_LARGE:
    "The input was over the protocol's size cap and was refused unread; over HTTP, the status still classifies it.",
  WIREFAULT_NETWORK: "The connection failed or dropped before an answer was read; the same request may succeed.",
  WIREFAULT_TIMEOUT: "No answer came in time; the same request may succeed, perhaps with a longer deadline.",
  WIREFAULT_ABORTED: "The caller aborted the request itself (its AbortSignal); it is never retried.",
};

/** What each of wirefault's own codes means, and how it is classified when no HTTP status says more. */
export const LOCAL_CODES: readonly LocalCodeRow[] = /* @__PURE__ */ (() =>
  Object.freeze(VERDICTS.map((row) => ({ ...row, summary: SUMMARIES[row.code] }))))();

/** How a local code is classified: its row, without the summary. */
export const localRow = (code: LocalCode): Omit<LocalCodeRow, "summary"> =>
  VERDICTS.find((row) => row.code === code) as Omit<LocalCodeRow, "summary">;

/** The local code of each network failure: a failure to connect and a drop are both the network's. */
export const FAILURE_CODES: Readonly<Record<NetworkFailure, LocalCode>> = /* @__PURE__ */ Object.freeze({
  unreachable: NETWORK,
  dropped: NETWORK,
  timeout: TIMEOUT,
  aborted: ABORTED,
});
