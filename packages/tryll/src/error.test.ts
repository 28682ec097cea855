import { isProtocolError, MALFORMED, ProtocolError, TOO_LARGE } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { TryllError } from "./error.js";
import { protocol } from "./protocol.js";

const init = { code: 3004, message: "busy", known: true, retryable: "maybe", action: "wait" } as const;

describe("TryllError", () => {
  it("takes its layer from its code when none is given, and keeps one that is", () => {
    expect(new TryllError(init).layer).toBe("agent");
    expect(new TryllError({ ...init, code: 6005 }).layer).toBe("download");
    expect(new TryllError({ ...init, code: 9000 }).layer).toBeUndefined();
    expect(new TryllError({ ...init, layer: "session" }).layer).toBe("session");
  });

  it("puts wirefault's local errors, built by core, in the protocol layer", () => {
    for (const code of [MALFORMED, TOO_LARGE] as const)
      expect(protocol.localError(code, "x")).toMatchObject({ code, layer: "protocol", known: false, action: "abort" });
  });

  it("copies only the details set, so toJSON() shows what the error carries", () => {
    const err = new TryllError({ ...init, requestId: 5n });
    expect(Object.keys(err)).toContain("requestId");
    expect(Object.keys(err)).not.toContain("agentId");
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ requestId: "5", layer: "agent", turnLocal: false });
  });

  it("sends what the peer said, secrets masked, and says its message when built by hand", () => {
    expect(new TryllError(init).toWire()).toEqual({ code: 3004, message: "busy" });
    const said = new TryllError({ ...init, message: "explained", wireMessage: "token=abc123" });
    expect(said.toWire().message).toBe("token=[redacted]");
  });

  it("is branded: instanceof holds for its own errors, never for another protocol's", () => {
    const err = new TryllError(init);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(isProtocolError(err)).toBe(true);
    const other = new ProtocolError({ ...init, protocol: "atlas" });
    expect(other instanceof TryllError).toBe(false);
  });
});
