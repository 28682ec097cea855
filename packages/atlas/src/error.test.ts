import { inspect } from "node:util";
import { isProtocolError, isRetryable, MALFORMED, ProtocolError, retry, TOO_LARGE } from "@wirefault/core";
import { recordingClock, seededRandom } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { AtlasError } from "./error.js";
import { parseError } from "./protocol.js";

describe("AtlasError", () => {
  it("is a branded ProtocolError whose name survives minification", () => {
    const err = parseError({ code: 5001, message: "boom" });
    expect(err.name).toBe("AtlasError");
    expect(Object.hasOwn(err, "name")).toBe(false);
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(isProtocolError(err)).toBe(true);
    expect(String(err)).toBe("AtlasError: boom");
  });

  it("keeps raw out of toJSON() and enumeration", () => {
    const raw = { code: 4001, message: "x", secret: "do not log" };
    const err = parseError(raw);
    expect(err.raw).toBe(raw);
    expect(Object.keys(err)).not.toContain("raw");
    expect(JSON.stringify(err)).not.toContain("do not log");
  });

  it("keeps ids as received with secrets masked, and escapes them where they print (core's rule for details)", () => {
    const err = parseError({ code: 4001, message: "x", ref_msg_id: "m\nBearer abcdef123" });
    expect(err.refMsgId).toBe("m\nBearer [redacted]");
    expect(err.toJSON().refMsgId).toBe("m\\nBearer [redacted]");
    const zone = parseError({ type: "zone.error", request_id: "r\u001b[2J", code: "full" });
    expect(zone.requestId).toBe("r\u001b[2J");
    expect(zone.toJSON().requestId).toBe("r\\x1b[2J");
    // inspect quotes the escaped text, doubling its backslash.
    expect(inspect(zone)).toContain("r\\\\x1b[2J");
    expect(inspect(zone)).not.toContain("\u001b");
  });

  it("can be built directly, always for the atlas protocol", () => {
    const err = new AtlasError({
      code: 4001,
      message: "slow",
      retryable: "yes",
      action: "throttle",
      known: true,
      refMsgId: "m",
    });
    expect(err.protocol).toBe("atlas");
    expect(err.toWire()).toEqual({ code: 4001, message: "slow", ref_msg_id: "m" });
  });

  it("turns local errors into the wire error a node would send back", () => {
    const malformed = parseError({ code: "4001", message: "x" });
    expect(malformed.code).toBe(MALFORMED);
    expect(malformed.toWire()).toEqual({ code: 2003, message: malformed.message });
    const tooLarge = parseError(new Uint8Array(5 * 1024 * 1024));
    expect(tooLarge.code).toBe(TOO_LARGE);
    expect(tooLarge.toWire()).toEqual({ code: 2002, message: tooLarge.message });
  });
});

describe("with core's retry()", () => {
  it("throttles a rate-limited peer on the catalog's policy, then succeeds", async () => {
    const clock = recordingClock();
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw parseError({ code: 4001, message: "rate limit exceeded" });
        return "ok";
      },
      { clock, random: seededRandom(1), jitter: "none" },
    );
    expect(result).toBe("ok");
    expect(clock.delays).toEqual([1_000, 2_000]);
  });

  it("gives a maybe code one retry, and stops at once on a no", async () => {
    const clock = recordingClock();
    let calls = 0;
    const failing = (wire: unknown) => () => {
      calls++;
      return Promise.reject(parseError(wire));
    };
    await expect(retry(failing({ code: 1002, message: "drift" }), { clock })).rejects.toMatchObject({ attempts: 2 });
    expect(calls).toBe(2);
    calls = 0;
    await expect(
      retry(failing({ type: "zone.error", code: "banned", message: "no" }), { clock }),
    ).rejects.toMatchObject({
      code: "banned",
    });
    expect(calls).toBe(1);
    expect(isRetryable(parseError({ type: "zone.error", code: "stale_manifest", message: "old" }))).toBe(true);
    expect(isRetryable(parseError({ code: 1001, message: "v2" }))).toBe(false);
  });
});
