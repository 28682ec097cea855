import { ProtocolError } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { type CkgRelayCatalogEntry, catalog, GENERIC_RETRYING_USER_MESSAGE, GENERIC_USER_MESSAGE } from "./catalog.js";
import { userMessage } from "./messages.js";
import { fromClose, parseError } from "./protocol.js";

const error = (code: string) => parseError({ type: "error", code });

describe("userMessage", () => {
  it.each([
    ["AGENT_OFFLINE", "Athena is currently offline. Please try again in a moment."],
    ["NOT_ALLOWED", "You don't have access to this agent. Contact your administrator."],
    ["AGENT_NOT_ALLOWED", "You don't have access to this agent. Contact your administrator."],
    ["AGENT_NOT_FOUND", "Athena could not be found. Contact your administrator."],
    ["AGENT_TIMEOUT", "Athena is taking longer than expected. Please try again."],
    ["AGENT_ERROR", "Athena ran into a problem. Please try again."],
    ["PAYLOAD_TOO_LARGE", GENERIC_USER_MESSAGE],
    ["RATE_LIMITED", "Too many messages right now. Please wait a moment and try again."],
    ["INVALID_MESSAGE", GENERIC_USER_MESSAGE],
    ["RELAY_INTERNAL_ERROR", "Service temporarily unavailable. Please try again shortly."],
  ])("%s: %s", (code, text) => {
    expect(userMessage(error(code), { agentName: "Athena" })).toBe(text);
  });

  it("gives the page's in-progress text while retrying AGENT_OFFLINE", () => {
    expect(userMessage(error("AGENT_OFFLINE"), { agentName: "Athena", retrying: true })).toBe(
      "Athena is offline. Retrying...",
    );
  });

  // What retry() retries must never tell the user to try again themselves while it still is.
  it.each([
    ["AGENT_TIMEOUT", "Athena is taking longer than expected. Still trying..."],
    ["AGENT_ERROR", "Athena ran into a problem. Trying once more..."],
    ["RATE_LIMITED", "Too many messages right now. Your message will be sent shortly..."],
    ["RELAY_INTERNAL_ERROR", "Service temporarily unavailable. Retrying..."],
  ])("while retrying %s: %s", (code, text) => {
    expect(userMessage(error(code), { agentName: "Athena", retrying: true })).toBe(text);
  });

  it("never says 'try again' while retrying anything retry() may retry", () => {
    const retried = [
      ...catalog.filter((row) => row.retryable !== "no").map((row) => error(row.code)),
      fromClose(1006),
      fromClose(1011),
      new Error("socket hang up"),
    ];
    for (const value of retried) expect(userMessage(value, { retrying: true })).not.toMatch(/try again/i);
    expect(userMessage(new Error("x"), { retrying: true })).toBe(GENERIC_RETRYING_USER_MESSAGE);
  });

  it("has its own texts for 4001, a lost connection and the caller's deadline", () => {
    expect(userMessage(fromClose(4001), { agentName: "Athena" })).toBe(
      "This app could not connect to Athena: its agent token was refused. Contact your administrator.",
    );
    expect(userMessage(fromClose(1006), { agentName: "Athena" })).toBe(
      "The connection to Athena was lost. Please try again.",
    );
    expect(userMessage(fromClose(1006), { agentName: "Athena", retrying: true })).toBe(
      "The connection to Athena was lost. Reconnecting...",
    );
    const deadline = AbortSignal.abort(new DOMException("The operation timed out.", "TimeoutError")).reason;
    expect(userMessage(deadline, { agentName: "Athena" })).toBe(
      "Athena is taking longer than expected. Please try again.",
    );
  });

  it("says 'The agent' without a name", () => {
    expect(userMessage(error("AGENT_OFFLINE"))).toBe("The agent is currently offline. Please try again in a moment.");
    expect(userMessage(error("AGENT_TIMEOUT"), { agentName: "  " })).toBe(
      "The agent is taking longer than expected. Please try again.",
    );
    expect(userMessage(error("AGENT_ERROR"), { agentName: " Athena " })).toBe(
      "Athena ran into a problem. Please try again.",
    );
  });

  it("uses a generic text for unknown codes and anything else", () => {
    const other = new ProtocolError({
      protocol: "teale-relay",
      code: "AGENT_OFFLINE",
      codeName: "AGENT_OFFLINE",
      message: "x",
      retryable: "yes",
      action: "retry",
      known: true,
    });
    for (const value of [
      error("AGENT_SLEEPING"),
      parseError("garbage"),
      fromClose(1008),
      new Error("x"),
      null,
      "AGENT_OFFLINE",
      other,
    ])
      expect(userMessage(value, { agentName: "Athena" })).toBe(GENERIC_USER_MESSAGE);
  });
});

describe("userMessage reads the catalog rows", () => {
  const rows: readonly CkgRelayCatalogEntry[] = catalog;

  it("fills each row's template with the name, and gives the generic text to rows without one", () => {
    for (const row of rows) {
      const text = userMessage(error(String(row.code)), { agentName: "Athena" });
      expect(text).toBe(row.userMessage?.replace("{agent}", "Athena") ?? GENERIC_USER_MESSAGE);
      expect(text).not.toContain("{agent}");
    }
    expect(rows.filter((row) => row.retryingUserMessage).map((row) => row.code)).toEqual(
      rows.filter((row) => row.retryable !== "no").map((row) => row.code),
    );
  });

  it("takes the name as text, never as a replacement pattern", () => {
    expect(userMessage(error("AGENT_ERROR"), { agentName: "$&$1" })).toBe("$&$1 ran into a problem. Please try again.");
  });
});
