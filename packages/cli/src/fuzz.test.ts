import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { main } from "./commands.js";
import { localCodes, PROTOCOLS } from "./protocols.js";

const text = (s: string) => new TextEncoder().encode(s);

// Words the commands know, so that runs reach deep into each command instead of stopping at "unknown command".
const WORDS = [
  ...["explain", "list", "parse", "help", "version", "--help", "-h", "--version", "-V"],
  ...["--json", "--protocol", "-p", "--status", "-s", "--file", "-f", "-", "--", "--status=207", "payload"],
  ...PROTOCOLS.keys(),
  ...["4001", "4999", "1006", "1012", "0", "207", "502", "SESSION_REPLACED", "AGENT_NOT_ALLOWED"],
  ...localCodes().map((info) => info.code),
];
const codes = [...PROTOCOLS.values()].flatMap((protocol) => protocol.catalog.map((entry) => entry.code));

const argv = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string(), fc.integer().map(String)), { maxLength: 6 });
const body = fc.oneof(
  fc.uint8Array({ maxLength: 256 }),
  fc.string({ unit: fc.constantFrom(...'AQIDab01+/-_=\n \t{}"<>'.split("")) }).map(text),
  fc.string({ unit: "binary" }).map(text),
  fc.json().map(text),
  fc
    .record({
      type: fc.constantFrom("error", undefined),
      code: fc.oneof(fc.constantFrom(...codes), fc.integer(), fc.string()),
      message: fc.string(),
      error: fc.oneof(fc.string(), fc.constant(undefined)),
    })
    .map((value) => text(JSON.stringify(value))),
  fc
    .array(fc.record({ seq: fc.oneof(fc.string(), fc.integer()), error: fc.string() }))
    .map((errors) => text(JSON.stringify({ accepted: errors.length, errors }))),
);

const io = (bytes: Uint8Array) => ({
  stdin: async () => bytes,
  readFile: async (path: string) => {
    if (path === "payload") return bytes;
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
  },
});

// Raw controls other than the line break (and list's tab) in output would let a payload forge lines or
// rewrite the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("the command line contract, fuzzed through main()", () => {
  it("exits 0 with output and nothing on stderr, or 2 with exactly one line on stderr; never 1, never a throw", async () => {
    await fc.assert(
      fc.asyncProperty(argv, body, async (args, bytes) => {
        const result = await main(args, io(bytes));
        expect([0, 2]).toContain(result.code);
        expect(result.stdout.replaceAll("\t", " ")).not.toMatch(UNSAFE);
        if (result.code === 2) {
          expect(result.stdout).toBe("");
          expect(result.stderr).toMatch(/^wirefault: [^\n]+\n$/);
          expect(result.stderr).not.toMatch(UNSAFE);
        } else {
          expect(result.stderr).toBe("");
          expect(result.stdout).toMatch(/\S\n$/);
        }
      }),
      {
        numRuns: 2000,
        // The counterexamples found so far run first, every time (seed -2018022220 found the first);
        // the run's seed comes from @wirefault/test-utils/fast-check-seed, like every property's.
        examples: [
          [["parse"], text("abcde=")],
          [["parse", "--protocol", "tryll"], text("ab=")],
        ],
      },
    );
  });
});
