// The one suite every protocol package runs against its definition: what
// core promises for all five (never throws, round trips, the cap, the status
// fallback, cut-off bodies, closes, the exhaustive switch) is checked the same
// way for each, so a package cannot drift from the others. Its expectations are
// data written from the protocol pages, never read from the code it checks.

import { readdirSync, readFileSync } from "node:fs";
import {
  type CatalogEntry,
  escapeControls,
  isProtocolError,
  MALFORMED,
  NETWORK,
  type ProtocolError,
  TOO_LARGE,
} from "@wirefault/core";
import type { DefinedProtocol } from "@wirefault/core/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byteForms, dataForms } from "./forms.js";
import { revokedProxy, throwingGetters, trapProxy } from "./hostile.js";
import { cutOffResponse } from "./response.js";
import { stackProblems } from "./stack.js";
import { describeExhaustive } from "./typecheck.js";

/** What a package tells the suite beyond its definition. */
export interface ConformanceOptions {
  /** The package's `src/` folder (`new URL(".", import.meta.url)`): the README's switch compiles from there against `./index.js`. */
  readonly dir?: URL;
  /** The payload a peer sends for a catalog row, spelling its code as `code`; undefined where no peer sends one (errors raised locally). */
  readonly wire: (entry: CatalogEntry, code: string | number) => unknown;
  /**
   * Real messages off the wire, traffic among them: each must get the same
   * answer from parseError, parseErrorAsync and every predicate in every form
   * a WebSocket library hands it over in, a browser's Blob included.
   */
  readonly messages?: readonly string[];
  /**
   * Error events of a stream the server had begun, as server-sent-event text
   * (`data: {...}`, `event: error` then `data: {...}`): each must read as the same
   * documented error with `midStream: true` in every byte form, and as an SSE
   * parser's `{ event, data }`, and `toWire()` must give back the event's data.
   */
  readonly streams?: readonly string[];
  /** The package's own predicates on a message (`isErrorFrame`…), checked alike in every form. */
  readonly predicates?: Readonly<Record<string, (data: unknown) => unknown>>;
  /** The parser to check, when it is not the definition's own (a codec's entry point). */
  readonly parseError?: (input: unknown, context?: { status?: number; stack?: boolean }) => ProtocolError;
  /**
   * What the real implementations send (FIELD-NOTES.md), each with the status it came with:
   * each must read as a code of the protocol and `toWire()` must give it back byte for byte,
   * or as `masked` when the body echoes a secret.
   */
  readonly fieldNotes?: readonly (readonly [body: string, status?: number, masked?: string])[];
  /**
   * The error class's own fields: payloads whose reading sets them (with a secret or a control
   * character in one), and what each must read as, masked. A payload without them carries none.
   */
  readonly details?: readonly {
    readonly payload: unknown;
    readonly expected: Readonly<Record<string, unknown>>;
    /** The same error without them. */
    readonly without: unknown;
  }[];
}

/** What a status or a code must give. */
interface Expected {
  readonly retryable: "yes" | "no" | "maybe";
  readonly action: string;
}

const expected = (retryable: Expected["retryable"], action: string): Expected => ({ retryable, action });

/**
 * What a body that names no code must give with each status, written from the pages (CKG
 * Relay's table: 429 and 503 yes, 504 and 500 maybe-or-better, 400, 403, 404 and 413 no; the
 * telemetry server's 400, 404, 409 and 500; Teale's 401 and 503) and HTTP's own meaning of
 * the rest (RFC 9110: 408 and the gateway errors may pass). A protocol's catalog row with
 * `bareStatus` stands for its status instead.
 */
export const STATUS_EXPECTED: Readonly<Record<number, Expected>> = Object.freeze({
  400: expected("no", "fix-request"),
  401: expected("no", "user-action"),
  403: expected("no", "user-action"),
  404: expected("no", "fix-request"),
  408: expected("yes", "retry"),
  409: expected("no", "fix-request"),
  413: expected("no", "fix-request"),
  429: expected("yes", "throttle"),
  500: expected("maybe", "retry"),
  502: expected("yes", "retry"),
  503: expected("yes", "retry"),
  504: expected("yes", "retry"),
});

// Core's own fields, which a payload's keys may share.
const CORE_FIELDS = new Set(["code", "message", "status", "protocol", "surface", "known", "retryable", "action"]);

/** Fields as toJSON() shows them: a bigint as its digits. */
// A field kept as received prints escaped: toJSON() shows its strings through escapeControls.
const asJson = (fields: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify(fields, (_key, value) =>
      typeof value === "bigint" ? `${value}` : typeof value === "string" ? escapeControls(value) : value,
    ),
  );

/** The fields every answer is compared on. */
const answer = (err: ProtocolError) => ({
  code: err.code,
  known: err.known,
  retryable: err.retryable,
  action: err.action,
  status: err.status,
});

// What every package holds, in files of these names: its catalog, its error class, its readers, its
// definition (protocol.ts), its wire shapes, and the properties its tests check.
const LAYOUT = ["catalog", "error", "readers", "protocol", "wire"];

// The statuses whose readings differ: a throttle, transient and permanent server errors, the client errors.
const STATUSES = Object.keys(STATUS_EXPECTED).map(Number);

/** Runs the shared conformance suite on a protocol built by `defineProtocol`. */
export function describeConformance(protocol: DefinedProtocol, options: ConformanceOptions): void {
  const parseError = options.parseError ?? protocol.parseError;
  const rows = protocol.catalog.flatMap((entry) => {
    const payload = options.wire(entry, entry.code);
    return payload === undefined ? [] : [{ entry, payload }];
  });
  // The reading core gives a body that names no code, with a status.
  const bare = (status: number) => protocol.catalog.find((e) => e.bareStatus && e.status === status);
  const byStatus = (status: number): Expected => {
    const row = bare(status);
    return row ? { retryable: row.retryable, action: row.action } : (STATUS_EXPECTED[status] as Expected);
  };

  describe(`${protocol.name} conforms to core's protocol contract`, () => {
    it("is named, capped and has a catalog a peer can send", () => {
      expect(protocol.maxBytes).toBeGreaterThan(0);
      expect(rows.length).toBeGreaterThan(0);
      // Every code is unique, and its constant name is set (the code itself, where the row gives none).
      expect(new Set(protocol.catalog.map((e) => e.code)).size).toBe(protocol.catalog.length);
      expect(protocol.catalog.filter((e) => typeof e.name !== "string" || e.name === "")).toEqual([]);
    });

    it("every documented code a peer sends reads back as its row, in every data form", () => {
      for (const { entry, payload } of rows) {
        const expected = { code: entry.code, known: true, retryable: entry.retryable, action: entry.action };
        const err = parseError(payload);
        expect({ ...answer(err), status: undefined }).toMatchObject({ ...expected, status: undefined });
        expect(err.surface).toBe(entry.surface);
        expect(err.protocol).toBe(protocol.name);
        if (typeof payload !== "object" || payload === null || ArrayBuffer.isView(payload)) continue;
        for (const [form, data] of dataForms(JSON.stringify(payload)))
          expect({ form, ...answer(parseError(data)) }).toEqual({ form, ...answer(err) });
      }
    });

    it("the stack is the function the caller called, then the caller's own frame", async () => {
      function callersFrame(entry: string): ProtocolError {
        if (entry === "fromClose") return protocol.fromClose(1006);
        if (entry === "localError") return protocol.localError(MALFORMED, "m");
        return parseError(rows[0]?.payload, { stack: true });
      }
      const entries = ["parseError", "localError", ...(protocol.closes.length > 0 ? ["fromClose"] : [])];
      for (const entry of entries)
        expect({
          entry,
          problems: stackProblems(callersFrame(entry).stack, { entry, caller: "callersFrame" }),
        }).toEqual({ entry, problems: [] });
      if (!protocol.http) return;
      async function callersOwnCode(): Promise<ProtocolError> {
        return await protocol.fromResponse(new Response(null, { status: 503 }));
      }
      const shape = { entry: "fromResponse", caller: "async callersOwnCode", awaited: true };
      expect(stackProblems((await callersOwnCode()).stack, shape)).toEqual([]);
    });

    it("stack: false skips the stack and nothing else, on every documented code and an unknown one", () => {
      const limit = Error.stackTraceLimit;
      for (const payload of [...rows.map((row) => row.payload), "{}", "not json"]) {
        const err = parseError(payload, { stack: false });
        const usual = parseError(payload);
        expect(err.stack).toBe(`${err.name}: ${err.message}`);
        expect({ ...err.toJSON(), stack: err.stack }).toEqual({ ...usual.toJSON(), stack: err.stack });
        expect(err.raw).toEqual(usual.raw);
        expect(Error.stackTraceLimit).toBe(limit);
      }
      // With a status, as over HTTP.
      const status = STATUSES[0] as number;
      expect(answer(parseError(rows[0]?.payload, { status, stack: false }))).toEqual(
        answer(parseError(rows[0]?.payload, { status })),
      );
    });

    for (const message of options.messages ?? []) {
      const full = (err: ProtocolError & { toWire?: () => unknown }) => ({
        ...err.toJSON(),
        wire: typeof err.toWire === "function" ? err.toWire() : undefined,
      });
      const expected = full(parseError(message));
      const said = (data: unknown) =>
        Object.fromEntries(Object.entries(options.predicates ?? {}).map(([name, test]) => [name, test(data)]));
      it(`${message.slice(0, 60)}: the same answer in every data form, a Blob included`, async () => {
        for (const [form, data] of dataForms(message)) {
          expect({ form, ...full(parseError(data)) }).toEqual({ form, ...expected });
          expect({ form, ...full(await protocol.parseErrorAsync(data)) }).toEqual({ form, ...expected });
          expect({ form, ...said(data) }).toEqual({ form, ...said(message) });
        }
        const blob = new Blob([message]);
        expect(full(await protocol.parseErrorAsync(blob))).toEqual(expected);
        const sync = parseError(blob);
        expect(sync).toMatchObject({ code: MALFORMED, known: false });
        expect(sync.message).toContain("parseErrorAsync");
        expect(sync.raw).toBe(blob);
      });
    }

    if (options.fieldNotes !== undefined) {
      const fieldNotes = options.fieldNotes;
      describe("what the real implementations send (FIELD-NOTES.md) reads as the protocol's, and round-trips", () => {
        it.each(fieldNotes.map(([body, status, masked]) => [body.slice(0, 90), body, status, masked] as const))(
          "%s",
          (_name, body, status, masked) => {
            const context = status === undefined ? undefined : { status };
            const err = parseError(body, context) as ProtocolError & { toWire?: () => unknown };
            expect(err.code).not.toBe(MALFORMED);
            expect(err.protocol).toBe(protocol.name);
            expect(typeof err.toWire).toBe("function");
            const wire = err.toWire?.();
            expect(JSON.stringify(wire)).toBe(masked ?? body);
            const again = parseError(wire, context) as ProtocolError & { toWire?: () => unknown };
            expect(JSON.stringify(again.toWire?.())).toBe(masked ?? body);
          },
        );
      });
    }

    if (options.details !== undefined) {
      const cases = options.details;
      it("its class's own fields are read masked, kept as received, escaped in toJSON(), and absent when the wire had none", () => {
        const plain = parseError(rows[0]?.payload);
        // The class's name is its prototype's, so it survives minification and is no field of its own.
        expect(plain.name).not.toBe("Error");
        expect(Object.hasOwn(plain, "name")).toBe(false);
        for (const { payload, expected: fields, without } of cases) {
          const err = parseError(payload);
          expect(err).toMatchObject(fields);
          expect(err.toJSON()).toMatchObject(asJson(fields));
          const bare = parseError(without);
          expect(bare.code).toBe(err.code);
          for (const key of Object.keys(fields)) {
            expect(Object.keys(bare)).not.toContain(key);
            expect(bare.toJSON()).not.toHaveProperty(key);
          }
          // Only listed fields ride along: nothing else of the payload becomes a field.
          const unlisted = Object.keys(Object(payload)).filter((key) => !(key in fields) && !CORE_FIELDS.has(key));
          expect(Object.keys(err).filter((key) => unlisted.includes(key))).toEqual([]);
        }
      });
    }

    for (const text of options.streams ?? []) {
      it(`stream event ${JSON.stringify(text.slice(0, 50))}: read with midStream in every form`, async () => {
        const expected = parseError(text) as ProtocolError & { toWire?: () => unknown };
        expect(expected).toMatchObject({ known: true, midStream: true });
        // The event's data, as the server sent it: what toWire() gives back.
        const line = text.split(/\r\n|\r|\n/).find((l) => l.startsWith("data:")) ?? "";
        const data = line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
        const event = /^event: ?(.*)$/m.exec(text)?.[1];
        if (typeof expected.toWire === "function") expect(JSON.stringify(expected.toWire())).toBe(data);
        const forms = [...byteForms(text), ["SSE parser's event", { event, data }] as [string, unknown]];
        for (const [form, input] of forms) {
          expect({ form, ...answer(parseError(input)), midStream: parseError(input).midStream }).toEqual({
            form,
            ...answer(expected),
            midStream: true,
          });
          expect({ form, ...answer(await protocol.parseErrorAsync(input)) }).toEqual({ form, ...answer(expected) });
        }
      });
    }

    it("every alias reads as the code it stands for", () => {
      for (const [alias, code] of Object.entries(protocol.aliases ?? {})) {
        const entry = protocol.catalog.find((e) => e.code === code) as CatalogEntry;
        const payload = options.wire(entry, alias);
        if (payload === undefined) continue;
        expect(parseError(payload)).toMatchObject({ code, known: true });
      }
    });

    it("toWire() gives back what parses to the same error", () => {
      for (const { payload } of rows) {
        const err = parseError(payload) as ProtocolError & { toWire?: () => unknown };
        if (typeof err.toWire !== "function") continue;
        expect(answer(parseError(err.toWire()))).toEqual(answer(err));
      }
    });

    it("an unknown code is kept, known: false; over HTTP its status classifies it", () => {
      const { entry } =
        rows.find(({ entry }) => entry.surface === (protocol.http?.surface ?? entry.surface)) ?? rows[0]!;
      const code = typeof entry.code === "number" ? 4_000_000_000 : "wirefault_conformance_unknown";
      const payload = options.wire(entry, code);
      expect(parseError(payload)).toMatchObject({ code, known: false });
      if (protocol.http === undefined) return;
      for (const status of STATUSES)
        expect(parseError(payload, { status })).toMatchObject({
          code,
          known: false,
          status,
          ...(STATUS_EXPECTED[status] as Expected),
        });
    });

    it("never throws, and keeps a valid error whatever the context", () => {
      const inputs: unknown[] = [
        undefined,
        null,
        "",
        "{",
        "null",
        "[]",
        0,
        Number.NaN,
        Symbol("x"),
        () => 1,
        new Uint8Array(0),
        [new Uint8Array([1]), 2],
        trapProxy(),
        revokedProxy(),
        throwingGetters(["error", "code", "message", "type"]),
      ];
      for (const input of inputs) {
        const err = parseError(input);
        expect(isProtocolError(err)).toBe(true);
        expect(err.protocol).toBe(protocol.name);
        expect(err.known).toBe(false);
      }
      fc.assert(
        fc.property(fc.anything(), fc.anything(), (input, context) => {
          const err = parseError(input, context as never);
          return isProtocolError(err) && typeof err.message === "string";
        }),
      );
      const { payload, entry } = rows[0]!;
      for (const context of [null, trapProxy(), revokedProxy(), { status: Number.NaN }, { status: 99 }])
        expect(parseError(payload, context as never)).toMatchObject({ code: entry.code, known: true });
    });

    it("input over the cap is refused before it is decoded, in every form; a status still classifies it", async () => {
      const { payload } = rows[0]!;
      const padded =
        typeof payload === "object" && payload !== null && !ArrayBuffer.isView(payload)
          ? { ...payload, wirefault_padding: "x".repeat(protocol.maxBytes) }
          : undefined;
      // A JSON string over the cap even once decoded (its quotes gone).
      const text = padded ? JSON.stringify(padded) : `"${"x".repeat(protocol.maxBytes + 1)}"`;
      // Every form a socket library hands over (typed arrays padded to their element size, offset views,
      // fragments), a Blob, and the decoded object.
      const forms: unknown[] = [
        ...dataForms(text).map(([, data]) => data),
        new Blob([text]),
        ...(padded ? [padded] : []),
      ];
      for (const form of forms) {
        expect(answer(parseError(form))).toEqual({
          code: TOO_LARGE,
          known: false,
          retryable: "no",
          action: "abort",
          status: undefined,
        });
        if (protocol.http !== undefined)
          for (const status of STATUSES)
            expect(answer(parseError(form, { status }))).toEqual({
              code: TOO_LARGE,
              known: false,
              status,
              ...byStatus(status),
            });
      }
      // The async path refuses a Blob over the cap by its size, without reading it.
      const blob = new Blob([text]);
      const unread = () => Promise.reject(new Error("an oversize Blob must not be read"));
      Object.assign(blob, { arrayBuffer: unread, text: unread, bytes: unread, stream: unread });
      expect(answer(await protocol.parseErrorAsync(blob))).toMatchObject({ code: TOO_LARGE, known: false });
    });

    it("a payload that names no code is MALFORMED; over HTTP, its status decides", () => {
      for (const input of ["not json", "{}", "[1,2]"]) {
        expect(parseError(input)).toMatchObject({ code: MALFORMED, known: false, retryable: "no", action: "abort" });
        if (protocol.http === undefined) continue;
        for (const status of STATUSES) {
          const row = bare(status);
          expect(answer(parseError(input, { status }))).toEqual(
            row
              ? { code: row.code, known: true, retryable: row.retryable, action: row.action, status }
              : { code: MALFORMED, known: false, status, ...(STATUS_EXPECTED[status] as Expected) },
          );
        }
      }
    });

    if (protocol.http !== undefined) {
      it("fromResponse reads a body as parseError does, with its status and Retry-After, exactly", async () => {
        for (const { payload } of rows.slice(0, 4)) {
          const text = typeof payload === "string" ? payload : JSON.stringify(payload);
          const res = new Response(text, { status: 503, headers: { "retry-after": "7" } });
          const err = await protocol.fromResponse(res);
          expect(answer(err)).toEqual(answer(parseError(text, { status: 503 })));
          // A hint in the body itself wins over the header; without one, the header's 7 s.
          expect(err.retryAfterMs).toBe(parseError(text).retryAfterMs ?? 7000);
        }
        for (const [body, header, ms] of [
          ["", "7", 7000],
          ["{}", "0", 0],
          ["not json", "120", 120_000],
        ] as const) {
          const err = await protocol.fromResponse(
            new Response(body, { status: 429, headers: { "retry-after": header } }),
          );
          expect(err.retryAfterMs).toBe(ms);
        }
      });

      it("fromResponse: an empty, oversize or cut-off body", async () => {
        for (const status of STATUSES) {
          const empty = await protocol.fromResponse(new Response("", { status }));
          expect(answer(empty)).toEqual(answer(parseError("not json", { status })));
          const big = await protocol.fromResponse(new Response("x".repeat(protocol.maxBytes + 1), { status }));
          expect(answer(big)).toEqual({ code: TOO_LARGE, known: false, status, ...byStatus(status) });
          // Refused on its Content-Length, before a byte is read.
          const headers = { "content-length": String(protocol.maxBytes * 10) };
          const declared = await protocol.fromResponse(new Response("{}", { status, headers }));
          expect(answer(declared)).toEqual(answer(big));
          const { response } = cutOffResponse(status);
          expect(await protocol.fromResponse(response)).toMatchObject({
            code: NETWORK,
            known: false,
            retryable: "yes",
            action: "retry",
            status,
          });
        }
      });

      it("fromResponse never rejects, even on values that are not responses", async () => {
        const odd = {
          get status(): number {
            throw new Error("no");
          },
        };
        for (const value of [null, undefined, {}, { status: "x" }, odd, trapProxy(), revokedProxy()]) {
          const err = await protocol.fromResponse(value as never);
          expect(isProtocolError(err)).toBe(true);
          expect(err).toMatchObject({ code: MALFORMED, known: false, protocol: protocol.name });
        }
      });
    }

    if (protocol.closes.length > 0) {
      it("fromClose reads every close the protocol documents, and a code alone in one way", () => {
        for (const row of protocol.closes) {
          const err = protocol.fromClose(row.code, row.reason);
          expect(err).toMatchObject({
            code: row.code,
            known: true,
            codeName: row.name,
            retryable: row.retryable,
            action: row.action,
            surface: "close",
          });
          expect(protocol.fromClose({ code: row.code, reason: row.reason })).toMatchObject({ codeName: row.name });
          if (row.reason !== undefined)
            expect(protocol.fromClose(row.code, new TextEncoder().encode(row.reason))).toMatchObject({
              codeName: row.name,
            });
        }
        expect(protocol.fromClose(1006).message).toBe("WebSocket closed with code 1006 (ABNORMAL_CLOSURE)");
        expect(protocol.fromClose(4999)).toMatchObject({ code: 4999, known: false, retryable: "no", action: "abort" });
        for (const bad of ["1006", 999, 5000, 1006.5, null, trapProxy()])
          expect(protocol.fromClose(bad)).toMatchObject({ code: MALFORMED, known: false });
      });
    }
  });

  if (options.dir === undefined) return;
  const dir = options.dir;
  it("has the layout every protocol package shares: the same files, each with its tests beside it", () => {
    const files = new Set(readdirSync(dir));
    const missing = LAYOUT.flatMap((name) => [`${name}.ts`, `${name}.test.ts`]).filter((file) => !files.has(file));
    expect(missing).toEqual([]);
    expect(files.has("index.ts")).toBe(true);
    // A test file beside its source tests it: a placeholder that imports nothing of it does not count.
    const untested = LAYOUT.filter((name) => !importsItsSource(new URL(`${name}.test.ts`, dir), name));
    expect(untested).toEqual([]);
  });
  const imports = `import { ${[
    "parseError",
    protocol.http !== undefined && "fromResponse",
    protocol.closes.length > 0 && "fromClose",
  ]
    .filter(Boolean)
    .join(", ")} } from "./index.js";`;
  const codes = protocol.catalog.map((entry) => entry.code);
  describeExhaustive(options.dir, {
    parseError: { imports, bind: "const err = parseError(input);", codes },
    ...(protocol.http !== undefined && {
      fromResponse: { imports, bind: "const err = await fromResponse(input as Response);", codes },
    }),
    ...(protocol.closes.length > 0 && {
      fromClose: {
        imports,
        bind: "const err = fromClose(input as number);",
        codes: [...new Set(protocol.closes.map((row) => row.code))],
      },
    }),
  });
}

/** True when a test file imports the module it sits beside (`./name.js`), and so can test it. */
export function importsItsSource(file: URL, name: string): boolean {
  const text = readFileSync(file, "utf8");
  return new RegExp(`from\\s+["']\\./${name}\\.js["']`).test(text);
}
