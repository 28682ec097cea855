import { describe, expect, it } from "vitest";
import { closeReason, closeRow, standardCloses } from "./websocket.js";

describe("the standard closes", () => {
  it("reads a close reason from a string or a Buffer, capped at 123 bytes", () => {
    expect(closeReason("Replaced by newer session")).toBe("Replaced by newer session");
    expect(closeReason(Buffer.from("Replaced by newer session"))).toBe("Replaced by newer session");
    expect(closeReason("x".repeat(500))).toHaveLength(123);
    expect(closeReason(undefined)).toBe("");
    expect(closeReason({ toString: () => "nope" })).toBe("");
  });

  it("classifies standard close codes and leaves application codes to the protocol", () => {
    const closes = standardCloses();
    expect(closeRow(closes, 1006, "")).toMatchObject({
      name: "ABNORMAL_CLOSURE",
      retryable: "yes",
      action: "reconnect",
    });
    expect(closeRow(closes, 1008, "")?.action).toBe("user-action");
    expect(closeRow(closes, 4001, "")).toBeUndefined();
  });

  it("reads the last matching row, so a protocol's own row after the standard one wins", () => {
    const own = {
      code: 1012,
      reason: "Replaced",
      name: "REPLACED",
      retryable: "no",
      action: "abort",
      summary: "",
    } as const;
    const closes = [...standardCloses(), own];
    expect(closeRow(closes, 1012, "Replaced")).toBe(own);
    expect(closeRow(closes, 1012, "other")?.name).toBe("SERVICE_RESTART");
  });
});
