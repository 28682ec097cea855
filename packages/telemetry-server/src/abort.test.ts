// A response whose body stalls (the server sent its headers and a few bytes,
// then nothing), read under the caller's signal: the caller's abort, whatever
// its reason, is WIREFAULT_ABORTED, not the status's guess at a body never read.
import { Readable } from "node:stream";
import { ABORTED, TIMEOUT } from "@wirefault/core";
import { describe, expect, it } from "vitest";
import { readBatchResponse } from "./batch.js";
import { TelemetryServerError } from "./error.js";
import { fromResponse } from "./protocol.js";

/** A real Response over a Node stream that sends part of a body, then never another byte nor its end. */
function stalled(status: number): { res: Response; source: Readable } {
  const source = new Readable({ read() {} });
  source.push('{"error":"internal');
  const res = new Response(Readable.toWeb(source) as ReadableStream<Uint8Array>, {
    status,
    headers: { "content-type": "application/json", "retry-after": "2" },
  });
  return { res, source };
}

describe("fromResponse under the caller's signal", () => {
  it.each([
    ["an Error", new Error("user left"), { name: "Error", message: "user left" }],
    ["a string", "bye", "bye"],
    ["null", null, null],
  ])(
    "a stalled 500 aborted with %s is WIREFAULT_ABORTED, not the bare 500's internal_error",
    async (_, reason, kept) => {
      const { res, source } = stalled(500);
      const controller = new AbortController();
      const pending = fromResponse(res, { signal: controller.signal });
      setImmediate(() => controller.abort(reason));
      const err = await pending;
      expect(err).toBeInstanceOf(TelemetryServerError);
      expect(err).toMatchObject({ code: ABORTED, retryable: "no", action: "abort", status: 500, retryAfterMs: 2000 });
      // The reason is kept as cause, an Error as a masked copy.
      expect(err.cause).toEqual(kept === null || typeof kept === "string" ? kept : expect.objectContaining(kept));
      // The abort cancelled the body, so the Node stream was destroyed, not left open.
      await new Promise((resolve) => setImmediate(resolve));
      expect(source.destroyed).toBe(true);
    },
  );

  it("AbortSignal.timeout() is WIREFAULT_TIMEOUT, as the docs map a TimeoutError", async () => {
    const err = await fromResponse(stalled(503).res, { signal: AbortSignal.timeout(1) });
    expect(err).toMatchObject({ code: TIMEOUT, retryable: "yes", action: "retry", status: 503 });
  });

  it("a 207 batch answer aborted mid-body is WIREFAULT_ABORTED too", async () => {
    const controller = new AbortController();
    const pending = readBatchResponse(stalled(207).res, { signal: controller.signal });
    setImmediate(() => controller.abort(new Error("user left")));
    const result = await pending;
    expect(result).toMatchObject({ status: 207, accepted: 0, errors: [], error: { code: ABORTED, status: 207 } });
  });
});
