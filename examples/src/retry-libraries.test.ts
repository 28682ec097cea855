// The retry libraries users already hold, with wirefault deciding what may be repeated: each is run
// against the telemetry peer, whose 404 "Device not found" is a reset and 500 internal_error a retry.
import { createTelemetryDevice, startTelemetryPeer } from "@wirefault/testkit";
import { describe, expect, it } from "vitest";
import { safeToRepeat } from "./device-lookup.js";
import { lookupWithCockatiel } from "./retry-cockatiel.js";
import { lookupWithPRetry } from "./retry-p-retry.js";
import { lookupWithRecover } from "./retry-recover.js";

const pace = { policy: { baseMs: 5, capMs: 20 } };

describe.each([
  ["cockatiel (handleWhen + wirefault's per-code backoff)", lookupWithCockatiel],
  ["p-retry (shouldRetry)", lookupWithPRetry],
  ["wirefault's retry() with recover.reset", lookupWithRecover],
] as const)("%s", (_, lookup) => {
  it("repeats a 500 internal_error, then answers", async () => {
    const peer = await startTelemetryPeer();
    try {
      const device = createTelemetryDevice();
      await lookup(peer.url, device.deviceId, device.registration, pace); // registers on the way
      peer.resetCounters();
      peer.plan({ kind: "error", code: "internal_error" }, { kind: "error", code: "internal_error" });
      await expect(lookup(peer.url, device.deviceId, device.registration, pace)).resolves.toMatchObject({
        device: { id: device.deviceId },
      });
      expect(peer.requests).toBe(3);
    } finally {
      await peer.close();
    }
  });

  it("never repeats a reset blindly: registers the device once, then the lookup succeeds", async () => {
    const peer = await startTelemetryPeer();
    try {
      const device = createTelemetryDevice();
      await expect(lookup(peer.url, device.deviceId, device.registration, pace)).resolves.toMatchObject({
        device: { id: device.deviceId },
      });
      // One 404, one registration, one lookup that succeeds: nothing sent again before the reset.
      expect([peer.requests, peer.registrations]).toEqual([3, 1]);
    } finally {
      await peer.close();
    }
  });
});

describe("safeToRepeat", () => {
  it("is isRetryable without the actions only retry() performs (resets, event-waits)", async () => {
    const { ProtocolError } = await import("@wirefault/core");
    const error = (action: "retry" | "reset" | "wait", policy?: object) =>
      new ProtocolError({
        protocol: "x",
        code: "c",
        message: "m",
        retryable: "yes",
        action,
        known: true,
        ...(policy && { policy }),
      });
    expect([error("retry"), error("reset"), error("wait"), error("wait", { baseMs: 5000 })].map(safeToRepeat)).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });
});
