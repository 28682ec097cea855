import { defineCatalog, indexCatalog } from "@wirefault/core";
import { codeMap } from "@wirefault/core/wire";

// Every retrying policy uses "equal" jitter: each delay lands between half
// and all of the page's nominal value, so clients spread out without ever
// retrying at once. Pass `jitter: "none"` to retry() for the exact figures.

// biome-ignore format: one code per line, as the page's table has it
/** Every documented code of CKG Relay: the page's table plus RELAY_INTERNAL_ERROR, which it describes but leaves out. */
export const catalog = defineCatalog([
  { surface: "relay", code: "AGENT_OFFLINE", name: "AGENT_OFFLINE", status: 503, retryable: "yes", action: "retry", summary: "The agent is not connected to the relay right now.", policy: { baseMs: 2_000, factor: 2, capMs: 8_000, maxAttempts: 4, jitter: "equal" } },
  { surface: "relay", code: "NOT_ALLOWED", name: "NOT_ALLOWED", status: 403, retryable: "no", action: "user-action", summary: "This app is not on the agent's allowlist; an admin must grant access." },
  { surface: "relay", code: "AGENT_NOT_FOUND", name: "AGENT_NOT_FOUND", status: 404, retryable: "no", action: "fix-request", summary: "No agent with this agent_id exists in the organization." },
  { surface: "relay", code: "AGENT_TIMEOUT", name: "AGENT_TIMEOUT", status: 504, retryable: "maybe", action: "retry", summary: "The agent did not answer within the relay's timeout.", policy: { baseMs: 3_000, minDelayMs: 2_000, capMs: 5_000, maxAttempts: 2, jitter: "equal" } },
  { surface: "relay", code: "AGENT_ERROR", name: "AGENT_ERROR", status: 500, retryable: "maybe", action: "retry", summary: "The agent itself returned an error; see the agent's logs.", policy: { baseMs: 1_000, maxAttempts: 2, jitter: "equal" } },
  { surface: "relay", code: "PAYLOAD_TOO_LARGE", name: "PAYLOAD_TOO_LARGE", status: 413, retryable: "no", action: "fix-request", summary: "The event is over 64 KB (65,536 bytes of UTF-8 JSON); trim it." },
  { surface: "relay", code: "RATE_LIMITED", name: "RATE_LIMITED", status: 429, retryable: "yes", action: "throttle", summary: "The app sent more events than its per-minute limit allows.", policy: { baseMs: 1_000, factor: 2, minDelayMs: 10_000, capMs: 60_000, jitter: "equal" } },
  { surface: "relay", code: "INVALID_MESSAGE", name: "INVALID_MESSAGE", status: 400, retryable: "no", action: "fix-request", summary: "The event is malformed or misses a required field." },
  { surface: "relay", code: "RELAY_INTERNAL_ERROR", name: "RELAY_INTERNAL_ERROR", status: 500, retryable: "yes", action: "retry", summary: "The relay itself failed (a bug or an outage); quote event_id to support.", policy: { baseMs: 1_000, factor: 2, capMs: 4_000, maxAttempts: 4, jitter: "equal" } },
] as const);

/** Other spellings seen on the wire: the page's own sample code says AGENT_NOT_ALLOWED for NOT_ALLOWED. */
export const codeAliases = Object.freeze({ AGENT_NOT_ALLOWED: "NOT_ALLOWED" } as const);

/** Code constants by name: `CkgRelayErrorCode.AGENT_OFFLINE === "AGENT_OFFLINE"`. */
export const CkgRelayErrorCode = codeMap(catalog);

/** A code CKG Relay documents; an alias received on the wire is read as the code it stands for. */
export type CkgRelayCode = (typeof catalog)[number]["code"];

/** Lookups with the alias; internal, not exported from index.ts. */
export const index = indexCatalog(catalog, { aliases: codeAliases });

// Later entries win, so a bare 500 is RELAY_INTERNAL_ERROR: AGENT_ERROR
// arrives with a body the relay wrote.
/** The entry a bare HTTP status stands for, for bodies that name no code; internal. */
export const byStatus: ReadonlyMap<number | undefined, (typeof catalog)[number]> = new Map(
  catalog.map((entry) => [entry.status, entry]),
);
