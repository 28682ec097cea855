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
