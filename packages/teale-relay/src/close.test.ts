import { isRetryable, MALFORMED, retry } from "@wirefault/core";
import { recordingClock } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { REPLACED_BY_NEWER_SESSION, TealeRelayCloseEvent } from "./catalog.js";
import { TealeRelayError } from "./error.js";
import { fromClose } from "./protocol.js";

// A CloseEvent keeps code and reason as prototype getters, not own properties.
class FakeCloseEvent {
  readonly #code: number;
  readonly #reason: string;
  constructor(code: number, reason: string) {
    this.#code = code;
    this.#reason = reason;
  }
  get code() {
    return this.#code;
  }
  get reason() {
    return this.#reason;
  }
}

describe("fromClose", () => {
  it("1012 `Replaced by newer session`: the session moved; do not reconnect", () => {
    const error = fromClose(1012, "Replaced by newer session");
    expect(error).toBeInstanceOf(TealeRelayError);
    expect(error.toJSON()).toEqual({
      name: "TealeRelayError",
      message: "Replaced by newer session",
      protocol: "teale-relay",
      surface: "close",
      code: 1012,
      codeName: "SESSION_REPLACED",
      status: undefined,
      retryable: "no",
      action: "abort",
      retryAfterMs: undefined,
      known: true,
      cause: undefined,
    });
    expect(isRetryable(error)).toBe(false);
    expect(REPLACED_BY_NEWER_SESSION).toBe("Replaced by newer session");
  });

  it.each([
    [1000, "NORMAL_CLOSURE", "maybe", "reconnect"],
    [1001, "GOING_AWAY", "yes", "reconnect"],
    [1006, "ABNORMAL_CLOSURE", "yes", "reconnect"],
    [1011, "INTERNAL_ERROR", "yes", "reconnect"],
    [1012, "SERVICE_RESTART", "yes", "reconnect"],
    [1002, "PROTOCOL_ERROR", "no", "abort"],
    [1008, "POLICY_VIOLATION", "no", "user-action"],
  ])("%i is %s: %s, %s", (code, codeName, retryable, action) => {
    const error = fromClose(code, "");
    expect(error).toMatchObject({ code, codeName, retryable, action, known: true, surface: "close" });
    expect(error.message).toBe(`WebSocket closed with code ${code} (${codeName})`);
    expect(error.policy).toEqual(action === "reconnect" ? { baseMs: 1000, capMs: 60_000 } : undefined);
  });

  it("reads a CloseEvent, whose fields are prototype getters", () => {
    expect(fromClose(new FakeCloseEvent(1012, "Replaced by newer session"))).toMatchObject({
      code: 1012,
      action: "abort",
    });
    expect(fromClose({ code: 1006, reason: "" })).toMatchObject({ code: 1006, action: "reconnect" });
    expect(fromClose({ code: 1012 }, "Replaced by newer session").action).toBe("abort");
  });

  it("1012 with any other reason is a plain service restart", () => {
    expect(fromClose(1012, "restarting").action).toBe("reconnect");
    expect(fromClose(1012, "replaced by newer session").action).toBe("reconnect");
  });

  it("keeps the reason as the message, capped at the protocol's 123 bytes", () => {
    expect(fromClose(1011, "relay crashed").message).toBe("relay crashed");
    expect(fromClose(1011, "r".repeat(10_000)).message).toHaveLength(123);
  });

  it("an application code the relay does not document is unknown: no, abort", () => {
    expect(fromClose(4001, "bad token")).toMatchObject({
      code: 4001,
      codeName: undefined,
      known: false,
      retryable: "no",
      action: "abort",
      message: "bad token",
    });
    expect(fromClose(4999).message).toBe("WebSocket closed with code 4999");
  });

  it("anything that is not a close code is MALFORMED, never a throw", () => {
    const hostile = {
      get code(): number {
        throw new Error("getter");
      },
    };
    for (const value of [Number.NaN, 1.5, -1, 5000, "1006", null, undefined, {}, hostile]) {
      const error = fromClose(value as never);
      expect(error).toBeInstanceOf(TealeRelayError);
      expect(error).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort" });
    }
    expect(fromClose(hostile as never).cause).toBeInstanceOf(Error);
  });

  it("1006 reconnects with backoff from 1 s up to 60 s", async () => {
    const clock = recordingClock();
    const error = await retry(
      () => {
        throw fromClose(1006);
      },
      { clock, jitter: "none", maxAttempts: 10 },
    ).catch((e) => e);
    expect(error.attempts).toBe(10);
    expect(clock.delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it("a replaced session is never retried", async () => {
    const clock = recordingClock();
    const error = await retry(
      () => {
        throw fromClose(1012, "Replaced by newer session");
      },
      { clock },
    ).catch((e) => e);
    expect(error.attempts).toBe(1);
    expect(clock.delays).toEqual([]);
  });
});

describe("TealeRelayCloseEvent", () => {
  it("is what fromClose reads: each event classifies under its own name, the bare code does not", () => {
    for (const [name, { code, reason }] of Object.entries(TealeRelayCloseEvent)) {
      expect(fromClose(code, reason)).toMatchObject({ code, codeName: name, known: true });
      expect(fromClose(code).codeName).not.toBe(name);
    }
    expect(TealeRelayCloseEvent.SESSION_REPLACED).toEqual({ code: 1012, reason: REPLACED_BY_NEWER_SESSION });
  });
});
