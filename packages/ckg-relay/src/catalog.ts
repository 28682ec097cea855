import { type CatalogEntry, type CatalogRow, defineCatalog } from "@wirefault/core";
import { type CloseCodeEntry, codeMap, withText } from "@wirefault/core/protocol";

/** Cap on an incoming error message; the page documents none for errors, so the shared 1 MiB. */
export const MAX_ERROR_BYTES = 1_048_576;

/** The relay's limit on an event (PAYLOAD_TOO_LARGE): 64 KB, counted as 65,536 bytes of UTF-8 JSON. */
export const MAX_EVENT_BYTES = 65_536;

/** A CKG Relay catalog row: core's fields, plus the text a person sees for it. */
export interface CkgRelayCatalogEntry extends CatalogEntry {
  /** The page's "What the user sees", `{agent}` standing for the agent's name; absent where the page shows users none. */
  readonly userMessage?: string;
  /** The page's in-progress text, shown while `retry()` is still trying; absent where it has none. */
  readonly retryingUserMessage?: string;
}

// Every retrying policy uses "equal" jitter: each delay lands between half
// and all of the page's nominal value, so clients spread out without ever
// retrying at once. Pass `jitter: "none"` to retry() for the exact figures.
// `bareStatus` is on every row but AGENT_ERROR: an agent's error reaches the
// client inside a body the relay wrote, so a bare 500 is the relay's own failure.
// The page keeps PAYLOAD_TOO_LARGE and INVALID_MESSAGE from users (backend
// errors), and has no user text for AGENT_NOT_FOUND and AGENT_ERROR: those are ours.

// biome-ignore format: one code per line, as the page's table has it
/**
 * Every documented code of CKG Relay as parseError reads it: the page's table plus RELAY_INTERNAL_ERROR,
 * which it describes but leaves out. What a person reads of each is in {@link catalog}.
 */
export const codes = defineCatalog([
  { surface: "relay", code: "AGENT_OFFLINE", status: 503, retryable: "yes", action: "retry", bareStatus: true, summary: "The agent is not connected to the relay right now.", policy: { baseMs: 2_000, factor: 2, capMs: 8_000, maxAttempts: 4, jitter: "equal" } },
  { surface: "relay", code: "NOT_ALLOWED", status: 403, retryable: "no", action: "user-action", bareStatus: true, summary: "This app is not on the agent's allowlist; an admin must grant access." },
  { surface: "relay", code: "AGENT_NOT_FOUND", status: 404, retryable: "no", action: "fix-request", bareStatus: true, summary: "No agent with this agent_id exists in the organization." },
  { surface: "relay", code: "AGENT_TIMEOUT", status: 504, retryable: "maybe", action: "retry", bareStatus: true, summary: "The agent did not answer within the relay's timeout.", policy: { baseMs: 3_000, minDelayMs: 2_000, capMs: 5_000, maxAttempts: 2, jitter: "equal" } },
  { surface: "relay", code: "AGENT_ERROR", status: 500, retryable: "maybe", action: "retry", summary: "The agent itself returned an error; see the agent's logs.", policy: { baseMs: 1_000, maxAttempts: 2, jitter: "equal" } },
  { surface: "relay", code: "PAYLOAD_TOO_LARGE", status: 413, retryable: "no", action: "fix-request", bareStatus: true, summary: "The event is over 64 KB (65,536 bytes of UTF-8 JSON); trim it." },
  { surface: "relay", code: "RATE_LIMITED", status: 429, retryable: "yes", action: "throttle", bareStatus: true, summary: "The app sent more events than its per-minute limit allows.", policy: { baseMs: 1_000, factor: 2, minDelayMs: 10_000, capMs: 60_000, jitter: "equal" } },
  { surface: "relay", code: "INVALID_MESSAGE", status: 400, retryable: "no", action: "fix-request", bareStatus: true, summary: "The event is malformed or misses a required field." },
  { surface: "relay", code: "RELAY_INTERNAL_ERROR", status: 500, retryable: "yes", action: "retry", bareStatus: true, summary: "The relay itself failed (a bug or an outage); quote event_id to support.", policy: { baseMs: 1_000, factor: 2, capMs: 4_000, maxAttempts: 4, jitter: "equal" } },
] as const satisfies readonly CatalogRow<CkgRelayCatalogEntry>[]);

/** The page's text for people by code (what the user sees, what to do), apart from what parseError reads. */
// biome-ignore format: one code per line
const TEXTS = {
  AGENT_OFFLINE: { userMessage: "{agent} is currently offline. Please try again in a moment.", retryingUserMessage: "{agent} is offline. Retrying...", advice: "Retry with exponential backoff (2 s, 4 s, 8 s); after 2-3 failures tell the user to try again later, and never retry more than 5 times." },
  NOT_ALLOWED: { userMessage: "You don't have access to this agent. Contact your administrator.", advice: "Do not retry: log a permission error with app_id and agent_id, disable the agent in the UI, and ask the relay admin for allowlist access." },
  AGENT_NOT_FOUND: { userMessage: "{agent} could not be found. Contact your administrator.", advice: "Do not retry: check the agent_id and that the agent is registered in the organization." },
  AGENT_TIMEOUT: { userMessage: "{agent} is taking longer than expected. Please try again.", retryingUserMessage: "{agent} is taking longer than expected. Still trying...", advice: "Retry once after 2-5 s; if it times out again, escalate to the infrastructure team. At most 1-2 retries." },
  AGENT_ERROR: { userMessage: "{agent} ran into a problem. Please try again.", retryingUserMessage: "{agent} ran into a problem. Trying once more...", advice: "Check the agent's logs; one retry may succeed." },
  PAYLOAD_TOO_LARGE: { advice: "Do not resend the same event: trim it under 64 KB (drop history, truncate long text), then send the smaller one." },
  RATE_LIMITED: { userMessage: "Too many messages right now. Please wait a moment and try again.", retryingUserMessage: "Too many messages right now. Your message will be sent shortly...", advice: "Stop sending new events and queue them; resume at a lower rate, waiting at least 10 s and backing off from there." },
  INVALID_MESSAGE: { advice: "Do not retry: log the event, fix its structure, and validate events before sending." },
  RELAY_INTERNAL_ERROR: { userMessage: "Service temporarily unavailable. Please try again shortly.", retryingUserMessage: "Service temporarily unavailable. Retrying...", advice: "Retry with exponential backoff; after 3-5 failed attempts, escalate to support with the event_id." },
} as const satisfies { readonly [C in (typeof codes)[number]["code"]]?: Pick<CkgRelayCatalogEntry, "userMessage" | "retryingUserMessage" | "advice"> };

/** Every documented code of CKG Relay, with the page's text for people: what `protocol`, the CLI and the docs read. */
export const catalog = /* @__PURE__ */ withText(codes, TEXTS);

/** Other spellings seen on the wire: the page's own sample code says AGENT_NOT_ALLOWED for NOT_ALLOWED. */
export const codeAliases = Object.freeze({ AGENT_NOT_ALLOWED: "NOT_ALLOWED" } as const);

/** Code constants by name: `CkgRelayErrorCode.AGENT_OFFLINE === "AGENT_OFFLINE"`. */
export const CkgRelayErrorCode = /* @__PURE__ */ codeMap(codes);

/** A code CKG Relay documents; an alias received on the wire is read as the code it stands for. */
export type CkgRelayCode = (typeof catalog)[number]["code"];

/** What a person sees when no row has a text for the error. */
export const GENERIC_USER_MESSAGE = "Something went wrong. Please try again.";
/** What a person sees while `retry()` is still trying an error no row has a text for: never "try again" while it is. */
export const GENERIC_RETRYING_USER_MESSAGE = "Something went wrong. Retrying...";

/** The texts of one situation: final, and while `retry()` is still trying. */
export interface UserTexts {
  readonly userMessage: string;
  readonly retryingUserMessage?: string;
}

// biome-ignore format: one line per situation
/**
 * Texts for what has no catalog row: the relay's close codes by name, a
 * connection that is gone (any close whose action is `reconnect`), and the
 * caller's own deadline, which is an agent that did not answer in time. Ours:
 * the page shows users none for these.
 */
export const situationTexts = /* @__PURE__ */ Object.freeze({
  BAD_AGENT_TOKEN: { userMessage: "This app could not connect to {agent}: its agent token was refused. Contact your administrator." },
  reconnect: { userMessage: "The connection to {agent} was lost. Please try again.", retryingUserMessage: "The connection to {agent} was lost. Reconnecting..." },
  deadline: { userMessage: "{agent} is taking longer than expected. Please try again." },
} as const satisfies Record<string, UserTexts>);

// biome-ignore format: one line per close
/** The relay's own WebSocket close codes; the standard ones are core's. */
export const closeCodes = /* @__PURE__ */ Object.freeze([
  { code: 4001, name: "BAD_AGENT_TOKEN", retryable: "no", action: "user-action", summary: "The relay rejected the agent token; a person must fix it, as reconnecting with the same token fails again." },
] as const satisfies readonly CloseCodeEntry[]);

type CloseRow = (typeof closeCodes)[number];

/** The relay's own close codes by name: `CkgRelayCloseCode.BAD_AGENT_TOKEN === 4001`. */
export const CkgRelayCloseCode = /* @__PURE__ */ Object.freeze(
  Object.fromEntries(closeCodes.map((row) => [row.name, row.code])),
) as { readonly [R in CloseRow as R["name"]]: R["code"] };
