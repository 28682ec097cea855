// definitionProblems, the check defineProtocol runs when a protocol is built:
// each rule on its own, at its edges. testkit's local-codes scenario checks the
// same rules end to end, through defineProtocol's TypeError.
import { describe, expect, it } from "vitest";
import { definitionProblems } from "./check-definition.js";
import { ABORTED, MALFORMED, NETWORK, TIMEOUT, TOO_LARGE } from "./error.js";

const row = (code: string | number) => ({
  surface: "s",
  code,
  name: String(code),
  retryable: "no" as const,
  action: "abort" as const,
  summary: "s",
});
const catalog = [row("A"), row("B"), row(7)];
const problems = (part: Partial<Parameters<typeof definitionProblems>[0]>) =>
  definitionProblems({ maxBytes: 1024, catalog, ...part });

describe("definitionProblems", () => {
  it("finds none in a right definition, edges of maxBytes included", () => {
    expect(problems({})).toBeUndefined();
    expect(problems({ maxBytes: 1 })).toBeUndefined();
    expect(problems({ maxBytes: Number.MAX_SAFE_INTEGER })).toBeUndefined();
    expect(problems({ catalog: [] })).toBeUndefined();
    expect(problems({ aliases: { a: "A", seven: 7 }, unlisted: [{ code: "C" }, { code: 8 }] })).toBeUndefined();
  });

  it.each([
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
    [0, "0"],
    [-0, "0"],
    [-1, "-1"],
    [1.5, "1.5"],
    [2 ** 53, "9007199254740992"],
    ["1024", "1024"],
    [1024n, "1024"],
    [undefined, "undefined"],
    [null, "null"],
  ])("refuses a maxBytes of %s, naming it", (maxBytes, shown) => {
    expect(problems({ maxBytes })).toBe(`maxBytes must be a positive integer, got ${shown}`);
  });

  it("refuses a repeated code once per repeat, a number and its string being two codes", () => {
    expect(problems({ catalog: [row("A"), row("A"), row("A")] })).toBe('code "A" is repeated; code "A" is repeated');
    expect(problems({ catalog: [row(7), row(7)] })).toBe("code 7 is repeated");
    expect(problems({ catalog: [row(7), row("7")] })).toBeUndefined();
  });

  it("refuses a catalog code that spells any WIREFAULT_ code, the five and any other; case counts", () => {
    for (const code of [MALFORMED, TOO_LARGE, NETWORK, TIMEOUT, ABORTED, "WIREFAULT_OTHER", "WIREFAULT_"])
      expect(problems({ catalog: [...catalog, row(code)] })).toBe(
        `code ${JSON.stringify(code)} spells a wirefault local code`,
      );
    expect(problems({ catalog: [...catalog, row("wirefault_malformed"), row("X_WIREFAULT_MALFORMED")] })).toBe(
      undefined,
    );
  });

  it("refuses an alias that shadows a code, stands for none, or spells a local code", () => {
    const alias = (name: string) => `alias ${JSON.stringify(name)} must stand for a catalog code, and be none`;
    // Shadowing: "B" is a code of its own, so an alias "B" would change what "B" means.
    expect(problems({ aliases: { B: "A" } })).toBe(alias("B"));
    expect(problems({ aliases: { 7: "A" } })).toBeUndefined(); // an alias is a string: "7" is not code 7
    expect(problems({ aliases: { b: "Z" } })).toBe(alias("b"));
    expect(problems({ aliases: { b: "7" } })).toBe(alias("b")); // code 7 is a number
    expect(problems({ aliases: { b: undefined } })).toBe(alias("b"));
    expect(problems({ aliases: { [MALFORMED]: "A" } })).toBe(alias(MALFORMED));
    // An alias to a local code stands for no catalog code, since none may be one.
    expect(problems({ aliases: { b: TIMEOUT } })).toBe(alias("b"));
  });

  it("refuses an unlisted code that is a catalog code, by the same identity", () => {
    expect(problems({ unlisted: [{ code: "A" }] })).toBe('unlisted code "A" is in the catalog');
    expect(problems({ unlisted: [{ code: 7 }, { code: "7" }] })).toBe("unlisted code 7 is in the catalog");
  });

  it("names every problem in one message, in the order of the definition", () => {
    expect(
      problems({
        maxBytes: Number.NaN,
        catalog: [row("A"), row("A"), row(TOO_LARGE)],
        aliases: { A: "A", c: "Z" },
        unlisted: [{ code: "A" }],
      }),
    ).toBe(
      [
        "maxBytes must be a positive integer, got NaN",
        'code "A" is repeated',
        `code "${TOO_LARGE}" spells a wirefault local code`,
        'alias "A" must stand for a catalog code, and be none',
        'alias "c" must stand for a catalog code, and be none',
        'unlisted code "A" is in the catalog',
      ].join("; "),
    );
  });
});
