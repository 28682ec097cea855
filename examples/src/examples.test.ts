// Every example, run against a loopback peer: each fails when its integration breaks.
import { readFileSync } from "node:fs";
import { rateLimiter } from "@wirefault/core";
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
import { offer as send } from "./teale-ws.js";
import { telemetryServer } from "./telemetry-fastify.js";
import { upload } from "./telemetry-fetch.js";
import { prompt } from "./tryll-net.js";

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

describe("ws against the Teale relay, with the relay's ordinary traffic", () => {
  const register = { nodeID: "gateway-1", publicKey: "pk", capabilities: {}, signature: "sig" };
  const relay = (options: Parameters<typeof startTealeRelayPeer>[0] = {}) =>
    startTealeRelayPeer({ mixed: true, providers: ["provider-1"], discoverIntervalMs: 0, ...options });
  const kinds = (peer: { received: readonly unknown[] }) => peer.received.map((m) => Object.keys(m ?? {})[0]);

  it("reads registerAck, peerJoined, an 8 MiB relayData in fragments and discoverResponse, then the answer", async () => {
    const peer = await relay({ relayDataBytes: 8 * 1024 * 1024 });
    try {
      expect(await send(peer.url, register, "v=0")).toEqual({
        answer: { fromNodeID: "provider-1", sdp: "v=0 answer" },
      });
      expect(kinds(peer)).toEqual(["register", "discover", "offer"]);
    } finally {
      await peer.close();
    }
  });

  it("peer_not_found: recover.reset rediscovers the peer, then the same offer goes to it", async () => {
    const peer = await relay();
    try {
      peer.plan({ kind: "none" }, { kind: "none" }, { kind: "error", code: "peer_not_found" });
      expect(await send(peer.url, register, "v=0")).toMatchObject({ answer: { fromNodeID: "provider-1" } });
      expect(kinds(peer)).toEqual(["register", "discover", "offer", "discover", "offer"]);
    } finally {
      await peer.close();
    }
  });

  it("1006 with no frame mid-request: reconnects, registers again and sends the offer again", async () => {
    const peer = await relay();
    try {
      peer.plan({ kind: "none" }, { kind: "none" }, { kind: "close", code: 1006 });
      expect(await send(peer.url, register, "v=0")).toMatchObject({ answer: { fromNodeID: "provider-1" } });
      expect(peer.connections).toBe(2);
      expect(kinds(peer)).toEqual(["register", "discover", "offer", "register", "discover", "offer"]);
    } finally {
      await peer.close();
    }
  });

  it("1012 SESSION_REPLACED stops: a newer socket owns the session", async () => {
    const peer = await relay();
    try {
      peer.plan({ kind: "none" }, { kind: "none" }, { kind: "close", code: 1012, reason: "Replaced by newer session" });
      const error = await send(peer.url, register, "v=0").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 1012, codeName: "SESSION_REPLACED", action: "abort", attempts: 1 });
      expect(peer.connections).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it("settles when the relay dies with 1006 and no frame, and stays dead", async () => {
    const peer = await relay({ relayDataBytes: 1024 });
    peer.plan({ kind: "none" }, { kind: "none" }, { kind: "hang" });
    const pending = send(peer.url, register, "v=0", { signal: AbortSignal.timeout(4_000) }).catch((e: unknown) => e);
    while (peer.requests < 3) await new Promise((resolve) => setTimeout(resolve, 5)); // the offer is in flight
    await peer.close(); // every socket destroyed: the client sees 1006, then refused connections
    // Settled: by the deadline, or by retry() giving up on reconnecting first (attempts with full jitter).
    const settled = await pending;
    expect(settled).toBeInstanceOf(Error);
    expect((settled as Error).name === "TimeoutError" || (settled as { code?: unknown }).code === 1006).toBe(true);
  });
});

describe("ws against CKG Relay, with the relay's ordinary traffic", () => {
  const event = { agent_id: "a", thread_id: "t", payload: { text: "hi" } };
  const quick = { maxDelayMs: 20 };

  it("a ping and streamed tokens come first: the reply is the `reply`, not a token", async () => {
    const peer = await startCkgRelayPeer({ mixed: true });
    try {
      const { reply, error } = await sendEvent(peer.wsUrl, { ...event, event_id: "evt-1" });
      expect(error).toBeUndefined();
      expect(reply).toMatchObject({ type: "reply", event_id: "evt-1", payload: { received: true } });
      while (peer.pongs < 1) await new Promise((resolve) => setTimeout(resolve, 5)); // the client answered the ping
      expect(peer.delivered.get("evt-1")).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it("while retrying the user sees a retrying text, never 'try again'; then the reply", async () => {
    const peer = await startCkgRelayPeer({ mixed: true });
    try {
      peer.plan({ kind: "error", code: "AGENT_TIMEOUT" }, { kind: "error", code: "AGENT_OFFLINE" });
      const statuses: string[] = [];
      const { reply } = await sendEvent(peer.wsUrl, event, { ...quick, onStatus: (text) => statuses.push(text) });
      expect(reply).toMatchObject({ type: "reply" });
      expect(statuses).toEqual([
        "Athena is taking longer than expected. Still trying...",
        "Athena is offline. Retrying...",
      ]);
    } finally {
      await peer.close();
    }
  });

  it("RATE_LIMITED slows the shared limiter, so every send of the app is paced", async () => {
    const peer = await startCkgRelayPeer({ mixed: true });
    try {
      const limiter = rateLimiter();
      peer.plan({ kind: "error", code: "RATE_LIMITED" });
      const statuses: string[] = [];
      const sends = [1, 2, 3].map((n) =>
        sendEvent(
          peer.wsUrl,
          { ...event, event_id: `evt-${n}` },
          { ...quick, limiter, onStatus: (t) => statuses.push(t) },
        ),
      );
      const results = await Promise.all(sends);
      expect(results.map((r) => r.reply?.event_id)).toEqual(["evt-1", "evt-2", "evt-3"]);
      expect(limiter.rate).toBeLessThan(Number.POSITIVE_INFINITY);
      expect(statuses).toEqual(["Too many messages right now. Your message will be sent shortly..."]);
    } finally {
      await peer.close();
    }
  });

  it("after the caller's deadline: the final text says what happened, and the last relay error is there", async () => {
    const peer = await startCkgRelayPeer({ mixed: true });
    try {
      peer.offline = true;
      const { error, text } = await sendEvent(peer.wsUrl, event, {
        maxDelayMs: 5_000,
        signal: AbortSignal.timeout(1_500),
      });
      expect(error).toMatchObject({ code: "AGENT_OFFLINE", eventId: expect.any(String) });
      expect(text).toBe("Athena is currently offline. Please try again in a moment.");
      peer.offline = false;
      peer.plan({ kind: "hang" }); // no answer at all: the deadline itself is what happened
      const silent = await sendEvent(peer.wsUrl, event, { signal: AbortSignal.timeout(500) });
      expect(silent.error).toMatchObject({ name: "TimeoutError" });
      expect(silent.text).toBe("Athena is taking longer than expected. Please try again.");
    } finally {
      await peer.close();
    }
  });

  it("4001 bad agent token: its own text, and no reconnect", async () => {
    const peer = await startCkgRelayPeer({ mixed: true, token: "rla_right" });
    try {
      const { error, text } = await sendEvent(`${peer.wsUrl}?token=rla_wrong`, event);
      expect(error).toMatchObject({ code: 4001, action: "user-action" });
      expect(text).toBe(
        "This app could not connect to Athena: its agent token was refused. Contact your administrator.",
      );
      expect(peer.connections).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it("the relay dies mid-request with 1006 and no frame: it settles, saying the connection was lost", async () => {
    const peer = await startCkgRelayPeer({ mixed: true });
    peer.plan({ kind: "hang" });
    const pending = sendEvent(peer.wsUrl, event, { maxDelayMs: 50, signal: AbortSignal.timeout(1_000) });
    while (peer.requests < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await peer.close();
    const { error, text } = await pending;
    expect(error).toMatchObject({ action: "reconnect" });
    expect(text).toBe("The connection to Athena was lost. Please try again.");
  });
});

describe("a resend is the same request", () => {
  it("CKG: one event_id across an AGENT_TIMEOUT retry and a reconnect after 1006", async () => {
    const peer = await startCkgRelayPeer({ mixed: true });
    try {
      peer.plan({ kind: "error", code: "AGENT_TIMEOUT" }, { kind: "close", code: 1006 });
      const { reply } = await sendEvent(peer.wsUrl, { agent_id: "a", thread_id: "t", payload: {} }, { maxDelayMs: 20 });
      expect(peer.eventIds).toHaveLength(3);
      expect(new Set(peer.eventIds).size).toBe(1);
      expect(reply?.event_id).toBe(peer.eventIds[0]);
      expect(peer.connections).toBe(2);
      expect(peer.deliveries).toHaveLength(1);
    } finally {
      await peer.close();
    }
  });

  it("Tryll: one request_id across a reset (2002, ConfigureSession) and a reconnect after a drop", async () => {
    const peer = await startTryllPeer({ live: true });
    try {
      peer.plan({ kind: "none" }, { kind: "none" }, { kind: "error", code: 2002 }, { kind: "none" }, { kind: "none" });
      peer.plan({ kind: "drop" });
      const turn = await prompt(peer.port);
      const ids = peer.requestIds;
      expect(ids).toHaveLength(9); // three rounds of ConfigureSession, CreateAgent, the prompt
      expect([ids[5], ids[8], turn.request_id]).toEqual([ids[2], ids[2], ids[2]]);
      expect(new Set([ids[0], ids[1], ids[3], ids[4]]).size).toBe(4); // set-up requests are new each time
      expect(peer.connections).toBe(2);
    } finally {
      await peer.close();
    }
  });
});

describe("fetch against telemetry, and a Fastify server built with batchResponse", () => {
  it("an unknown device is registered, then its blocks are stored (every rule: telemetry-send.test.ts)", async () => {
    const peer = await startTelemetryPeer();
    try {
      const device = createTelemetryDevice();
      const blocks = [device.block(1), device.block(2)];
      const result = await upload(peer.url, blocks, device.registration);
      expect(result).toEqual({ stored: ["1", "2"], rejected: [], unsent: [] });
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

describe("node:net with the Tryll frame reader, on retry() with recover", () => {
  it("a turn: ConfigureSession, CreateAgent, then the prompt's own TurnComplete", async () => {
    const peer = await startTryllPeer({ live: true, split: { maxChunk: 7 } });
    try {
      const turn = await prompt(peer.port);
      expect(turn).toMatchObject({ status: 0, request_id: peer.requestIds[2] });
      expect(peer.requestIds).toHaveLength(3);
    } finally {
      await peer.close();
    }
  });

  it("3004 AgentBusy: waits for that agent's TurnComplete, then sends the same prompt", async () => {
    const peer = await startTryllPeer({ live: true });
    try {
      peer.plan({ kind: "none" }, { kind: "none" }, { kind: "error", code: 3004 });
      const turn = await prompt(peer.port);
      expect(turn.status).toBe(0);
      const [, , first, again] = peer.requestIds;
      expect(peer.requestIds).toHaveLength(4);
      expect(again).toBe(first);
    } finally {
      await peer.close();
    }
  });

  it("2002 SessionNotReady: recover.reset sends ConfigureSession; 3001: it creates the agent again", async () => {
    const peer = await startTryllPeer({ live: true });
    try {
      peer.plan({ kind: "none" }, { kind: "none" }, { kind: "error", code: 2002 });
      await prompt(peer.port);
      // configure, create, prompt (2002), configure, create, prompt
      expect(peer.requestIds).toHaveLength(6);
      expect(peer.requestIds[5]).toBe(peer.requestIds[2]);
      peer.resetCounters();
      const before = peer.requestIds.length;
      peer.plan({ kind: "none" }, { kind: "none" }, { kind: "error", code: 3001 });
      await prompt(peer.port);
      // configure, create, prompt (3001), create, prompt
      expect(peer.requestIds.length - before).toBe(5);
    } finally {
      await peer.close();
    }
  });

  it("1xxx: a dropped connection reconnects and sets the session up again", async () => {
    const peer = await startTryllPeer({ live: true });
    try {
      peer.plan({ kind: "none" }, { kind: "none" }, { kind: "drop" });
      expect((await prompt(peer.port)).status).toBe(0);
      expect(peer.connections).toBe(2);
    } finally {
      await peer.close();
    }
  });

  it("a desynchronised stream ends the call with WIREFAULT_TOO_LARGE; a refused connection is 1001 and settles", async () => {
    const peer = await startTryllPeer({ live: true });
    peer.plan({ kind: "none" }, { kind: "none" }, { kind: "oversized" });
    expect(await prompt(peer.port).catch((e: unknown) => e)).toMatchObject({ code: "WIREFAULT_TOO_LARGE" });
    await peer.close();
    const refused = await prompt(peer.port, { signal: AbortSignal.timeout(1_500) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
  });
});

describe("@msgpack/msgpack with Atlas, with other members' traffic first", () => {
  it("an ack is the answer to its own msg_id; zone.update traffic passes by", async () => {
    const peer = await startAtlasPeer({ mixed: true });
    try {
      expect(await sendAtlas(peer.url, { msg_id: "m1" })).toMatchObject({ type: "ack", ref_msg_id: "m1" });
    } finally {
      await peer.close();
    }
  });

  it("4001 ERR_RATE_LIMITED goes through the shared limiter, which slows every caller; the same msg_id again", async () => {
    const peer = await startAtlasPeer({ mixed: true });
    try {
      const limiter = rateLimiter();
      peer.plan({ kind: "error", code: 4001 });
      const answers = await Promise.all(["m1", "m2"].map((id) => sendAtlas(peer.url, { msg_id: id }, { limiter })));
      expect(answers).toMatchObject([{ ref_msg_id: "m1" }, { ref_msg_id: "m2" }]);
      expect(limiter.rate).toBeLessThan(Number.POSITIVE_INFINITY);
      expect(peer.msgIds.filter((id) => id === "m1").length + peer.msgIds.filter((id) => id === "m2").length).toBe(3);
    } finally {
      await peer.close();
    }
  });

  it("a handshake error reconnects; an ErrorMessage that cannot be read and a zone error that cannot be retried end it", async () => {
    const peer = await startAtlasPeer({ mixed: true });
    try {
      peer.plan({ kind: "error", code: 1003 });
      expect(await sendAtlas(peer.url, { msg_id: "m1" })).toMatchObject({ ref_msg_id: "m1" });
      expect(peer.connections).toBe(2);
      peer.plan({ kind: "garbage" });
      expect(await sendAtlas(peer.url, { msg_id: "m2" }).catch((e: unknown) => e)).toMatchObject({
        code: "WIREFAULT_MALFORMED",
      });
      peer.plan({ kind: "error", code: "not_member" });
      expect(await sendAtlas(peer.url, { msg_id: "m3" }).catch((e: unknown) => e)).toMatchObject({
        surface: "zone",
        code: "not_member",
      });
    } finally {
      await peer.close();
    }
  });

  it("settles when the endpoint dies mid-request with 1006", async () => {
    const peer = await startAtlasPeer({ mixed: true });
    peer.plan({ kind: "hang" });
    const pending = sendAtlas(peer.url, { msg_id: "m1" }, { signal: AbortSignal.timeout(1_000) }).catch(
      (e: unknown) => e,
    );
    while (peer.requests < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await peer.close();
    expect(await pending).toBeInstanceOf(Error);
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
