// Issue 27, "CLI": 15 MiB of `[` on stdin took 4.2 s before it was refused.
// `wirefault parse` reads at most the largest cap (and one byte more), refuses
// what is over it before parsing, and reads the rest at about the cost of an
// ordinary payload of the same size: a CPU-time ratio, run in-process through
// the CLI's own `main` with stdin handed over as the binary hands it.
import { type Io, MAX_INPUT_BYTES, main } from "@wirefault/cli";
import { costRatioAsync } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { report } from "./clients.js";

const MiB = 1 << 20;
/** Hostile stdin may cost at most this many times an ordinary error payload of the same size. Before: 3.7x (4.2 s in the issue). */
const CLI_RATIO = 2;

/** stdin as the binary reads it: at most what `main` asks for, and one byte more to tell it is over. */
function io(bytes: Uint8Array): Io & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    stdin: async (maxBytes) => {
      asked.push(maxBytes);
      return bytes.subarray(0, maxBytes + 1);
    },
    readFile: () => {
      throw new Error("no file in this scenario");
    },
  };
}

const text = (s: string) => new TextEncoder().encode(s);
// An ordinary payload: a Teale API error (the largest cap, 16 MiB) with a long message.
const ordinary = (size: number) =>
  text(JSON.stringify({ error: { message: "m".repeat(size - 80), type: "server_error", code: "internal_error" } }));

describe("wirefault parse: hostile stdin is refused or read at an ordinary cost", () => {
  it("over every cap: refused after reading at most the cap and one byte, before any parse", async () => {
    const over = text("[".repeat(MAX_INPUT_BYTES + MiB));
    const stdin = io(over);
    const result = await main(["parse"], stdin);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^wirefault: the payload is over \d+ bytes/);
    expect(stdin.asked).toEqual([MAX_INPUT_BYTES]);
    // Refusing it costs a fraction of reading an ordinary payload of the largest cap.
    const ratio = await costRatioAsync(
      () => main(["parse"], io(ordinary(15 * MiB))),
      () => main(["parse"], io(over)),
      { rounds: 3 },
    );
    report("cli-over-cap", {
      scenario: `wirefault parse, ${over.byteLength} bytes of "[" on stdin (over every cap) against 15 MiB of an ordinary error`,
      faults: 1,
      sent: 1,
      lost: 0,
      duplicated: 0,
      ratio: Number(ratio.toFixed(3)),
      bound: 1,
    });
    expect(ratio).toBeLessThan(1);
  }, 60_000);

  it("15 MiB of `[` (under Teale's cap): bad input, at a small constant of an ordinary 15 MiB payload", async () => {
    const brackets = text("[".repeat(15 * MiB));
    const result = await main(["parse"], io(brackets));
    expect(result.code).toBe(2);
    const ratio = await costRatioAsync(
      () => main(["parse"], io(ordinary(15 * MiB))),
      () => main(["parse"], io(brackets)),
      { rounds: 3 },
    );
    report("cli-brackets", {
      scenario: 'wirefault parse, 15 MiB of "[" on stdin against 15 MiB of an ordinary Teale error',
      faults: 1,
      sent: 1,
      lost: 0,
      duplicated: 0,
      ratio: Number(ratio.toFixed(2)),
      bound: CLI_RATIO,
    });
    expect(ratio).toBeLessThan(CLI_RATIO);
  }, 60_000);
});
