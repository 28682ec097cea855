// Every example, run against a loopback peer: each fails when its integration breaks.
import { readFileSync } from "node:fs";
import { TealeRelayError } from "@wirefault/teale-relay";
import { parseError as parseTelemetry } from "@wirefault/telemetry-server";
import {
  createTelemetryDevice,
  startAtlasPeer,
  startCkgRelayPeer,
  startTealeApiPeer,
  startTealeRelayPeer,
  startTelemetryPeer,
  startTryllPeer,
} from "@wirefault/testkit";
import { describe, expect, it } from "vitest";
import { send as sendAtlas } from "./atlas-msgpack.js";
import { sendEvent } from "./ckg-ws.js";
import { chat as aiSdkChat } from "./teale-ai-sdk.js";
import { chat as openaiChat } from "./teale-openai.js";
import { send } from "./teale-ws.js";
import { telemetryServer } from "./telemetry-fastify.js";
import { upload } from "./telemetry-fetch.js";
import { request, requestWithReconnect } from "./tryll-net.js";

const MODEL = "mlx-community/Qwen3-8B-4bit";

describe.each([
  ["openai", openaiChat],
  ["the AI SDK", aiSdkChat],
] as const)("%s against Teale's local API", (_, chat) => {
  it("retries a 500 with retry(), then answers", async () => {
    const peer = await startTealeApiPeer({ apiKey: "sk-right" });
    try {
      peer.plan({ kind: "error", code: "internal_error" });
      expect(await chat(`${peer.url}/v1`, "sk-right", MODEL)).toBe("ok");
      expect(peer.requests).toBe(2);
    } finally {
      await peer.close();
    }
  });

  it("a wrong key is unauthorized, with the server's message, not retried", async () => {
    const peer = await startTealeApiPeer({ apiKey: "sk-right" });
    try {
      const error = await chat(`${peer.url}/v1`, "sk-wrong", MODEL).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TealeRelayError);
      expect(error).toMatchObject({ code: "unauthorized", status: 401, message: "Invalid API key" });
      expect(peer.requests).toBe(1);
    } finally {
      await peer.close();
    }
  });
});

describe("ws against the Teale relay", () => {
  it("an offer to an unknown peer is peer_not_found, read from Buffer[] fragments", async () => {
    const peer = await startTealeRelayPeer();
    try {
      const error = await send(peer.url, { offer: { toNodeID: "ghost", sdp: "v=0" } });
      expect(error).toMatchObject({ code: "peer_not_found", peerNodeId: "ghost", action: "reset" });
    } finally {
      await peer.close();
    }
  });
});

describe("ws against CKG Relay", () => {
  it("a reply is traffic; an offline agent is a typed error with a user message", async () => {
    const peer = await startCkgRelayPeer();
    try {
      const event = { event_id: "evt-1", agent_id: "a", thread_id: "t", payload: {} };
      expect((await sendEvent(peer.wsUrl, event)).reply).toMatchObject({ type: "reply", event_id: "evt-1" });
      peer.plan({ kind: "error", code: "AGENT_OFFLINE" });
      const { error, text } = await sendEvent(peer.wsUrl, event);
      expect(error).toMatchObject({ code: "AGENT_OFFLINE", eventId: "evt-1", retryable: "yes" });
      expect(text).toMatch(/offline/i);
    } finally {
      await peer.close();
    }
  });
});

describe("fetch against telemetry, and a Fastify server built with batchResponse", () => {
  it("an unknown device is registered, then its blocks are accepted", async () => {
    const peer = await startTelemetryPeer();
    try {
      const device = createTelemetryDevice();
      const blocks = [device.block(1), device.block(2)];
      const result = await upload(peer.url, blocks, device.registration);
      expect(result).toMatchObject({ status: 200, accepted: 2, errors: [] });
      expect(peer.registrations).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it("Fastify answers 207 for the reference server's own classes and its own 500 shape for a crash", async () => {
    const app = telemetryServer(new Set(["ab12"]));
    try {
      const answer = (blocks: unknown[]) => app.inject({ method: "POST", url: "/v1/telemetry", payload: { blocks } });
      const partial = await answer([
        { deviceId: "ab12", seq: 1 },
        { deviceId: "cd34", seq: 2 },
      ]);
      expect(partial.statusCode).toBe(207);
      expect(partial.body).toBe('{"accepted":1,"errors":[{"seq":"2","error":"Device not found: cd34"}]}');
      const crash = await answer([{ seq: 3 }]);
      expect(crash.statusCode).toBe(500);
      expect(crash.body).toBe('{"statusCode":500,"error":"Internal Server Error","message":"Internal Server Error"}');
      expect(parseTelemetry(crash.body, { status: 500 })).toMatchObject({
        code: "Internal Server Error",
        retryable: "yes",
      });
    } finally {
      await app.close();
    }
  });

  it("registers with registerDeviceSchema: a refused body gets the reference server's 400, byte for byte", async () => {
    const app = telemetryServer(new Set());
    try {
      const register = (payload: unknown) =>
        app.inject({ method: "POST", url: "/v1/devices", payload: payload as object });
      const empty = await register({});
      expect(empty.statusCode).toBe(400);
      // FIELD-NOTES.md: the reference server's answer to {}, captured live.
      expect(empty.body).toBe(
        '{"error":"validation_error","details":[{"code":"invalid_type","expected":"string","received":"undefined","path":["id"],"message":"Required"},{"code":"invalid_type","expected":"string","received":"undefined","path":["mac"],"message":"Required"},{"code":"invalid_type","expected":"string","received":"undefined","path":["ownerPubkey"],"message":"Required"},{"code":"invalid_type","expected":"string","received":"undefined","path":["name"],"message":"Required"}]}',
      );
      expect(parseTelemetry(empty.body, { status: 400 })).toMatchObject({
        code: "validation_error",
        action: "fix-request",
      });
      const device = { id: "ab".repeat(32), mac: "a1b2c3d4e5f6", ownerPubkey: "cd".repeat(32), name: "Pond" };
      expect((await register(device)).statusCode).toBe(201);
      expect((await register(device)).body).toBe('{"error":"device_already_exists"}');
    } finally {
      await app.close();
    }
  });
});

describe("node:net with the Tryll frame reader", () => {
  // A request's Message table (no body), 12 bytes as flatbuffers' Builder writes it: a frame must hold a message.
  const body = Uint8Array.of(8, 0, 0, 0, 4, 0, 4, 0, 4, 0, 0, 0);

  it("a successful turn, an ErrorResponse, a desync and a drop: each a result, never a crash", async () => {
    const peer = await startTryllPeer();
    try {
      expect(await request(peer.port, body)).toBeUndefined();
      peer.plan({ kind: "error", code: 3004 });
      expect(await request(peer.port, body)).toMatchObject({ code: 3004, known: true });
      peer.plan({ kind: "oversized" });
      expect(await request(peer.port, body)).toMatchObject({ code: "WIREFAULT_TOO_LARGE" });
      peer.plan({ kind: "drop" });
      expect(await request(peer.port, body)).toMatchObject({ action: "reconnect" });
    } finally {
      await peer.close();
    }
  });

  it("reconnects after a desync and a drop, then gets the answer", async () => {
    const peer = await startTryllPeer();
    try {
      peer.plan({ kind: "oversized" }, { kind: "drop" });
      expect(await requestWithReconnect(peer.port, body)).toBeUndefined();
      expect(peer.connections).toBe(3);
    } finally {
      await peer.close();
    }
  });

  it("a refused connection is ConnectionFailed", async () => {
    const peer = await startTryllPeer();
    await peer.close();
    expect(await request(peer.port, body)).toMatchObject({ code: 1001, action: "reconnect" });
  });
});

describe("@msgpack/msgpack with Atlas", () => {
  it("an ack is traffic; an ErrorMessage frame is a typed error with its ref_msg_id", async () => {
    const peer = await startAtlasPeer();
    try {
      expect((await sendAtlas(peer.url, { msg_id: "m1" })).answer).toMatchObject({ type: "ack", ref_msg_id: "m1" });
      peer.plan({ kind: "error", code: 4001 });
      const { error } = await sendAtlas(peer.url, { msg_id: "m2" });
      expect(error).toMatchObject({ code: 4001, known: true, refMsgId: "m2" });
      peer.plan({ kind: "garbage" });
      expect((await sendAtlas(peer.url, { msg_id: "m3" })).error?.code).toBe("WIREFAULT_MALFORMED");
    } finally {
      await peer.close();
    }
  });
});

// Each package README shows its examples' code verbatim.
describe.each([
  ["teale-relay", ["teale-openai.ts", "teale-ai-sdk.ts", "teale-ws.ts"]],
  ["ckg-relay", ["ckg-ws.ts"]],
  ["telemetry-server", ["telemetry-fetch.ts", "telemetry-fastify.ts"]],
  ["tryll", ["tryll-net.ts"]],
  ["atlas", ["atlas-msgpack.ts"]],
] as const)("the %s README", (pkg, files) => {
  const readme = readFileSync(new URL(`../../packages/${pkg}/README.md`, import.meta.url), "utf8");
  it.each(files)("shows examples/src/%s as it is", (file) => {
    const code = readFileSync(new URL(`./${file}`, import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`ts\n// examples/src/${file}\n${code}\`\`\``);
  });
});
