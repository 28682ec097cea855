import { LINEAR_BUDGET_MS } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { deviceNotFoundMessage, invalidPayloadMessage, invalidSignatureMessage, matchTemplate } from "./template.js";

describe("message templates", () => {
  it("builds the page's exact sentences", () => {
    expect(deviceNotFoundMessage("ab12")).toBe("Device not found: ab12");
    expect(invalidSignatureMessage("ab12")).toBe("Invalid signature for device ab12");
    expect(invalidPayloadMessage("bad raw")).toBe("Invalid payload: bad raw");
  });

  it.each([
    ["Device not found: c5785ea2c66a", { code: "DEVICE_NOT_FOUND", deviceId: "c5785ea2c66a" }],
    ["Invalid signature for device c5785ea2c66a", { code: "INVALID_SIGNATURE", deviceId: "c5785ea2c66a" }],
    ["Invalid signature for device c5785e…a2c66a", { code: "INVALID_SIGNATURE", deviceId: "c5785e…a2c66a" }],
    ["Invalid payload: seq is not numeric", { code: "INVALID_PAYLOAD", detail: "seq is not numeric" }],
  ])("matches %j", (text, expected) => {
    expect(matchTemplate(text)).toEqual(expected);
  });

  it.each([
    ["Device not found: ", { code: "DEVICE_NOT_FOUND", deviceId: undefined }],
    ["Device not found:", { code: "DEVICE_NOT_FOUND", deviceId: undefined }],
    ["Device not found", { code: "DEVICE_NOT_FOUND", deviceId: undefined }],
    ["Invalid signature for device", { code: "INVALID_SIGNATURE", deviceId: undefined }],
    ["Invalid signature for device   ", { code: "INVALID_SIGNATURE", deviceId: undefined }],
    ["Invalid payload:", { code: "INVALID_PAYLOAD", detail: "" }],
  ])("hex or detail missing: %j", (text, expected) => {
    expect(matchTemplate(text)).toEqual(expected);
  });

  it.each([
    ["Device not found:   ab12  ", { code: "DEVICE_NOT_FOUND", deviceId: "ab12" }],
    ["  Device  not\tfound:ab12", { code: "DEVICE_NOT_FOUND", deviceId: "ab12" }],
    ["Device not found ab12", { code: "DEVICE_NOT_FOUND", deviceId: "ab12" }],
    ["Invalid  signature for   device \u00a0 ab12\n", { code: "INVALID_SIGNATURE", deviceId: "ab12" }],
    ["Invalid payload:    two  words ", { code: "INVALID_PAYLOAD", detail: "two  words " }],
  ])("extra spaces: %j", (text, expected) => {
    expect(matchTemplate(text)).toEqual(expected);
  });

  it("leaves the device id out when the rest is not one token", () => {
    expect(matchTemplate("Device not found: ab12 cd34")).toEqual({ code: "DEVICE_NOT_FOUND", deviceId: undefined });
  });

  it.each([
    "device not found: ab12",
    "Device not foundab12",
    "Invalid signature for deviceab12",
    "Invalid signatures for device ab12",
    "Error: Device not found: ab12",
  ])("does not match another sentence: %j", (text) => {
    expect(matchTemplate(text)).toBeUndefined();
  });
});

describe("linear time on 1 MB adversarial messages", () => {
  const MB = 1_000_000;
  const cases: [string, string][] = [
    ["long id then a word", `Device not found: ${"a".repeat(MB)} x`],
    ["spaces before the id", `Device not found:${" ".repeat(MB)}x`],
    ["spaces and no id", `Invalid signature for device${" ".repeat(MB)}`],
    ["leading spaces", `${" ".repeat(MB)}Device not found: ab`],
    ["spaces between the words", `Invalid${" ".repeat(MB)}signature for device ab`],
    ["repeated prefixes", "Device not ".repeat(MB / 11)],
    ["repeated near-miss", "Invalid signature for devic".repeat(MB / 27)],
    ["tabs in a detail", `Invalid payload: ${"\t ".repeat(MB / 2)}`],
    ["alternating space and letter", "a ".repeat(MB / 2)],
  ];

  it.each(cases)("%s", (_, text) => {
    expect(text.length).toBeGreaterThanOrEqual(MB - 30);
    const started = performance.now();
    matchTemplate(text);
    expect(performance.now() - started).toBeLessThan(LINEAR_BUDGET_MS);
  });
});
