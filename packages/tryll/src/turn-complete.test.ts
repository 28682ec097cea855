import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeErrorFrame, encodeTurnCompleteFrame, readTurnComplete, TurnStatus } from "./frame.js";

describe("readTurnComplete", () => {
  it("reads every field of a turn, whatever its status", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.constantFrom(TurnStatus.Success, TurnStatus.Error, TurnStatus.Cancelled),
        fc.nat(2 ** 32 - 1),
        (requestId, agentId, status, tokensGenerated) => {
          const frame = encodeTurnCompleteFrame({ requestId, agentId, status, tokensGenerated, debugInfo: "d" });
          expect(readTurnComplete(frame)).toEqual({
            request_id: requestId,
            agent_id: agentId,
            status,
            debug_info: "d",
            tokens_generated: tokensGenerated,
          });
        },
      ),
    );
  });

  it("is undefined for an ErrorResponse, a truncated or corrupt frame, and never throws", () => {
    const turn = encodeTurnCompleteFrame({ requestId: 7n, agentId: 2n, status: TurnStatus.Success });
    expect(readTurnComplete(encodeErrorFrame({ code: 3004, message: "busy", requestId: 7n, agentId: 2n }))).toBe(
      undefined,
    );
    expect(readTurnComplete(turn.subarray(0, turn.byteLength - 1))).toBeUndefined();
    expect(readTurnComplete(turn.slice().buffer as ArrayBuffer)).toMatchObject({
      request_id: 7n,
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const frame = new Uint8Array(4 + bytes.byteLength);
        new DataView(frame.buffer).setUint32(0, bytes.byteLength, true);
        frame.set(bytes, 4);
        expect(() => readTurnComplete(frame)).not.toThrow();
      }),
    );
    expect(readTurnComplete("x" as never)).toBeUndefined();
  });
});
