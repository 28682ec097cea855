// The same relay message must get the same answer in every form a WebSocket
// library hands it over in, a browser's Blob included (through the async path).
import { dataForms } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { MAX_ERROR_BYTES } from "./catalog.js";
import { isErrorMessage, messageType, parseError, parseErrorAsync } from "./protocol.js";

const FRAMES = [
  '{"type":"error","event_id":"evt-1","error":"Agent crashed","code":"AGENT_ERROR"}',
  '{"type":"error","code":"AGENT_OFFLINE","message":"The agent is offline","event_id":"evt-2"}',
  '{"type":"error","code":"RATE_LIMITED","message":"Slow down","retry_after":3}',
  '{"type":"event","event_id":"evt-3","app_id":"a","thread_id":"t","payload":{}}',
];

const answer = (err: ReturnType<typeof parseError>) => ({ ...err.toJSON(), wire: err.toWire() });

describe.each(FRAMES)("%s", (frame) => {
  const expected = answer(parseError(frame));
  it.each(dataForms(frame))(
    "as %s: same parseError, parseErrorAsync, isErrorMessage and messageType",
    async (_, data) => {
      expect(answer(parseError(data))).toEqual(expected);
      expect(answer(await parseErrorAsync(data))).toEqual(expected);
      expect(isErrorMessage(data)).toBe(isErrorMessage(frame));
      expect(messageType(data)).toBe(messageType(JSON.parse(frame)));
    },
  );

  it("as a Blob: parseErrorAsync reads it; parseError says to use it", async () => {
    const blob = new Blob([frame]);
    expect(answer(await parseErrorAsync(blob))).toEqual(expected);
    const sync = parseError(blob);
    expect(sync).toMatchObject({ code: "WIREFAULT_MALFORMED", known: false });
    expect(sync.message).toContain("parseErrorAsync");
  });
});

describe("oversize data", () => {
  const big = JSON.stringify({ type: "error", code: "AGENT_ERROR", error: "x".repeat(MAX_ERROR_BYTES) });
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
