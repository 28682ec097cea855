import { isProtocolError, ProtocolError } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { NoiseError, PtnError, TealeRelayError } from "./error.js";

describe("PtnError", () => {
  it("recoveryTooEarly(daysRemaining) keeps the days as a field", () => {
    const error = PtnError.recoveryTooEarly(12);
    expect(error.toJSON()).toEqual({
      name: "PtnError",
      message: "PTN recovery is not allowed yet: 12 day(s) remaining",
      protocol: "teale-relay",
      surface: "ptn",
      code: "recoveryTooEarly",
      codeName: "recoveryTooEarly",
      status: undefined,
      retryable: "no",
      action: "wait",
      retryAfterMs: undefined,
      known: true,
      daysRemaining: 12,
      cause: undefined,
    });
  });

  it("is a TealeRelayError and a ProtocolError, across the brand and instanceof", () => {
    const error = new PtnError("inviteExpired");
    expect(error).toBeInstanceOf(PtnError);
    expect(error).toBeInstanceOf(TealeRelayError);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(NoiseError);
    expect(isProtocolError(error)).toBe(true);
    expect(error.name).toBe("PtnError");
    expect(Object.keys(error)).not.toContain("name");
  });

  it("defaults the message to the catalog summary; takes a message and a cause", () => {
    expect(new PtnError("joinRejected").message).toBe("The inviter rejected the join request.");
    const cause = new Error("timeout after 30 s");
    const error = new PtnError("joinRequestTimeout", { message: "Inviter n7 did not answer", cause });
    expect(error).toMatchObject({ message: "Inviter n7 did not answer", retryable: "maybe", action: "retry" });
    // A cause is kept as a masked copy, never the live object (issue 26).
    expect(error.cause).not.toBe(cause);
    expect(error.cause).toMatchObject({ name: (cause as Error).name, message: (cause as Error).message });
    expect(error.policy).toEqual({ baseMs: 30_000 });
    expect("daysRemaining" in error).toBe(false);
  });
});

describe("NoiseError", () => {
  it("handshakeFailed(detail) keeps the detail as a field", () => {
    const error = NoiseError.handshakeFailed("invalid ephemeral key");
    expect(error).toMatchObject({
      name: "NoiseError",
      code: "handshakeFailed",
      message: "Noise handshake failed: invalid ephemeral key",
      detail: "invalid ephemeral key",
      surface: "noise",
      retryable: "maybe",
      action: "reconnect",
      known: true,
    });
    expect(error.toJSON().detail).toBe("invalid ephemeral key");
  });

  it("sessionExpired means a new handshake; replayDetected is never retried", () => {
    expect(new NoiseError("sessionExpired")).toMatchObject({ retryable: "yes", action: "reconnect" });
    expect(new NoiseError("replayDetected")).toMatchObject({ retryable: "no", action: "abort" });
  });

  it("masks secrets in a detail like any message", () => {
    expect(NoiseError.handshakeFailed("key sk-abc123 rejected").message).toBe(
      "Noise handshake failed: key sk-[redacted] rejected",
    );
  });
});

describe("TealeRelayError", () => {
  it("only carries the details it was given", () => {
    const error = new TealeRelayError({
      protocol: "teale-relay",
      code: "x",
      message: "m",
      retryable: "no",
      action: "abort",
      known: false,
      peerNodeId: "n1",
      requestId: undefined,
    });
    expect(Object.keys(error)).toContain("peerNodeId");
    expect(Object.keys(error)).not.toContain("requestId");
    expect(error.name).toBe("TealeRelayError");
  });
});
