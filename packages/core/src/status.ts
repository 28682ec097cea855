// What a bare HTTP status says, for a body that names no code: one table of
// the statuses with a reading of their own, then one per class (4xx, 5xx),
// the way grpc-js maps HTTP statuses to its codes.
import type { RecoveryAction, Retryable } from "./error.js";

/** How a status alone is classified. */
export interface StatusReading {
  readonly retryable: Retryable;
  readonly action: RecoveryAction;
}

const reading = (retryable: Retryable, action: RecoveryAction): StatusReading => Object.freeze({ retryable, action });

const THROTTLE = /* @__PURE__ */ reading("yes", "throttle");
const TRANSIENT = /* @__PURE__ */ reading("yes", "retry");
const A_PERSON = /* @__PURE__ */ reading("no", "user-action");
const OTHER = /* @__PURE__ */ reading("no", "abort");

/** The statuses that mean more than their class: a throttle, a timeout, the gateway errors, the auth errors. */
const BY_STATUS: Readonly<Record<number, StatusReading>> = {
  401: A_PERSON,
  403: A_PERSON,
  408: TRANSIENT,
  429: THROTTLE,
  502: TRANSIENT,
  503: TRANSIENT,
  504: TRANSIENT,
};

/** Every other status by its class: a client error is the request's fault, a server error may pass. */
const BY_CLASS: Readonly<Record<number, StatusReading>> = {
  4: /* @__PURE__ */ reading("no", "fix-request"),
  5: /* @__PURE__ */ reading("maybe", "retry"),
};

/** An HTTP status, an integer from 100 to 599; anything else is undefined. */
export const httpStatus = (value: unknown): number | undefined =>
  Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599 ? (value as number) : undefined;

/** Classification of a bare HTTP status, for bodies that name no code; anything not 4xx or 5xx is `no`, `abort`. */
export function classifyStatus(status: number | undefined): StatusReading {
  const s = httpStatus(status);
  if (s === undefined) return OTHER;
  return BY_STATUS[s] ?? BY_CLASS[Math.floor(s / 100)] ?? OTHER;
}
