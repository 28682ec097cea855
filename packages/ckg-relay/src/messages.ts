import { isProtocolError } from "@wirefault/core";
import {
  type CkgRelayCatalogEntry,
  catalog,
  GENERIC_RETRYING_USER_MESSAGE,
  GENERIC_USER_MESSAGE,
  situationTexts,
  type UserTexts,
} from "./catalog.js";

/** Options of {@link userMessage}. */
export interface UserMessageOptions {
  /** The agent's display name, e.g. "Athena"; "The agent" when absent. */
  agentName?: string;
  /** True while `retry()` is still trying: gives the page's in-progress text where it has one. */
  retrying?: boolean;
}

const rows: readonly CkgRelayCatalogEntry[] = catalog;

/** The texts for an error: its row, else its close code's or its action's situation, else the deadline's. */
function textsFor(error: unknown): UserTexts | undefined {
  if (isProtocolError(error)) {
    if (error.protocol !== "ckg-relay") return undefined;
    // codeName, not code: the AGENT_NOT_ALLOWED alias reads as NOT_ALLOWED.
    const name = error.codeName;
    const row = rows.find((entry) => entry.name === name);
    if (row?.userMessage !== undefined) return row as UserTexts;
    if (error.surface !== "close") return undefined;
    if (name === "BAD_AGENT_TOKEN") return situationTexts.BAD_AGENT_TOKEN;
    return error.action === "reconnect" ? situationTexts.reconnect : undefined;
  }
  // The caller's deadline (AbortSignal.timeout) ran out before the agent answered.
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === "TimeoutError" ? situationTexts.deadline : undefined;
}

/**
 * The text to show a person for an error, with the agent's name filled in:
 * the catalog row's `userMessage` (the page's "What the user sees"), or its
 * `retryingUserMessage` while retrying. A close gets its own text (4001, a
 * lost connection), and the caller's deadline (a `TimeoutError`) says the
 * agent is taking long. Anything else gets {@link GENERIC_USER_MESSAGE}, or
 * {@link GENERIC_RETRYING_USER_MESSAGE} while retrying, which never asks the
 * user to try again while `retry()` still is. Never throws.
 */
export function userMessage(error: unknown, options: UserMessageOptions = {}): string {
  try {
    const texts = textsFor(error);
    const template = (options.retrying && texts?.retryingUserMessage) || texts?.userMessage;
    if (template === undefined) return options.retrying ? GENERIC_RETRYING_USER_MESSAGE : GENERIC_USER_MESSAGE;
    const agent =
      typeof options.agentName === "string" && options.agentName.trim() ? options.agentName.trim() : "The agent";
    // A function replacement, so that a `$&` in the name is text, not a pattern.
    return template.replace("{agent}", () => agent);
  } catch {
    return GENERIC_USER_MESSAGE;
  }
}
