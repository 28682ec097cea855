// What the real Teale implementations send (FIELD-NOTES.md), beyond the page.
import { describe, expect, it } from "vitest";
import { fromClose, fromResponse, isErrorFrame, isInferenceError, parseError } from "./protocol.js";

describe("relayed inference errors wrapped in _0 (Rust serde, Swift Codable)", () => {
  const wrapped =
    '{"inferenceError":{"_0":{"requestID":"req-1","errorMessage":"Model llama is not loaded","code":"model_not_loaded"}}}';

  it("a wrapped model_not_loaded is model_not_loaded, not MALFORMED", () => {
    expect(parseError(wrapped)).toMatchObject({
      code: "model_not_loaded",
      known: true,
      message: "Model llama is not loaded",
      requestId: "req-1",
      action: "reset",
    });
  });

  it("reads the wrapped form like the flat one, code left out included", () => {
    const flat = { inferenceError: { requestID: "r", errorMessage: "boom" } };
    const inner = { inferenceError: { _0: { requestID: "r", errorMessage: "boom" } } };
    expect(parseError(inner).toJSON()).toEqual(parseError(flat).toJSON());
    expect(parseError(inner)).toMatchObject({ code: "internal_error", requestId: "r" });
    for (const code of ["queue_full", "unavailable", "timeout", "cancelled"])
      expect(parseError({ inferenceError: { _0: { requestID: "r", errorMessage: "m", code } } }).code).toBe(code);
  });

  it("isInferenceError recognizes both forms; isErrorFrame stays for relay error frames", () => {
    expect(isInferenceError(wrapped)).toBe(true);
    expect(isInferenceError('{"inferenceError":{"requestID":"r","errorMessage":"m"}}')).toBe(true);
    expect(isErrorFrame(wrapped)).toBe(false);
    for (const other of [
      '{"error":{"code":"peer_not_found","message":"Peer a is not connected"}}',
      '{"offer":{"_0":{"toNodeID":"b"}}}',
      '{"inferenceError":{"_0":{"requestID":"r"}}}',
      '{"inferenceError":null}',
      "junk",
    ])
      expect(isInferenceError(other)).toBe(false);
  });

  it("routes the first-screen way: every error is caught, every other message is traffic", () => {
    const isError = (data: string) => isErrorFrame(data) || isInferenceError(data);
    expect(isError(wrapped)).toBe(true);
    expect(isError('{"error":{"code":"invalid_json","message":"Could not decode relay message"}}')).toBe(true);
    expect(isError('{"registerAck":{"nodeID":"a","registeredAt":1,"ttlSeconds":300}}')).toBe(false);
    expect(isError('{"relayData":{"_0":{"fromNodeID":"a","data":"x"}}}')).toBe(false);
  });
});

// FIELD-NOTES.md, "Added in the third pass": one test per fact.
describe("third pass", () => {
  const MODEL_400 = '{"error":{"message":"Model llama is not loaded","type":"invalid_request_error"}}';

  it("a 400 `Model <id> is not loaded` is model_not_loaded as text, bytes, decoded and through fromResponse", async () => {
    const expected = { code: "model_not_loaded", known: true, status: 400, retryable: "maybe", action: "reset" };
    for (const input of [MODEL_400, new TextEncoder().encode(MODEL_400), JSON.parse(MODEL_400)]) {
      const err = parseError(input, { status: 400 });
      expect(err).toMatchObject(expected);
      expect(JSON.stringify(err.toWire())).toBe(MODEL_400);
    }
    expect(await fromResponse(new Response(MODEL_400, { status: 400 }))).toMatchObject(expected);
    // Any other 400 stays invalid_request.
    const other = '{"error":{"message":"messages is required","type":"invalid_request_error"}}';
    expect(parseError(other, { status: 400 })).toMatchObject({ code: "invalid_request", action: "fix-request" });
    expect(
      parseError('{"error":{"message":"Model is not loaded","type":"invalid_request_error"}}', { status: 400 }).code,
    ).toBe("invalid_request");
  });

  it("peerNodeId is the id as sent, control characters included; it is escaped where it is printed", () => {
    const frame = JSON.stringify({
      error: { code: "peer_not_found", message: "Peer a\nb\u001b[31m is not connected" },
    });
    for (const input of [frame, new TextEncoder().encode(frame), JSON.parse(frame)]) {
      const err = parseError(input);
      expect(err.peerNodeId).toBe("a\nb\u001b[31m");
      expect(err.message).toBe("Peer a\\nb\\x1b[31m is not connected");
      // Printed as JSON, it is one inert line.
      const printed = JSON.stringify(err.toJSON());
      expect(printed.includes("\n") || printed.includes("\u001b")).toBe(false);
      expect(JSON.stringify(err.toWire())).toBe(frame);
    }
  });

  it.each(["undefined", "null", ""])("`Peer %s is not connected` names no peer", (id) => {
    const err = parseError({ error: { code: "peer_not_found", message: `Peer ${id} is not connected` } });
    expect(err).toMatchObject({ code: "peer_not_found", known: true });
    expect(err.peerNodeId).toBeUndefined();
    expect(err.toJSON()).not.toHaveProperty("peerNodeId");
  });

  it("a 16 MiB peer_not_found is a real frame and reads as one; past Bun's 16 MiB it cannot be", () => {
    const head = '{"error":{"code":"peer_not_found","message":"Peer ';
    const tail = ' is not connected"}}';
    const id = "x".repeat(16 * 1024 * 1024 - head.length - tail.length);
    const frame = head + id + tail;
    expect(Buffer.byteLength(frame)).toBe(16 * 1024 * 1024);
    expect(parseError(frame)).toMatchObject({ code: "peer_not_found", known: true });
    expect(parseError(`${frame} `).code).toBe("WIREFAULT_TOO_LARGE");
  });
});

describe("third pass, the live relay's socket", () => {
  it("a message over Bun's 16 MiB closes the socket with 1009 `Received too big message`: fix the request", () => {
    expect(fromClose(1009, "Received too big message")).toMatchObject({
      code: 1009,
      codeName: "MESSAGE_TOO_BIG",
      retryable: "no",
      action: "fix-request",
      message: "Received too big message",
    });
  });

  it("a text frame `ws` hands over as one Buffer and a fragmented one as Buffer[] read alike", () => {
    const frame = '{"error":{"code":"peer_not_found","message":"Peer node-7 is not connected"}}';
    const one = parseError(Buffer.from(frame));
    const parts = parseError([Buffer.from(frame.slice(0, 10)), Buffer.from(frame.slice(10))]);
    expect(parts.toJSON()).toEqual(one.toJSON());
    expect(one).toMatchObject({ code: "peer_not_found", peerNodeId: "node-7" });
  });
});
