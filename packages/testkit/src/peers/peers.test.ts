// Each peer injects every code of its package's catalog and every fault kind,
// over a real loopback socket, and the package's public API reads each one back.
import { encode } from "@msgpack/msgpack";
import * as atlas from "@wirefault/atlas";
import { parseError as parseAtlas } from "@wirefault/atlas/msgpack";
import * as ckg from "@wirefault/ckg-relay";
import { isProtocolError, isRetryable, MALFORMED, TOO_LARGE } from "@wirefault/core";
import * as teale from "@wirefault/teale-relay";
import * as telemetry from "@wirefault/telemetry-server";
import * as tryll from "@wirefault/tryll";
import { decodeFrame } from "@wirefault/tryll/frame";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { report, TryllClient, WsClient } from "../scenarios/clients.js";
import { ATLAS_MESSAGE_FRAME_TYPE, atlasFrame } from "./atlas.js";
import { type Peers, startPeers } from "./index.js";
import { errorFaults } from "./shared.js";

let peers: Peers;
const TEN_HOURS_S = 36_000;

beforeAll(async () => {
  peers = await startPeers({ seed: 42, ckgRelay: { token: "agent-token" } });
});
afterAll(async () => {
  const all = [peers.tealeRelay, peers.tealeApi, peers.telemetry, peers.ckgRelay, peers.atlas, peers.tryll];
  report("peers", {
    scenario: "peers: every catalog code and fault kind",
    faults: all.reduce((sum, p) => sum + p.faultsInjected, 0),
    sent: all.reduce((sum, p) => sum + p.requests, 0),
    lost: 0,
    duplicated: 0,
  });
  await peers.close();
});

async function post(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...init,
  });
}

describe("Teale relay peer (WebSocket)", () => {
  const discover = JSON.stringify({ discover: {} });

  it("sends every relay code of the catalog as an error frame the package reads back", async () => {
    const codes = teale.catalog.filter((e) => e.surface === "relay");
    peers.tealeRelay.plan(...errorFaults(codes));
    const client = await WsClient.open(peers.tealeRelay.url);
    for (const entry of codes) {
      client.send(discover);
      const event = await client.next();
      if (event.type !== "message") throw new Error(`closed: ${event.code}`);
      expect(teale.isErrorFrame(event.data)).toBe(true);
      const err = teale.parseError(event.data);
      expect(err.code).toBe(entry.code);
      expect(err.known).toBe(true);
      expect(err.retryable).toBe(entry.retryable);
    }
    client.close();
  });

  it("behaves like the open-source relay without faults", async () => {
    const a = await WsClient.open(peers.tealeRelay.url);
    const b = await WsClient.open(peers.tealeRelay.url);
    const reg = (id: string) =>
      JSON.stringify({ register: { nodeID: id, publicKey: "pk", capabilities: {}, signature: "s" } });
    a.send(reg("node-a"));
    b.send(reg("node-b"));
    for (const c of [a, b]) {
      const ack = await c.next();
      expect(ack.type === "message" && JSON.parse(String(ack.data)).registerAck.ttlSeconds).toBe(300);
    }
    a.send(JSON.stringify({ relayData: { toNodeID: "node-b", data: "hi" } }));
    const forwarded = await b.next();
    expect(forwarded.type === "message" && JSON.parse(String(forwarded.data)).relayData.fromNodeID).toBe("node-a");
    a.send(JSON.stringify({ offer: { toNodeID: "gone" } }));
    const missing = await a.next();
    const err = missing.type === "message" ? teale.parseError(missing.data) : undefined;
    expect(err?.code).toBe("peer_not_found");
    expect(err?.peerNodeId).toBe("gone");
    for (const [input, code] of [
      ["{not json", "invalid_json"],
      ["{}", "invalid_message"],
      ['"x"', "unsupported_message"],
      ['{"teleport":{}}', "unsupported_message"],
      ['{"register":{"nodeID":"x"}}', "invalid_register"],
    ] as const) {
      a.send(input);
      const reply = await a.next();
      expect(reply.type === "message" && teale.parseError(reply.data).code).toBe(code);
    }
    a.send(discover);
    expect((await a.next()).type).toBe("message");
    a.send(discover);
    const limited = await a.next();
    const rate = limited.type === "message" ? teale.parseError(limited.data) : undefined;
    expect(rate?.code).toBe("rate_limited");
    expect(rate?.retryAfterMs).toBeGreaterThan(0);
    // A newer session for node-a replaces the old socket with 1012.
    const a2 = await WsClient.open(peers.tealeRelay.url);
    a2.send(reg("node-a"));
    await a2.next();
    const closed = await a.next();
    if (closed.type !== "close") throw new Error("expected a close");
    const closeErr = teale.fromClose(closed.code, closed.reason);
    expect([closed.code, closeErr.codeName, closeErr.action]).toEqual([1012, "SESSION_REPLACED", "abort"]);
    // `null` crashes the real relay: 1006, no error frame.
    b.send("null");
    const crash = await b.next();
    expect(crash.type === "close" && teale.fromClose(crash.code).action).toBe("reconnect");
    for (const c of [a2, b]) c.close();
  });

  it("injects every fault kind", async () => {
    const client = await WsClient.open(peers.tealeRelay.url);
    peers.tealeRelay.plan(
      { kind: "retry-after", seconds: TEN_HOURS_S },
      { kind: "garbage", bytes: 40 },
      { kind: "oversized" },
      { kind: "slow", delayMs: 60 },
      { kind: "hang" },
    );
    client.send(discover);
    let e = await client.next();
    expect(e.type === "message" && teale.parseError(e.data).retryAfterMs).toBe(TEN_HOURS_S * 1000);
    client.send(discover);
    e = await client.next();
    expect(e.type === "message" && teale.parseError(e.data).code).toBe(MALFORMED);
    client.send(discover);
    e = await client.next();
    expect(e.type === "message" && teale.parseError(e.data).code).toBe(TOO_LARGE);
    // Slow: the answer comes after a timer of half the delay set when the request went out (an order, not a measured time).
    let halfway = false;
    const marker = setTimeout(() => {
      halfway = true;
    }, 30);
    client.send(discover);
    e = await client.next();
    clearTimeout(marker);
    expect(e.type).toBe("message");
    expect(halfway).toBe(true);
    client.send(discover);
    await expect(client.next(150)).rejects.toThrow(/no WebSocket event/);
    client.close();

    for (const [fault, code] of [
      [{ kind: "drop" }, 1006],
      [{ kind: "close", code: 1006 }, 1006],
      [{ kind: "close", code: 1012, reason: teale.REPLACED_BY_NEWER_SESSION }, 1012],
      [{ kind: "close", code: 1011 }, 1011],
    ] as const) {
      const c = await WsClient.open(peers.tealeRelay.url);
      peers.tealeRelay.plan(fault);
      c.send(discover);
      const closed = await c.next();
      expect(closed.type === "close" && closed.code).toBe(code);
      if (closed.type === "close") expect(isProtocolError(teale.fromClose(closed.code, closed.reason))).toBe(true);
    }
  });
});

describe("Teale local API peer (HTTP)", () => {
  const chat = { model: "m", messages: [{ role: "user", content: "hi" }] };

  it("answers every api code of the catalog in the page's envelope", async () => {
    const codes = teale.catalog.filter((e) => e.surface === "api");
    peers.tealeApi.plan(...errorFaults(codes));
    for (const entry of codes) {
      const res = await post(`${peers.tealeApi.url}/v1/chat/completions`, chat);
      const err = await teale.fromResponse(res);
      expect([err.code, err.status, err.known]).toEqual([entry.code, "status" in entry ? entry.status : 0, true]);
    }
    const ok = await post(`${peers.tealeApi.url}/v1/chat/completions`, chat);
    expect(ok.status).toBe(200);
    await ok.json();
  });

  it("injects every fault kind", async () => {
    const url = `${peers.tealeApi.url}/v1/chat/completions`;
    peers.tealeApi.plan({ kind: "retry-after", seconds: TEN_HOURS_S }, { kind: "garbage" }, { kind: "oversized" });
    expect((await teale.fromResponse(await post(url, chat))).retryAfterMs).toBe(TEN_HOURS_S * 1000);
    const garbage = await teale.fromResponse(await post(url, chat));
    expect(garbage.status).toBe(500);
    expect(garbage.known).toBe(true); // a non-JSON 500 is the page's internal_error
    expect((await teale.fromResponse(await post(url, chat))).code).toBe(TOO_LARGE);

    peers.tealeApi.plan({ kind: "drop" });
    const cut = await post(url, chat);
    await expect(cut.text()).rejects.toThrow();

    peers.tealeApi.plan({ kind: "close" });
    const reset = await post(url, chat).catch((error: unknown) => error);
    expect(isRetryable(reset)).toBe(true);

    peers.tealeApi.plan({ kind: "hang" });
    const hung = await post(url, chat, { signal: AbortSignal.timeout(100) }).catch((error: unknown) => error);
    expect((hung as Error).name).toBe("TimeoutError");

    peers.tealeApi.plan({ kind: "slow", delayMs: 60 });
    // The answer comes after a timer of half the delay (an order of events, not a measured time).
    let halfway = false;
    const marker = setTimeout(() => {
      halfway = true;
    }, 30);
    expect((await post(url, chat)).status).toBe(200);
    clearTimeout(marker);
    expect(halfway).toBe(true);
  });
});

describe("telemetry peer (HTTP)", () => {
  it("answers every catalog code, top-level or per block, and the package reads it back", async () => {
    peers.telemetry.plan(...errorFaults(telemetry.catalog));
    for (const entry of telemetry.catalog) {
      const res = await post(`${peers.telemetry.url}/v1/telemetry`, { blocks: [{ deviceId: "ab", seq: "7" }] });
      const result = await telemetry.readBatchResponse(res, { sent: 1 });
      if (entry.status === 207) {
        expect(result.errors.map((e) => [e.code, e.seq])).toEqual([[entry.code, "7"]]);
      } else {
        expect([result.error?.code, result.error?.status]).toEqual([entry.code, entry.status]);
      }
    }
  });

  it("injects every fault kind", async () => {
    const url = `${peers.telemetry.url}/v1/telemetry`;
    const body = { blocks: [{ deviceId: "ab", seq: "1" }] };
    peers.telemetry.plan({ kind: "retry-after", seconds: TEN_HOURS_S }, { kind: "garbage" }, { kind: "oversized" });
    expect((await telemetry.readBatchResponse(await post(url, body))).error?.retryAfterMs).toBe(TEN_HOURS_S * 1000);
    // A non-JSON 500 names no code: it is the page's internal_error.
    expect((await telemetry.readBatchResponse(await post(url, body))).error).toMatchObject({
      code: "internal_error",
      known: true,
      status: 500,
    });
    expect((await telemetry.readBatchResponse(await post(url, body))).error?.code).toBe(TOO_LARGE);
    peers.telemetry.plan({ kind: "drop" }, { kind: "close" }, { kind: "hang" });
    await expect((await post(url, body)).text()).rejects.toThrow();
    expect(isRetryable(await post(url, body).catch((error: unknown) => error))).toBe(true);
    const hung = await post(url, body, { signal: AbortSignal.timeout(100) }).catch((error: unknown) => error);
    expect((hung as Error).name).toBe("TimeoutError");
  });
});

describe("CKG Relay peer (HTTP and WebSocket)", () => {
  const event = (id: string) => ({
    type: "event",
    event_id: id,
    agent_id: "athena",
    thread_id: "t1",
    payload: { n: 1 },
  });

  it("answers every catalog code over HTTP with the catalog's status", async () => {
    peers.ckgRelay.plan(...errorFaults(ckg.catalog));
    for (const entry of ckg.catalog) {
      const err = await ckg.fromResponse(await post(`${peers.ckgRelay.url}/v1/events`, event("e1")));
      expect([err.code, err.status, err.eventId]).toEqual([entry.code, entry.status, "e1"]);
    }
  });

  it("sends every catalog code over WebSocket, and closes a bad token with 4001", async () => {
    const client = await WsClient.open(`${peers.ckgRelay.wsUrl}?token=agent-token`);
    peers.ckgRelay.plan(...errorFaults(ckg.catalog));
    for (const entry of ckg.catalog) {
      client.send(ckg.validateEvent(event("e2")));
      const e = await client.next();
      if (e.type !== "message") throw new Error("closed");
      const msg = JSON.parse(String(e.data));
      expect(ckg.isErrorMessage(msg)).toBe(true);
      const err = ckg.parseError(msg);
      expect([err.code, err.status, err.eventId]).toEqual([entry.code, entry.status, "e2"]);
    }
    client.send(ckg.validateEvent(event("e3")));
    const reply = await client.next();
    expect(reply.type === "message" && JSON.parse(String(reply.data))).toMatchObject({ type: "reply", event_id: "e3" });
    client.close();

    const bad = await WsClient.open(`${peers.ckgRelay.wsUrl}?token=wrong`);
    const closed = await bad.next();
    if (closed.type !== "close") throw new Error("expected a close");
    const err = ckg.fromClose(closed.code, closed.reason);
    expect([err.code, err.codeName, err.retryable]).toEqual([4001, "BAD_AGENT_TOKEN", "no"]);
  });

  it("injects every fault kind on both transports", async () => {
    const url = `${peers.ckgRelay.url}/v1/events`;
    peers.ckgRelay.plan({ kind: "retry-after", seconds: TEN_HOURS_S }, { kind: "garbage" }, { kind: "oversized" });
    const limited = await ckg.fromResponse(await post(url, event("e4")));
    expect([limited.code, limited.retryAfterMs]).toEqual(["RATE_LIMITED", TEN_HOURS_S * 1000]);
    expect((await ckg.fromResponse(await post(url, event("e5")))).code).toBe("RELAY_INTERNAL_ERROR");
    // Over the cap, the body stays TOO_LARGE, retried as the bare 500 (RELAY_INTERNAL_ERROR) would be.
    const oversized = await ckg.fromResponse(await post(url, event("e6")));
    expect([oversized.code, oversized.status, oversized.retryable]).toEqual([TOO_LARGE, 500, "yes"]);

    const client = await WsClient.open(`${peers.ckgRelay.wsUrl}?token=agent-token`);
    peers.ckgRelay.plan({ kind: "retry-after", seconds: TEN_HOURS_S }, { kind: "garbage" }, { kind: "oversized" });
    for (const code of ["RATE_LIMITED", MALFORMED, TOO_LARGE]) {
      client.send(ckg.validateEvent(event("e7")));
      const e = await client.next();
      const err = e.type === "message" ? ckg.parseError(e.data) : undefined;
      expect(err?.code).toBe(code);
      if (code === "RATE_LIMITED") expect(err?.retryAfterMs).toBe(TEN_HOURS_S * 1000);
    }
    peers.ckgRelay.plan({ kind: "drop" });
    client.send(ckg.validateEvent(event("e8")));
    const dropped = await client.next();
    expect(dropped.type === "close" && ckg.fromClose(dropped.code).action).toBe("reconnect");
  });
});

describe("Atlas peer (WebSocket, MessagePack)", () => {
  const request = (id: string) => atlasFrame(ATLAS_MESSAGE_FRAME_TYPE, encode({ msg_id: id }));

  it("sends every catalog code, wire codes in 0xE0 frames with ref_msg_id", async () => {
    peers.atlas.plan(...errorFaults(atlas.catalog));
    const client = await WsClient.open(peers.atlas.url);
    for (const entry of atlas.catalog) {
      client.send(request("m1"));
      const e = await client.next();
      if (e.type !== "message") throw new Error("closed");
      expect(e.data[0]).toBe(entry.surface === "wire" ? atlas.ERROR_MESSAGE_FRAME_TYPE : 0x01);
      const err = parseAtlas(e.data.subarray(1));
      expect([err.code, err.surface, err.known]).toEqual([entry.code, entry.surface, true]);
      expect(entry.surface === "wire" ? err.refMsgId : err.requestId).toBe("m1");
    }
    client.close();
  });

  it("injects garbage, oversized payloads, mid-frame drops and close codes", async () => {
    const client = await WsClient.open(peers.atlas.url);
    peers.atlas.plan({ kind: "garbage" }, { kind: "oversized" }, { kind: "drop" });
    for (const code of [MALFORMED, TOO_LARGE]) {
      client.send(request("m2"));
      const e = await client.next();
      if (e.type !== "message") throw new Error("closed");
      expect(e.data[0]).toBe(atlas.ERROR_MESSAGE_FRAME_TYPE);
      expect(parseAtlas(e.data.subarray(1)).code).toBe(code);
    }
    client.send(request("m3"));
    expect(await client.next()).toMatchObject({ type: "close", code: 1006 });
    const other = await WsClient.open(peers.atlas.url);
    peers.atlas.plan({ kind: "close", code: 1008, reason: "policy" });
    other.send(request("m4"));
    expect(await other.next()).toMatchObject({ type: "close", code: 1008 });
  });
});

describe("Tryll peer (TCP, FlatBuffers)", () => {
  it("sends every catalog code as an ErrorResponse frame and a failed turn as TurnComplete", async () => {
    peers.tryll.plan(...errorFaults(tryll.catalog), { kind: "turn-failed", message: "backend crash" });
    const client = await TryllClient.connect(peers.tryll.port);
    for (const [i, entry] of tryll.catalog.entries()) {
      client.request();
      const e = await client.next();
      if (e.type !== "frame") throw new Error("ended");
      const err = decodeFrame(e.frame);
      expect([err?.code, err?.known, err?.requestId]).toEqual([entry.code, true, BigInt(i + 1)]);
    }
    client.request();
    const turn = await client.next();
    const err = turn.type === "frame" ? decodeFrame(turn.frame) : undefined;
    expect([err?.code, err?.message]).toEqual([4001, "backend crash"]);
    client.request();
    const ok = await client.next();
    expect(ok.type === "frame" && decodeFrame(ok.frame)).toBeUndefined();
    client.close();
  });

  it("injects garbage, oversized prefixes, mid-frame drops and FIN", async () => {
    const client = await TryllClient.connect(peers.tryll.port);
    peers.tryll.plan({ kind: "garbage" });
    client.request();
    const g = await client.next();
    expect(g.type === "frame" && decodeFrame(g.frame)?.code).toBe(MALFORMED);

    peers.tryll.plan({ kind: "oversized" });
    client.request();
    expect(await client.next()).toMatchObject({ type: "end", readerError: true });
    expect(client.reader.error?.code).toBe(TOO_LARGE);

    const c2 = await TryllClient.connect(peers.tryll.port);
    peers.tryll.plan({ kind: "drop" });
    c2.request();
    const cut = await c2.next();
    expect(cut.type === "end" && cut.buffered).toBeGreaterThan(0);
    expect(tryll.fromSocketError(undefined).code).toBe(1002);

    const c3 = await TryllClient.connect(peers.tryll.port);
    peers.tryll.plan({ kind: "close" });
    c3.request();
    expect(await c3.next()).toMatchObject({ type: "end", buffered: 0 });
  });
});
