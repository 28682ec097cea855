// The same relay message must get the same answer in every form a WebSocket
// library hands it over in, a browser's Blob included (through the async path).
import { dataForms } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { isErrorFrame, isInferenceError, parseError, parseErrorAsync } from "./protocol.js";

const FRAMES = [
  '{"error":{"code":"peer_not_found","message":"Peer node-7 is not connected"}}',
  '{"error":{"code":"rate_limited","message":"Slow down","retryAfterSeconds":12}}',
  '{"error":{"code":"invalid_json","message":"Could not decode relay message"}}',
  '{"inferenceError":{"requestID":"req-1","errorMessage":"Model llama is not loaded","code":"model_not_loaded"}}',
  '{"inferenceError":{"_0":{"requestID":"req-2","errorMessage":"Queue is full","code":"queue_full"}}}',
  '{"offer":{"fromNodeID":"a","toNodeID":"b","sdp":"v=0"}}',
  '{"offer":{"_0":{"fromNodeID":"a","toNodeID":"b","sdp":"v=0"}}}',
];

const answer = (err: ReturnType<typeof parseError>) => ({ ...err.toJSON(), wire: err.toWire() });

describe.each(FRAMES)("%s", (frame) => {
  const expected = answer(parseError(frame));
  it.each(dataForms(frame))("as %s: same parseError, parseErrorAsync and isErrorFrame", async (_, data) => {
    expect(answer(parseError(data))).toEqual(expected);
    expect(answer(await parseErrorAsync(data))).toEqual(expected);
    expect(isErrorFrame(data)).toBe(isErrorFrame(frame));
    expect(isInferenceError(data)).toBe(isInferenceError(frame));
  });

  it("as a Blob: parseErrorAsync reads it; parseError says to use it", async () => {
    const blob = new Blob([frame]);
    expect(answer(await parseErrorAsync(blob))).toEqual(expected);
    const sync = parseError(blob);
    expect(sync).toMatchObject({ code: "WIREFAULT_MALFORMED", known: false });
    expect(sync.message).toContain("parseErrorAsync");
    expect(sync.raw).toBe(blob);
  });
});

describe("a real peer_not_found over 1 MiB (the relay echoes any id, up to Bun's 16 MiB)", () => {
  const frame = (id: string) =>
    JSON.stringify({ error: { code: "peer_not_found", message: `Peer ${id} is not connected` } });
  const over = frame("n".repeat(1_100_000));
  it.each(dataForms(over))("as %s gets the same answer: refused by size", (_, data) => {
    // The byte count in the message differs only by the padding dataForms adds to typed arrays.
    const { code, known, retryable, action } = parseError(data);
    expect({ code, known, retryable, action }).toEqual({
      code: "WIREFAULT_TOO_LARGE",
      known: false,
      retryable: "no",
      action: "abort",
    });
    expect(isErrorFrame(data)).toBe(false);
  });

  // 6 bytes a char escaped: the cheap pre-check must not pass an object whose JSON is over the cap.
  const escaped = frame("\u0001".repeat(180_000));
  it.each(dataForms(escaped))("escaped text as %s gets the same answer", (_, data) => {
    expect(parseError(data).code).toBe("WIREFAULT_TOO_LARGE");
  });

  const under = frame("n".repeat(1_000_000));
  it.each(dataForms(under))("just under the cap, as %s it is read", (_, data) => {
    expect(parseError(data)).toMatchObject({ code: "peer_not_found", peerNodeId: "n".repeat(1_000_000) });
    expect(isErrorFrame(data)).toBe(true);
  });
});

describe("oversize data", () => {
  const big = JSON.stringify({ error: { code: "peer_not_found", message: "x".repeat(20_000_000) } });
  it.each(dataForms(big))("as %s is refused by size", (_, data) => {
    expect(parseError(data).code).toBe("WIREFAULT_TOO_LARGE");
  });

  it("as a Blob is refused by size without being read", async () => {
    const blob = new Blob([big]);
    blob.arrayBuffer = () => Promise.reject(new Error("must not be read"));
    expect((await parseErrorAsync(blob)).code).toBe("WIREFAULT_TOO_LARGE");
    expect(parseError(blob).code).toBe("WIREFAULT_TOO_LARGE");
  });
});
