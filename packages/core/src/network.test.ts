// One network table: the same error gets the same verdict from isRetryable, parseError,
// fromResponse and fromSocketError, over every network code Node and undici raise.
import { describe, expect, it } from "vitest";
import { defineCatalog } from "./catalog.js";
import { isRetryable } from "./classify.js";
import { ABORTED, NETWORK, ProtocolError, TIMEOUT } from "./error.js";
import { NETWORK_CODES, networkFailure } from "./network.js";
import { defineProtocol, overHttp, overSocket } from "./protocol.js";

// The codes a client sees when the network, not the server, failed: Node's system errors and undici's.
const CODES = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
];

// biome-ignore format: one row per code
const catalog = defineCatalog([
  { surface: "socket", code: 1, name: "Unreachable", retryable: "yes", action: "reconnect", summary: "Could not connect." },
  { surface: "socket", code: 2, name: "Dropped", retryable: "yes", action: "reconnect", summary: "The connection dropped." },
  { surface: "socket", code: 3, name: "TimedOut", retryable: "yes", action: "reconnect", summary: "No answer in time." },
] as const);

const wire = defineProtocol({
  name: "wire",
  title: "Wire",
  maxBytes: 1024,
  catalog,
  http: overHttp("api"),
  socket: overSocket({ surface: "socket", unreachable: 1, dropped: 2, timeout: 3, other: 0 }),
  readers: [],
  errorClass: () => ProtocolError,
});

const systemError = (code: string) => Object.assign(new Error(`${code} on 127.0.0.1:9`), { code });
// What fetch() rejects with in Node: a TypeError whose cause is the system or undici error.
const fetchFailure = (code: string) => new TypeError("fetch failed", { cause: systemError(code) });
const brokenBody = (error: Error) =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"err'));
        controller.error(error);
      },
    }),
    { status: 200 },
  );

describe("one network table", () => {
  it("holds every network code, and nothing else", () => {
    expect(Object.keys(NETWORK_CODES).filter((code) => !CODES.includes(code))).toEqual([
      "ERR_SOCKET_CLOSED",
      "ESOCKETTIMEDOUT",
    ]);
    for (const code of CODES) expect(NETWORK_CODES[code], code).toBeDefined();
    expect(networkFailure(systemError("ERR_TLS_CERT_ALTNAME_INVALID"))).toBeUndefined();
  });

  it.each(CODES)(
    "%s: the same verdict from isRetryable, parseError, fromResponse and fromSocketError",
    async (code) => {
      for (const error of [systemError(code), fetchFailure(code)]) {
        const verdict = isRetryable(error);
        expect(verdict).toBe(true);
        const parsed = wire.parseError(error);
        const read = await wire.fromResponse(brokenBody(error));
        const socket = wire.fromSocketError(error);
        expect([isRetryable(parsed), isRetryable(read), isRetryable(socket)]).toEqual([verdict, verdict, verdict]);
        const local = NETWORK_CODES[code] === "timeout" ? TIMEOUT : NETWORK;
        expect(parsed).toMatchObject({ code: local, known: false, retryable: "yes", action: "retry" });
        expect(read).toMatchObject({ code: local, status: 200, retryable: "yes", action: "retry" });
        expect(socket).toMatchObject({
          code: { unreachable: 1, dropped: 2, timeout: 3 }[NETWORK_CODES[code]!],
          known: true,
        });
        // A cause is kept as a masked copy, never the live object (issue 26).
        expect(parsed.cause).not.toBe(error);
        expect(parsed.cause).toMatchObject({ name: error.name, message: error.message });
      }
    },
  );

  it("a plain fetch failure with no code is the network's; the caller's abort is never retried, anywhere", async () => {
    const failed = new TypeError("fetch failed");
    expect([isRetryable(failed), isRetryable(wire.parseError(failed))]).toEqual([true, true]);
    expect(wire.parseError(failed).code).toBe(NETWORK);
    // An abort wins over a network code further down its cause chain: the caller chose to stop.
    const wrapped = Object.assign(new Error("aborted", { cause: systemError("ECONNRESET") }), { name: "AbortError" });
    for (const abort of [new DOMException("stop", "AbortError"), wrapped]) {
      expect(isRetryable(abort)).toBe(false);
      expect(wire.parseError(abort)).toMatchObject({ code: ABORTED, retryable: "no", action: "abort" });
      expect(await wire.fromResponse(brokenBody(abort))).toMatchObject({ code: ABORTED, retryable: "no" });
      expect(wire.fromSocketError(abort)).toMatchObject({ code: 0, retryable: "no" });
    }
  });

  it("a timeout by name is WIREFAULT_TIMEOUT and retryable everywhere", async () => {
    const timeout = new DOMException("The operation timed out.", "TimeoutError");
    expect(isRetryable(timeout)).toBe(true);
    expect(wire.parseError(timeout)).toMatchObject({ code: TIMEOUT, retryable: "yes" });
    expect(await wire.fromResponse(brokenBody(timeout))).toMatchObject({ code: TIMEOUT, retryable: "yes" });
    expect(wire.fromSocketError(timeout)).toMatchObject({ code: 3, retryable: "yes" });
  });

  it("an error that is no network failure stays what it was: not retried, and a payload never reads as one", () => {
    const bug = new TypeError("x is not a function");
    expect(isRetryable(bug)).toBe(false);
    expect(wire.parseError(bug).code).toBe("WIREFAULT_MALFORMED");
    // A decoded payload with a network-looking code is a payload, not a thrown error.
    expect(wire.parseError({ code: "ECONNRESET" }).code).toBe("WIREFAULT_MALFORMED");
  });
});
