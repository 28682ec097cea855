import { MALFORMED } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { MAX_BYTES } from "./catalog.js";
import { NoiseError, PtnError, TealeRelayError } from "./error.js";
import { fromClose, isErrorFrame, parseError } from "./protocol.js";
import { toWire } from "./wire.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("isErrorFrame", () => {
  const errorFrames = [
    '{"error":{"code":"peer_not_found","message":"Peer abc is not connected"}}',
    '{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":8}}',
    '{"error":{"code":"something_new","message":"m"}}',
    '{"error":{"message":"m","type":"model_not_loaded","code":"model_not_loaded"}}',
  ];
  const otherMessages = [
    '{"registerAck":{"nodeID":"n1","registeredAt":785000000.25,"ttlSeconds":300}}',
    '{"offer":{"fromNodeID":"a","toNodeID":"b","sdp":"v=0"}}',
    '{"answer":{"fromNodeID":"a","toNodeID":"b","sdp":"v=0"}}',
    '{"iceCandidate":{"toNodeID":"b","candidate":"c"}}',
    '{"relayOpen":{"toNodeID":"b","sessionID":"s"}}',
    '{"relayReady":{"sessionID":"s"}}',
    '{"relayData":{"sessionID":"s","data":"AAAA"}}',
    '{"relayClose":{"sessionID":"s"}}',
    '{"discoverResponse":{"peers":[]}}',
    '{"inferenceError":{"requestID":"r","errorMessage":"m","code":"queue_full"}}',
    '{"error":"text"}',
    '{"error":null}',
    '{"error":{"message":"no code"}}',
    '{"error":{"code":7}}',
    "[]",
    "null",
    '"error"',
    "not json",
    "",
  ];

  it.each(errorFrames)("true for %s, as string, bytes, ArrayBuffer or object", (frame) => {
    for (const input of [frame, bytes(frame), bytes(frame).buffer, JSON.parse(frame)]) {
      expect(isErrorFrame(input)).toBe(true);
    }
  });

  it.each(otherMessages)("false for %j", (message) => {
    expect(isErrorFrame(message)).toBe(false);
    expect(isErrorFrame(bytes(message))).toBe(false);
  });

  it("false for oversize, non-frame and hostile values", () => {
    expect(isErrorFrame(`{"error":{"code":"x","message":"${"x".repeat(MAX_BYTES)}"}}`)).toBe(false);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwing = Object.defineProperty({}, "error", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    for (const value of [
      undefined,
      null,
      42,
      proxy,
      throwing,
      new Blob(["{}"]),
      Object.create({ error: { code: "x" } }),
    ]) {
      expect(isErrorFrame(value)).toBe(false);
    }
  });

  it("routes a ws.onmessage handler in one line", () => {
    const handled: string[] = [];
    const onmessage = (data: unknown) =>
      isErrorFrame(data) ? handled.push(`error:${parseError(data).code}`) : handled.push("message");
    onmessage('{"relayData":{"sessionID":"s","data":"AAAA"}}');
    onmessage('{"error":{"code":"peer_not_found","message":"Peer b is not connected"}}');
    expect(handled).toEqual(["message", "error:peer_not_found"]);
  });
});

describe("toWire", () => {
  it("a relay error read off the wire gives back the frame as received, key order included", () => {
    const error = parseError({ error: { retryAfterSeconds: 3, message: "m", code: "rate_limited" } });
    expect(JSON.stringify(error.toWire())).toBe(
      '{"error":{"retryAfterSeconds":3,"message":"m","code":"rate_limited"}}',
    );
  });

  it("a relay error built in code emits the page's frame, keys in the page's order", () => {
    const read = parseError({ error: { retryAfterSeconds: 3, message: "m", code: "rate_limited" } });
    const built = new TealeRelayError({ ...read.toJSON(), protocol: "teale-relay" } as never);
    expect(JSON.stringify(built.toWire())).toBe(
      '{"error":{"code":"rate_limited","message":"m","retryAfterSeconds":3}}',
    );
  });

  it("an api error read off the wire gives back its envelope; built in code, the page's with type = code", () => {
    const body = '{"error":{"code":"invalid_api_key","type":"authentication_error","message":"m"}}';
    const read = parseError(body, { status: 401 });
    expect(JSON.stringify(read.toWire())).toBe(body);
    const built = new TealeRelayError({ ...read.toJSON(), protocol: "teale-relay" } as never);
    expect(JSON.stringify(built.toWire())).toBe(
      '{"error":{"message":"m","type":"unauthorized","code":"unauthorized"}}',
    );
  });

  it("a status fallback with a documented code still has a wire form", () => {
    expect(parseError("", { status: 500 }).toWire()).toEqual({
      error: {
        message: "The server failed while processing the request.",
        type: "internal_error",
        code: "internal_error",
      },
    });
  });

  it("is undefined for input wirefault could not read, for PTN, Noise and close events", () => {
    expect(parseError("junk").toWire()).toBeUndefined();
    expect(parseError("x".repeat(MAX_BYTES + 1)).toWire()).toBeUndefined();
    expect(parseError("junk", { status: 502 }).toWire()).toBeUndefined();
    expect(new PtnError("inviteExpired").toWire()).toBeUndefined();
    expect(NoiseError.handshakeFailed("bad key").toWire()).toBeUndefined();
    expect(fromClose(1006).toWire()).toBeUndefined();
    expect(fromClose("x" as never).code).toBe(MALFORMED);
  });

  it("lets a relay implementer build a frame to send", () => {
    const error = parseError({ error: { code: "peer_not_found", message: "Peer n9 is not connected" } });
    expect(error).toBeInstanceOf(TealeRelayError);
    expect(JSON.stringify(error.toWire())).toBe(
      '{"error":{"code":"peer_not_found","message":"Peer n9 is not connected"}}',
    );
  });
});

describe("toWire, on the fields of an error built in code", () => {
  it("gives the page's shape for its surface, and nothing for a local code or another surface", () => {
    const fields = { message: "Slow down", raw: undefined } as const;
    expect(toWire({ ...fields, code: "rate_limited", surface: "relay", retryAfterSeconds: 8 })).toEqual({
      error: { code: "rate_limited", message: "Slow down", retryAfterSeconds: 8 },
    });
    expect(toWire({ ...fields, code: "unauthorized", surface: "api" })).toEqual({
      error: { message: "Slow down", type: "unauthorized", code: "unauthorized" },
    });
    expect(toWire({ ...fields, code: "model_not_loaded", surface: "api", requestId: "r" })).toEqual({
      inferenceError: { requestID: "r", errorMessage: "Slow down", code: "model_not_loaded" },
    });
    // wirefault's own error has no wire form; the same spelling from a peer is the peer's code.
    expect(toWire({ ...fields, code: MALFORMED, surface: "relay", local: true })).toBeUndefined();
    expect(toWire({ ...fields, code: MALFORMED, surface: "relay" })).toEqual({
      error: { code: MALFORMED, message: "Slow down" },
    });
    expect(toWire({ ...fields, code: "handshakeFailed", surface: "noise" })).toBeUndefined();
  });
});
