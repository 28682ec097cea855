import { describe, expect, expectTypeOf, it } from "vitest";
import { codeMap, defineCatalog, indexCatalog, withText } from "./catalog.js";

const catalog = defineCatalog([
  { surface: "wire", code: 1001, name: "ERR_ONE", retryable: "no", action: "abort", summary: "one" },
  {
    surface: "wire",
    code: 4001,
    name: "ERR_SLOW",
    status: 429,
    retryable: "yes",
    action: "throttle",
    summary: "slow down",
    policy: { baseMs: 10 },
  },
  { surface: "zone", code: "full", name: "full", retryable: "maybe", action: "wait", summary: "full" },
] as const);

const index = indexCatalog(catalog, {
  aliases: { FULL: "full" },
  ranges: [
    { surface: "wire", min: 1000, max: 1999, name: "handshake", retryable: "no", action: "abort", summary: "h" },
    { surface: "wire", min: 4000, max: 4999, name: "rate", retryable: "yes", action: "throttle", summary: "r" },
  ],
});

describe("defineCatalog", () => {
  it("freezes the table, its entries and their policies", () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(catalog.every((entry) => Object.isFrozen(entry))).toBe(true);
    expect(Object.isFrozen(catalog[1].policy)).toBe(true);
  });

  it("keeps codes as literal types", () => {
    // Checked by `tsc` (npm run typecheck): a widened `number | string` fails it.
    type Code = (typeof catalog)[number]["code"];
    expectTypeOf<Code>().toEqualTypeOf<1001 | 4001 | "full">();
    expectTypeOf<9999>().not.toExtend<Code>();
    expect(catalog.map((entry) => entry.code)).toEqual([1001, 4001, "full"]);
  });
});

describe("indexCatalog", () => {
  it("finds entries by code, within a surface when given", () => {
    expect(index.get(4001)?.name).toBe("ERR_SLOW");
    expect(index.get(4001, "wire")?.name).toBe("ERR_SLOW");
    expect(index.get(4001, "zone")).toBeUndefined();
    expect(index.get("4001")).toBeUndefined();
  });

  it("resolves aliases to the documented entry", () => {
    expect(index.get("FULL")).toBe(catalog[2]);
  });

  it("classifies known codes from their entry", () => {
    expect(index.classify(4001)).toMatchObject({
      known: true,
      status: 429,
      action: "throttle",
      policy: { baseMs: 10 },
    });
  });

  it("gives unknown codes in a range the range's category", () => {
    expect(index.classify(4999)).toMatchObject({ known: false, retryable: "yes", action: "throttle", surface: "wire" });
    expect(index.classify(1000)).toMatchObject({ known: false, action: "abort" });
  });

  it("treats codes outside every range as a protocol violation", () => {
    expect(index.classify(3000)).toMatchObject({ known: false, retryable: "no", action: "abort", range: undefined });
    expect(index.classify("nope")).toMatchObject({ known: false, retryable: "no", action: "abort" });
    expect(index.classify({ toString: () => "x" })).toMatchObject({ known: false });
  });
});

describe("defineCatalog", () => {
  // biome-ignore format: one row per code
  const catalog = defineCatalog([
    { surface: "relay", code: "peer_not_found", retryable: "maybe", action: "reset", summary: "Gone." },
    { surface: "api", code: 402, name: "PAYMENT", retryable: "no", action: "user-action", summary: "Pay.", answers: "x" },
  ] as const, { ranges: [{ surface: "api", min: 400, max: 499, name: "client", summary: "client" }] });

  it("names a row by its code when it gives no name, and keeps a name it gives", () => {
    const named: "peer_not_found" = catalog[0].name;
    expect(named).toBe("peer_not_found");
    expect(catalog[1].name).toBe("PAYMENT");
  });

  it("carries its index: by code and surface, by range, by any other field; and still reads as its rows", () => {
    expect(catalog.index.get("peer_not_found")).toBe(catalog[0]);
    expect(catalog.index.get("peer_not_found", "api")).toBeUndefined();
    expect(catalog.index.range(450)?.name).toBe("client");
    expect(catalog.index.where("answers", "x")).toBe(catalog[1]);
    expect(catalog.index.where("answers", "y")).toBeUndefined();
    expect(Object.keys(catalog)).toEqual(["0", "1"]);
    expect(JSON.parse(JSON.stringify(catalog))).toHaveLength(2);
    expect(Object.isFrozen(catalog) && Object.isFrozen(catalog[0])).toBe(true);
  });
});

describe("codeMap", () => {
  it("derives literal name-to-code constants from a catalog", () => {
    const codes = codeMap([
      { surface: "s", code: 3004, name: "AgentBusy", retryable: "maybe", action: "wait", summary: "" },
    ] as const);
    const busy: 3004 = codes.AgentBusy;
    expect(busy).toBe(3004);
    expect(Object.isFrozen(codes)).toBe(true);
  });
});

describe("withText", () => {
  const ranges = [{ surface: "wire", min: 1000, max: 1999, name: "one", summary: "ones" }] as const;
  const texts = { 1001: { advice: "stop" }, full: { advice: "wait", userMessage: "Full." } } as const;
  const whole = withText(catalog, texts, { ranges });

  it("adds each code's text to a copy of its row, and leaves the rows it was given as they were", () => {
    expect(whole.map((entry) => entry.code)).toEqual(catalog.map((entry) => entry.code));
    expect(whole[0]).toEqual({ ...catalog[0], advice: "stop" });
    expect(whole[1]).toBe(catalog[1]);
    expect(whole[2]).toEqual({ ...catalog[2], advice: "wait", userMessage: "Full." });
    expect(catalog.some((entry) => "advice" in entry)).toBe(false);
    expect(Object.isFrozen(whole) && whole.every((entry) => Object.isFrozen(entry))).toBe(true);
  });

  it("carries an index over the rows with their text, with the ranges given", () => {
    expect(whole.index.get(1001)?.advice).toBe("stop");
    expect(whole.index.range(1500)?.name).toBe("one");
    expect(whole.index.classify("full", "zone")).toMatchObject({ known: true, retryable: "maybe", action: "wait" });
  });

  it("keeps each row's literal types, its text's included", () => {
    expectTypeOf(whole[0].advice).toEqualTypeOf<"stop">();
    expectTypeOf(whole[2].userMessage).toEqualTypeOf<"Full.">();
    expectTypeOf(whole[1].code).toEqualTypeOf<4001>();
    expectTypeOf<(typeof whole)[number]["advice"]>().toEqualTypeOf<string | undefined>();
  });

  it("refuses a text that would replace a field its row has", () => {
    expect(() => withText(catalog, { 1001: { summary: "other" } })).toThrow(/1001 already has summary/);
    expect(() => withText(whole, { full: { advice: "again" } })).toThrow(TypeError);
  });
});
