// fromResponse's error, made after the body is read: its stack starts at the caller's await.
import { describe, expect, it } from "vitest";
import { defineCatalog } from "./catalog.js";
import { ProtocolError } from "./error.js";
import { field } from "./field.js";
import { defineProtocol, overHttp } from "./protocol.js";

const catalog = defineCatalog([
  { surface: "api", code: "busy", name: "Busy", retryable: "yes", action: "retry", summary: "Try later." },
] as const);

const api = defineProtocol({
  name: "api",
  title: "API",
  maxBytes: 1024,
  catalog,
  http: overHttp("api"),
  readers: [
    (value) => {
      const code = field(value, "error");
      return typeof code === "string" ? { surface: "api", code, message: "busy now" } : undefined;
    },
  ],
  create: (init) => new ProtocolError(init),
});

async function callersOwnCode(body: string | null): Promise<Error> {
  return await api.fromResponse(new Response(body, { status: 503 }));
}

describe("fromResponse's stack", () => {
  it("starts at the caller's await, with none of core's frames, whatever the body made", async () => {
    for (const body of ['{"error":"busy"}', "not json", null]) {
      const err = await callersOwnCode(body);
      // The sync stack is the event loop's own (a microtask, or processTicksAndRejections); then the caller.
      expect(err.stack, String(body)).toMatch(/^\s+at async callersOwnCode /m);
      expect(err.stack).not.toMatch(/fromBody|parseSafely|atCaller|readResponse/);
    }
  });
});
