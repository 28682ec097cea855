// A protocol nobody ships, defined in a few lines: a catalog, one reader and a
// close code. Core gives it parsing, classification, fromResponse and fromClose
// (checked by the same conformance suite the five packages run), the CLI
// explains, lists and parses it, and the docs render it: adding a protocol, or
// a code, is data.
import { defineCatalog, ProtocolError } from "@wirefault/core";
import { defineProtocol, field, overHttp, overWebSocket } from "@wirefault/core/protocol";
import { describeConformance } from "@wirefault/test-utils/conformance";
import { describe, expect, it } from "vitest";
import { explain, list, parse, run } from "./commands.js";
import { protocolReference } from "./format.js";
import { PROTOCOLS, registry } from "./protocols.js";

class QuillError extends ProtocolError {
  static {
    this.prototype.name = "QuillError";
  }
  static readonly details = ["ink"];
  declare readonly ink?: string;
}

// biome-ignore format: one row per code
const catalog = defineCatalog([
  { surface: "api", code: "Q_BUSY", name: "Q_BUSY", status: 503, bareStatus: true, retryable: "yes", action: "retry", summary: "The scribe is busy; try again shortly." },
  { surface: "api", code: "Q_NO_INK", name: "Q_NO_INK", status: 402, retryable: "no", action: "user-action", summary: "The account ran out of ink." },
] as const);

const quill = defineProtocol({
  name: "quill",
  title: "Quill",
  maxBytes: 4096,
  catalog,
  aliases: { QUILL_BUSY: "Q_BUSY" },
  http: overHttp("api"),
  websocket: overWebSocket({
    closeCodes: [
      { code: 4040, name: "QUILL_DRY", retryable: "no", action: "user-action", summary: "The pen ran dry." },
    ],
  }),
  readers: [
    (value) => {
      const code = field(value, "quill_error");
      return typeof code === "string"
        ? { surface: "api", code, message: field(value, "text") as string | undefined, details: { ink: "blue" } }
        : undefined;
    },
  ],
  errorClass: () => QuillError,
});

describeConformance(quill, { wire: (_entry, code) => ({ quill_error: code, text: `quill said ${code}` }) });

describe("a sixth protocol, defined in a few lines", () => {
  const both = registry([...PROTOCOLS.values(), quill]);

  it("parses into its own class, with its own fields", () => {
    const err = quill.parseError('{"quill_error":"Q_NO_INK","text":"refill"}');
    expect(err).toBeInstanceOf(QuillError);
    expect(err).toMatchObject({ protocol: "quill", code: "Q_NO_INK", known: true, action: "user-action", ink: "blue" });
    expect(quill.parseError({ quill_error: "QUILL_BUSY" })).toMatchObject({ code: "Q_BUSY", known: true });
  });

  it("the CLI explains its codes, aliases and close codes", () => {
    expect(explain(["quill", "Q_BUSY"], both).stdout).toContain("The scribe is busy");
    expect(explain(["QUILL_BUSY"], both).stdout).toContain("QUILL_BUSY is an alias of it");
    expect(explain(["quill", "4040"], both).stdout).toContain("QUILL_DRY");
    expect(explain(["quill", "Q_BUSY"]).code).toBe(2);
  });

  it("the CLI lists and parses it", async () => {
    const rows = JSON.parse(list(["quill", "--json"], both).stdout) as Record<string, unknown>[];
    expect(rows.map((row) => row.code)).toEqual(["Q_BUSY", "Q_NO_INK", 4040]);
    const parsed = parse(["--json", '{"quill_error":"Q_NO_INK"}'], new Uint8Array(), both);
    expect(JSON.parse(parsed.stdout)).toMatchObject({ protocol: "quill", code: "Q_NO_INK", known: true });
    expect((await run(["explain", "quill", "q_no_ink"], async () => new Uint8Array(), undefined, both)).code).toBe(0);
  });

  it("the docs render its catalog, aliases and close codes", () => {
    const reference = protocolReference(quill);
    for (const text of ["`Q_BUSY`", "`Q_NO_INK`", "`QUILL_BUSY`", "4040", "`QUILL_DRY`", "The pen ran dry."])
      expect(reference).toContain(text);
  });
});
