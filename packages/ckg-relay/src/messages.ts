import { isProtocolError } from "@wirefault/core";
import { type CkgRelayCatalogEntry, catalog, GENERIC_USER_MESSAGE } from "./catalog.js";

/** Options of {@link userMessage}. */
export interface UserMessageOptions {
  /** The agent's display name, e.g. "Athena"; "The agent" when absent. */
  agentName?: string;
  /** True while `retry()` is still trying: gives the page's in-progress text where it has one. */
  retrying?: boolean;
}

const rows: readonly CkgRelayCatalogEntry[] = catalog;

/**
 * The text to show a person for an error, with the agent's name filled in:
 * the catalog row's `userMessage` (the page's "What the user sees"), or its
 * `retryingUserMessage` while retrying. Rows without one (backend errors)
 * and anything unknown get {@link GENERIC_USER_MESSAGE}. Never throws.
 */
export function userMessage(error: unknown, options: UserMessageOptions = {}): string {
  try {
    // codeName, not code: the AGENT_NOT_ALLOWED alias reads as NOT_ALLOWED.
    const name = isProtocolError(error) && error.protocol === "ckg-relay" ? error.codeName : undefined;
    const row = name === undefined ? undefined : rows.find((entry) => entry.name === name);
    const template = (options.retrying && row?.retryingUserMessage) || row?.userMessage;
    if (template === undefined) return GENERIC_USER_MESSAGE;
    const agent =
      typeof options.agentName === "string" && options.agentName.trim() ? options.agentName.trim() : "The agent";
    // A function replacement, so that a `$&` in the name is text, not a pattern.
    return template.replace("{agent}", () => agent);
  } catch {
    return GENERIC_USER_MESSAGE;
  }
}
