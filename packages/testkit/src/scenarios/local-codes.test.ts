// Issue 27: wirefault's own local codes cannot be forged, a definition is
// checked when it is built, a throwing error class never makes a parser throw,
// and parseErrorAsync never rejects nor follows a thenable. Each was
// reproduced against the built packages before the fix.

import * as atlas from "@wirefault/atlas";
import * as ckg from "@wirefault/ckg-relay";
import { isLocalCode, isProtocolError, MALFORMED, ProtocolError, TOO_LARGE } from "@wirefault/core";
import { defineProtocol } from "@wirefault/core/protocol";
import * as teale from "@wirefault/teale-relay";
import * as telemetry from "@wirefault/telemetry-server";
import * as tryll from "@wirefault/tryll";
import { FrameReader } from "@wirefault/tryll/frame";
import { describe, expect, it } from "vitest";

/** What a reader compares: the fields two errors would be told apart by. */
const face = (err: ProtocolError) => ({
  code: err.code,
  known: err.known,
  retryable: err.retryable,
  action: err.action,
  local: err.local,
});

// A peer's payload whose code spells a local code, and what wirefault raises for unreadable input.
const FORGED: [name: string, forged: () => ProtocolError, own: () => ProtocolError][] = [
  [
    "teale relay frame",
    () => teale.parseError({ error: { code: MALFORMED, message: "Could not decode relay message" } }),
    () => teale.parseError("not json"),
  ],
  [
    "teale API body",
    () => teale.parseError({ error: { message: "m", type: TOO_LARGE, code: TOO_LARGE } }, { status: 400 }),
    () => teale.parseError("x".repeat(teale.MAX_BYTES + 1), { status: 400 }),
  ],
  [
    "telemetry top-level body",
    () => telemetry.parseError({ error: MALFORMED }),
    () => telemetry.parseError("not json"),
  ],
  [
    "ckg error message",
    () => ckg.parseError({ type: "error", code: TOO_LARGE, message: "m" }),
    () => ckg.parseError("x".repeat(ckg.protocol.maxBytes + 1)),
  ],
  [
    "atlas zone.error",
    () => atlas.parseError({ type: "zone.error", code: MALFORMED, message: "m" }),
    () => atlas.parseError("not json"),
  ],
];

describe("a peer cannot forge wirefault's own local codes", () => {
  it.each(FORGED)(
    "%s: the peer's code is its own unknown code, and only wirefault's error is local",
    (_, forged, own) => {
      const theirs = forged();
      const ours = own();
      expect(isLocalCode(theirs.code)).toBe(true);
      expect(theirs.known).toBe(false);
      expect(theirs.local).toBe(false);
      expect(ours.local).toBe(true);
      expect(face(theirs)).not.toEqual(face(ours));
    },
  );

  it("no payload can set the marker: it is not a field of the wire, the init's details or toJSON()", () => {
    const err = teale.parseError({ error: { code: MALFORMED, message: "m", local: true, peerNodeId: "x" } });
    expect(err.local).toBe(false);
    expect(Object.keys(err.toJSON())).not.toContain("local");
    const inference = teale.parseError({
      inferenceError: { requestID: "r", errorMessage: "m", code: TOO_LARGE, local: true },
    });
    expect(inference.local).toBe(false);
  });

  it("toWire() gives the peer's forged frame back as it came, and wirefault's own error none", () => {
    const frame = { error: { code: MALFORMED, message: "Could not decode relay message" } };
    expect(teale.parseError(frame).toWire()).toEqual(frame);
    expect(teale.parseError("junk").toWire()).toBeUndefined();
    // Atlas answers its own TOO_LARGE with 2002; a peer's zone.error keeps its code.
    const zone = { type: "zone.error", code: TOO_LARGE, message: "m" };
    expect(atlas.parseError(zone).toWire()).toEqual(zone);
    expect(atlas.parseError("x".repeat(atlas.MAX_JSON_BYTES + 1)).toWire()).toMatchObject({ code: 2002 });
  });

  it("a Tryll error raised by the frame reader is local; a numeric code never is", () => {
    const reader = new FrameReader();
    reader.push(new Uint8Array(8));
    expect(reader.error?.local).toBe(true);
    expect(tryll.parseError({ code: 5001, message: "m" }).local).toBe(false);
  });
});

const catalog = [
  { surface: "s", code: "A", name: "A", retryable: "no", action: "abort", summary: "a" },
  { surface: "s", code: "B", name: "B", retryable: "yes", action: "retry", summary: "b" },
] as const;
const base = {
  name: "sample",
  title: "Sample",
  maxBytes: 1024,
  catalog,
  readers: [(value: unknown) => ({ surface: "s", code: (value as { code?: string })?.code })],
  errorClass: () => ProtocolError,
};

describe("defineProtocol checks its definition when it is built", () => {
  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["0", 0],
    ["-1", -1],
    ["1.5", 1.5],
    ["a string", "1024"],
  ])("a maxBytes of %s is refused (it would mean no cap, or none at all)", (_, maxBytes) => {
    expect(() => defineProtocol({ ...base, maxBytes: maxBytes as number })).toThrow(
      /^defineProtocol\("sample"\): maxBytes must be a positive integer/,
    );
  });

  it("duplicate or colliding codes are refused, every problem in one error", () => {
    const dup = [...catalog, { ...catalog[0], summary: "again" }];
    expect(() => defineProtocol({ ...base, catalog: dup })).toThrow('code "A" is repeated');
    const local = [...catalog, { ...catalog[0], code: MALFORMED, name: "M" }];
    expect(() => defineProtocol({ ...base, catalog: local })).toThrow(
      'code "WIREFAULT_MALFORMED" spells a wirefault local code',
    );
    const all = () =>
      defineProtocol({
        ...base,
        maxBytes: Number.NaN,
        catalog: dup,
        aliases: { B: "A", c: "Z" } as never,
        unlisted: [{ surface: "s", code: "A", retryable: "no", action: "abort", summary: "x" }],
      });
    expect(all).toThrow(TypeError);
    const message = (() => {
      try {
        all();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const part of [
      "maxBytes must be a positive integer, got NaN",
      'code "A" is repeated',
      'alias "B" must stand for a catalog code, and be none',
      'alias "c" must stand for a catalog code',
      'unlisted code "A" is in the catalog',
    ])
      expect(message).toContain(part);
  });

  it("a definition that is right builds", () => {
    expect(defineProtocol(base).parseError({ code: "B" })).toMatchObject({ code: "B", known: true, local: false });
  });
});

describe("a class, a class picker or a refine that throws", () => {
  class Broken extends ProtocolError {
    constructor() {
      super({ code: "x", message: "x", retryable: "no", action: "abort", known: false });
      throw new Error("the package's class is broken");
    }
  }
  const fails = (): never => {
    throw new Error("the package's hook is broken");
  };
  const brokens = {
    errorClass: defineProtocol({ ...base, errorClass: fails }),
    constructor: defineProtocol({ ...base, errorClass: () => Broken }),
    refine: defineProtocol({ ...base, refine: fails }),
  };

  it.each(Object.entries(brokens))(
    "(%s) gives a core ProtocolError from parseError, fromClose and every local error: nothing throws",
    async (_, broken) => {
      for (const err of [
        broken.parseError({ code: "B" }),
        broken.parseError({ code: "B" }, { stack: false }),
        broken.parseError("not json"),
        broken.fromClose(1006),
        broken.localError(MALFORMED, "m"),
        await broken.parseErrorAsync({ code: "A" }),
        await broken.fromResponse(new Response("{}", { status: 503 })),
      ]) {
        expect(isProtocolError(err)).toBe(true);
        expect(Object.getPrototypeOf(err)).toBe(ProtocolError.prototype);
        expect(err.protocol).toBe("sample");
      }
      expect(broken.parseError({ code: "B" })).toMatchObject({ code: "B", known: true, retryable: "yes" });
    },
  );
});

describe("parseErrorAsync never rejects, and never follows a thenable", () => {
  const revoked = (() => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  })();
  // biome-ignore lint/suspicious/noThenProperty: the hostile input under test.
  const throwingThen = Object.defineProperty({}, "then", {
    get() {
      throw new Error("then getter");
    },
  });
  let followed = false;
  const thenable = {
    // biome-ignore lint/suspicious/noThenProperty: the hostile input under test.
    then(resolve: (value: unknown) => void) {
      followed = true;
      resolve({ error: { code: "peer_not_found", message: "Peer a is not connected" } });
    },
  };

  it.each([teale, telemetry, ckg, atlas, tryll] as const)(
    "%#: a revoked Proxy, a throwing then getter, a thenable",
    async (pkg) => {
      for (const input of [revoked, throwingThen, thenable]) {
        const err = await pkg.parseErrorAsync(input).catch((e: unknown) => ({ rejected: e }));
        expect(isProtocolError(err)).toBe(true);
        expect((err as ProtocolError).code).toBe(MALFORMED);
      }
      expect(followed).toBe(false);
    },
  );
});
