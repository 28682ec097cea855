// Issue 27, "Control bytes" and "Copies kept": a peer's text is masked, cut to
// core's display cap with the rest counted, and only then escaped, so a
// message of control bytes costs what a plain one does; and an error keeps a
// bounded copy of what it read, never a multiple of the input. Each bound is a
// ratio against an ordinary input of the same size: CPU time, memory held.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { encode } from "@msgpack/msgpack";
import { decodeErrorMessage } from "@wirefault/atlas/msgpack";
import { DISPLAY_CAP } from "@wirefault/core";
import * as teale from "@wirefault/teale-relay";
import { costRatio } from "@wirefault/test-utils";
import { encodeErrorFrame, parseError as tryllFrame } from "@wirefault/tryll/frame";
import { describe, expect, it } from "vitest";
import { report } from "./clients.js";

const MiB = 1 << 20;
/** A hostile text may cost at most this many times a plain text of its size. Before: 13.6x (Atlas) and 23x (Tryll). */
const TEXT_RATIO = 3;
/** An error may hold at most this many times what an ordinary error of the same input size holds. Before: ~20x. */
const HELD_RATIO = 3;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
/** The heap held by what `make` returns, kept alive `n` times over, after a full collection. */
function held(make: () => unknown, n = 4): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: n }, make);
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(kept).toHaveLength(n);
  return (after - before) / n;
}

// A printable message of control bytes: every character escaped to four.
// biome-ignore lint/suspicious/noControlCharactersInRegex: what must not remain.
const RAW = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/**
 * Reads a hostile input (its message masked, cut to the display cap), then
 * bounds and reports its cost against a plain input of the same size.
 */
function controlBytes<E extends { message: string }>(
  id: string,
  scenario: string,
  read: (input: Uint8Array) => E,
  plain: Uint8Array,
  hostile: Uint8Array,
): E {
  const err = read(hostile);
  expect(err.message).not.toMatch(RAW);
  expect(err.message.length).toBeLessThanOrEqual(DISPLAY_CAP * 4 + 40);
  const ratio = costRatio(
    () => read(plain),
    () => read(hostile),
    { rounds: 3 },
  );
  report(id, { scenario, faults: 1, sent: 1, lost: 0, duplicated: 0, ratio: Number(ratio.toFixed(2)) });
  expect(ratio).toBeLessThan(TEXT_RATIO);
  return err;
}

describe("control bytes cost what plain text does", () => {
  it("Atlas: a 4 MiB MessagePack message of 0x01 against one of letters", () => {
    const message = (c: string) => encode({ code: 4001, message: c.repeat(4 * MiB - 64) });
    const err = controlBytes(
      "text-atlas-control-bytes",
      "Atlas 4 MiB of 0x01 vs letters",
      decodeErrorMessage,
      message("a"),
      message("\u0001"),
    );
    expect(err.message).toMatch(/…\(\+\d+ bytes\)$/);
  });

  it("Tryll: a 1 MiB frame of ESC against one of letters", () => {
    const frame = (c: string) => encodeErrorFrame({ code: 3004, message: c.repeat(MiB - 64) });
    controlBytes("text-tryll-escape", "Tryll 1 MiB frame of ESC vs letters", tryllFrame, frame("a"), frame("\u001b"));
  });
});

describe("an error keeps a bounded copy of what it read", () => {
  // About 1 MiB each: what the peer sent, as text.
  const ordinary = JSON.stringify({ error: { code: "rate_limited", message: "m".repeat(MiB - 64) } });
  const shapes: Record<string, string> = {
    "[{},…]": `[${Array(Math.floor(MiB / 3))
      .fill("{}")
      .join(",")}]`,
    "[[],…]": `[${Array(Math.floor(MiB / 3))
      .fill("[]")
      .join(",")}]`,
    "an error with 1 MiB of details": JSON.stringify({
      error: { code: "rate_limited", message: "m", details: Array(Math.floor(MiB / 3) - 20).fill({}) },
    }),
  };
  for (const [name, text] of Object.entries(shapes))
    it(`teale parseError of 1 MiB of ${name} holds what an ordinary 1 MiB error holds`, () => {
      const base = held(() => teale.parseError(ordinary));
      const hostile = held(() => teale.parseError(text));
      const ratio = hostile / base;
      report(`copies-${name}`, {
        scenario: `1 MiB of ${name}`,
        faults: 1,
        sent: 1,
        lost: 0,
        duplicated: 0,
        heldMiB: Number((hostile / MiB).toFixed(2)),
        ordinaryMiB: Number((base / MiB).toFixed(2)),
        ratio: Number(ratio.toFixed(2)),
      });
      expect(ratio).toBeLessThan(HELD_RATIO);
    });
});
