// Issue 27, "MessagePack": keys encoded as str8 or str16 (valid, not minimal)
// read as MALFORMED "code must be a u32", where @msgpack/msgpack decoded the
// same bytes. Every catalog code of Atlas, written in every valid width of key,
// integer and string, must read as the minimal encoding does, at about the
// cost of the minimal encoding of the same message (a CPU-time ratio).
import { decode, encode } from "@msgpack/msgpack";
import { catalog } from "@wirefault/atlas";
import { decodeErrorMessage } from "@wirefault/atlas/msgpack";
import { costRatio } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { report } from "./clients.js";

/** The widest encoding may cost at most this many times the minimal one of the same message. */
const WIDE_RATIO = 2;

type Width = "fix" | 8 | 16 | 32;
/** A string in the given MessagePack format (fixstr holds at most 31 bytes). */
function str(text: string, width: Width): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  const n = bytes.length;
  if (width === "fix") return [0xa0 | n, ...bytes];
  if (width === 8) return [0xd9, n, ...bytes];
  if (width === 16) return [0xda, n >> 8, n & 0xff, ...bytes];
  return [0xdb, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, ...bytes];
}

// uint8 0xcc … uint64 0xcf, int8 0xd0 … int64 0xd3: the widths in bytes.
const INT_FORMATS = { 204: 1, 205: 2, 206: 4, 207: 8, 208: 1, 209: 2, 210: 4, 211: 8 } as const;
/** A non-negative integer in the given format, big-endian; undefined when it does not fit. */
function int(value: number, format: keyof typeof INT_FORMATS): number[] | undefined {
  const width = INT_FORMATS[format];
  const signed = format >= 0xd0;
  if (value >= 2 ** (8 * width - (signed ? 1 : 0))) return undefined;
  const out: number[] = [format];
  for (let i = width - 1; i >= 0; i--) out.push(Math.floor(value / 2 ** (8 * i)) % 256);
  return out;
}

const map = (...entries: number[][]) => Uint8Array.from([0x80 | (entries.length / 2), ...entries.flat()]);

describe("Atlas MessagePack: every valid encoding of keys and integers reads as the minimal one", () => {
  it("every catalog code, keys in fixstr/str8/str16/str32, the code in every integer (or string) format that holds it", () => {
    let encodings = 0;
    const widths = ["fix", 8, 16, 32] as const;
    for (const { code } of catalog) {
      // A wire error is {code: u32, message}; a zone error {type: "zone.error", code: string, message}.
      const zone = typeof code === "string";
      const plain = zone ? { type: "zone.error", code, message: "m" } : { code, message: "m" };
      const minimal = decodeErrorMessage(encode(plain));
      const values = zone
        ? widths.map((w) => ({ name: `str ${w}`, bytes: str(code, w) }))
        : (Object.keys(INT_FORMATS).map(Number) as (keyof typeof INT_FORMATS)[]).flatMap((format) => {
            const bytes = int(code, format);
            return bytes === undefined ? [] : [{ name: `int 0x${format.toString(16)}`, bytes }];
          });
      for (const keys of widths) {
        for (const value of values) {
          for (const text of widths) {
            const type = zone ? [str("type", keys), str("zone.error", text)] : [];
            const bytes = map(...type, str("code", keys), value.bytes, str("message", keys), str("m", text));
            // The real library reads the same value: the bytes are valid.
            expect(decode(bytes)).toEqual(plain);
            const label = `${code}: keys ${keys}, ${value.name}, text ${text}`;
            expect(decodeErrorMessage(bytes).toJSON(), label).toEqual(minimal.toJSON());
            encodings++;
          }
        }
      }
    }
    report("msgpack-encodings", {
      scenario: "every Atlas catalog code in every valid key, integer and string encoding",
      faults: encodings,
      sent: encodings,
      lost: 0,
      duplicated: 0,
      codes: catalog.length,
    });
  });

  it("a 1 MiB message in the widest encodings costs about what its minimal encoding does", () => {
    const message = "a".repeat(1 << 20);
    const minimal = encode({ code: 3004, message });
    const wide = map(
      str("code", 32),
      int(3004, 0xd3) as number[],
      str("message", 32),
      // str32 of 1 MiB: the header, the text follows.
      [0xdb, 0x00, 0x10, 0x00, 0x00],
    );
    const widest = new Uint8Array(wide.length + message.length);
    widest.set(wide);
    widest.set(new TextEncoder().encode(message), wide.length);
    expect(decode(widest)).toEqual({ code: 3004, message });
    expect(decodeErrorMessage(widest).toJSON()).toEqual(decodeErrorMessage(minimal).toJSON());
    const ratio = costRatio(
      () => decodeErrorMessage(minimal),
      () => decodeErrorMessage(widest),
      { rounds: 3 },
    );
    report("msgpack-wide-cost", {
      scenario: "Atlas 1 MiB message: str32 keys, int64 code, str32 text against the minimal encoding",
      faults: 1,
      sent: 1,
      lost: 0,
      duplicated: 0,
      ratio: Number(ratio.toFixed(2)),
      bound: WIDE_RATIO,
    });
    expect(ratio).toBeLessThan(WIDE_RATIO);
  });
});
