import { isProtocolError } from "@wirefault/core";

/** Options of {@link userMessage}. */
export interface UserMessageOptions {
  /** The agent's display name, e.g. "Athena"; "The agent" when absent. */
  agentName?: string;
  /** True while `retry()` is still trying: gives the page's in-progress text where it has one. */
  retrying?: boolean;
}

/** What a person sees when nothing more specific applies. */
export const GENERIC_USER_MESSAGE = "Something went wrong. Please try again.";

/**
 * The text to show a person for an error, with the agent's name filled in.
 * Texts are the page's "What the user sees"; codes the page keeps from users
 * (backend errors) and anything unknown get a generic text. Never throws.
 */
export function userMessage(error: unknown, options: UserMessageOptions = {}): string {
  try {
    const name =
      typeof options.agentName === "string" && options.agentName.trim() ? options.agentName.trim() : "The agent";
    // codeName, not code: the AGENT_NOT_ALLOWED alias reads as NOT_ALLOWED.
    const code = isProtocolError(error) && error.protocol === "ckg-relay" ? error.codeName : undefined;
    switch (code) {
      case "AGENT_OFFLINE":
        return options.retrying
          ? `${name} is offline. Retrying...`
          : `${name} is currently offline. Please try again in a moment.`;
      case "NOT_ALLOWED":
        return "You don't have access to this agent. Contact your administrator.";
      case "AGENT_NOT_FOUND":
        return `${name} could not be found. Contact your administrator.`;
      case "AGENT_TIMEOUT":
        return `${name} is taking longer than expected. Please try again.`;
      case "AGENT_ERROR":
        return `${name} ran into a problem. Please try again.`;
      case "RATE_LIMITED":
        return "Too many messages right now. Please wait a moment and try again.";
      case "RELAY_INTERNAL_ERROR":
        return "Service temporarily unavailable. Please try again shortly.";
      default:
        return GENERIC_USER_MESSAGE;
    }
  } catch {
    return GENERIC_USER_MESSAGE;
  }
}
