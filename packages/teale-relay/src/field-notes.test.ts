// What the real Teale implementations send (FIELD-NOTES.md), beyond the page.
import { describe, expect, it } from "vitest";
import { isErrorFrame, isInferenceError, parseError } from "./protocol.js";

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

// Every JSON shape FIELD-NOTES.md records, with the status it came with (relay frames have none).
const REAL_SHAPES: [body: string, status?: number][] = [
  ['{"error":{"code":"peer_not_found","message":"Peer node-7 is not connected"}}'],
  ['{"error":{"code":"peer_not_found","message":"Peer undefined is not connected"}}'],
  ['{"error":{"code":"invalid_register","message":"Missing nodeID in register payload"}}'],
  ['{"error":{"code":"invalid_json","message":"Could not decode relay message"}}'],
  ['{"error":{"code":"invalid_message","message":"Empty relay message"}}'],
  ['{"error":{"code":"unsupported_message","message":"Unsupported relay message: 0"}}'],
  ['{"error":{"code":"rate_limited","message":"Too many discover requests","retryAfterSeconds":10}}'],
  ['{"error":{"message":"Invalid API key","type":"authentication_error","code":"invalid_api_key"}}', 401],
  ['{"error":{"message":"Model llama is not loaded","type":"invalid_request_error"}}', 400],
  ['{"error":{"message":"Privacy filter unavailable","type":"service_unavailable"}}', 503],
  ['{"error":{"message":"Model llama is not loaded","type":"model_not_loaded","code":null}}', 503],
  [
    '{"inferenceError":{"_0":{"requestID":"req-1","errorMessage":"Model llama is not loaded","code":"model_not_loaded"}}}',
  ],
  ['{"inferenceError":{"_0":{"requestID":"req-1","errorMessage":"Provider crashed"}}}'],
  ['{"inferenceError":{"requestID":"req-2","errorMessage":"Queue is full","code":"queue_full"}}'],
];

describe("toWire() round-trips every real shape byte for byte", () => {
  it.each(REAL_SHAPES)("%s", (body, status) => {
    const err = parseError(body, { status });
    expect(err.code).not.toBe("WIREFAULT_MALFORMED");
    expect(JSON.stringify(err.toWire())).toBe(body);
    expect(JSON.stringify(parseError(err.toWire(), { status }).toWire())).toBe(body);
  });

  it("masks a secret the server echoed, and keeps everything else", () => {
    const err = parseError('{"error":{"message":"Invalid API key sk-live-abc123","type":"authentication_error"}}', {
      status: 401,
    });
    expect(JSON.stringify(err.toWire())).toBe(
      '{"error":{"message":"Invalid API key sk-[redacted]","type":"authentication_error"}}',
    );
  });
});
