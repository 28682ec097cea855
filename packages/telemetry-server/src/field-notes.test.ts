// What the real telemetry server (Fastify 5, zod 3) and its Rust port send (FIELD-NOTES.md), beyond
// the shapes the conformance suite round-trips (protocol.test.ts).
import { describe, expect, it } from "vitest";
import { parseBatchResponse } from "./batch.js";

describe("a 207 answer as the server sends it", () => {
  it("a 207 entry keeps its seq as sent: a number stays a number, a string a string", () => {
    const body = JSON.parse(
      '{"accepted":1,"errors":[{"seq":6,"error":"Device not found: ab12"},{"seq":"7","error":"Invalid signature for device ab12"}]}',
    );
    const { errors } = parseBatchResponse(207, body, { sent: 3 });
    expect(errors.map((e) => e.seq)).toEqual(["6", "7"]);
    expect(errors.map((e) => JSON.stringify(e.toWire()))).toEqual([
      '{"seq":6,"error":"Device not found: ab12"}',
      '{"seq":"7","error":"Invalid signature for device ab12"}',
    ]);
  });
});
