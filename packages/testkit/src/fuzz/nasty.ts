// The nastiest inputs of the fuzz suite, named, so that they run on every
// build (fuzz-regressions.test.ts) and seed the response fuzzers. Big ones are
// built on first use.

/** 1 MiB: the cap of every parser but Atlas's. */
export const MIB = 1_048_576;
/** Atlas's MAX_PAYLOAD_SIZE. */
export const ATLAS_MAX = 4 * MIB;

/** A named input. */
export interface Nasty {
  readonly name: string;
  readonly input: unknown;
}

const lazy = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
};

const encoder = new TextEncoder();

/** A flat JSON object of `"k<n>":<n>` members, just under `bytes` long. */
export function manyKeys(bytes: number): string {
  const parts: string[] = [];
  for (let n = 0, size = 2; size < bytes - 24; n++) {
    const part = `"k${n}":${n}`;
    parts.push(part);
    size += part.length + 1;
  }
  return `{${parts.join(",")}}`;
}

/** Text inputs every JSON parser must survive quickly: size edges, deep nesting, scanner and regex stressors. */
export const nastyText = lazy((): Nasty[] => {
  const half = MIB / 2;
  const message = (body: string, at: number) => `{"error":{"code":"rate_limited","message":"${body}"}}`.slice(0, at);
  return [
    { name: "1 MiB of '['", input: "[".repeat(MIB) },
    { name: "nesting 512 Ki arrays deep, valid", input: `${"[".repeat(half)}${"]".repeat(half)}` },
    { name: "nesting 100 Ki objects deep, valid", input: `${'{"error":'.repeat(100_000)}1${"}".repeat(100_000)}` },
    { name: "exactly 1 MiB of JSON string", input: `"${"a".repeat(MIB - 2)}"` },
    { name: "1 MiB + 1 of JSON string", input: `"${"a".repeat(MIB - 1)}"` },
    { name: "2-byte chars just over 1 MiB of UTF-8", input: `"${"é".repeat(half)}"` },
    { name: "3-byte chars, a third of a MiB", input: `"${"€".repeat(Math.floor(MIB / 3) - 1)}"` },
    { name: "lone surrogates", input: `{"error":{"code":"\ud800","message":"\udfff${"\ud800".repeat(1000)}"}}` },
    { name: "message of 'Bearer ' near the cap", input: message(`${"Bearer ".repeat(149_000)}`, MIB) },
    { name: "'Bearer' then 1 MiB of tabs", input: `{"error":{"code":"x","message":"Bearer${"\\t".repeat(500_000)}"}}` },
    { name: "sk- chains near the cap", input: `{"error":{"code":"x","message":"${"sk-".repeat(340_000)}"}}` },
    { name: "query-string secrets near the cap", input: `{"message":"${"?token=&api_key=".repeat(60_000)}"}` },
    { name: "keys up to the cap", input: manyKeys(MIB) },
    { name: "1 MiB of whitespace around {}", input: `${" ".repeat(half)}{}${" ".repeat(half - 10)}` },
    { name: "'Device not found' repeated", input: `{"seq":1,"error":"${"Device not found ".repeat(60_000)}"}` },
    {
      name: "'Invalid signature for device' and spaces",
      input: `{"seq":1,"error":"Invalid${" ".repeat(900_000)}signature"}`,
    },
    {
      name: "'Peer ' ... ' is not connected' of 1 MiB",
      input: message(`Peer ${"x".repeat(MIB - 200)} is not connected`, MIB),
    },
    { name: "NUL bytes", input: "\u0000".repeat(10_000) },
  ];
});

/** The same texts as UTF-8 bytes. */
export const nastyBytes = lazy((): Nasty[] =>
  nastyText().map(({ name, input }) => ({ name: `${name} (bytes)`, input: encoder.encode(input as string) })),
);

/** The canonical pollution payloads, as text; `{}` wrappers are the protocols' own shapes. */
export const POLLUTION_TEXTS: readonly string[] = [
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"__proto__":{"__proto__":{"polluted":1}}}',
  '{"__proto__":{"toString":"polluted","polluted":1}}',
  '{"prototype":{"polluted":1}}',
  '[{"__proto__":{"polluted":1}}]',
];

/** MessagePack payloads for Atlas: the structures the pre-decoder pass exists to refuse. */
export const nastyMsgpack = lazy((): Nasty[] => {
  const deep = new Uint8Array(ATLAS_MAX).fill(0x91);
  deep[0] = 0x81;
  deep[1] = 0xa1;
  deep[2] = 0x61;
  return [
    { name: "4 MiB of 0x91 behind a map", input: deep },
    { name: "4 MiB of 0x91", input: new Uint8Array(ATLAS_MAX).fill(0x91) },
    { name: "4 MiB + 1 of zeros", input: new Uint8Array(ATLAS_MAX + 1) },
    { name: "map32 declaring 4 Gi entries", input: Uint8Array.of(0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, 0x61) },
    { name: "str32 declaring 4 GiB", input: Uint8Array.of(0x81, 0xa1, 0x61, 0xdb, 0xff, 0xff, 0xff, 0xff, 0x61) },
    { name: "bin32 declaring 4 GiB", input: Uint8Array.of(0x81, 0xa1, 0x61, 0xc6, 0xff, 0xff, 0xff, 0xff) },
    { name: "array32 of 4 Gi", input: Uint8Array.of(0x81, 0xa1, 0x61, 0xdd, 0xff, 0xff, 0xff, 0xff) },
    { name: "timestamp ext", input: Uint8Array.of(0x81, 0xa4, 0x63, 0x6f, 0x64, 0x65, 0xd6, 0xff, 0, 0, 0, 0) },
    { name: "reserved 0xc1", input: Uint8Array.of(0x81, 0xa4, 0x63, 0x6f, 0x64, 0x65, 0xc1) },
    {
      name: "__proto__ key",
      input: Uint8Array.of(0x81, 0xa9, ...encoder.encode("__proto__"), 0x81, 0xa8, ...encoder.encode("polluted"), 1),
    },
    { name: "overlong UTF-8 key", input: Uint8Array.of(0x81, 0xa5, 0xc1, 0xa3, 0x6f, 0x64, 0x65, 0xcd, 0x0f, 0xa1) },
    {
      name: "33 nested maps",
      input: Uint8Array.of(...Array.from({ length: 33 }, () => [0x81, 0xa1, 0x61]).flat(), 0xc0),
    },
    { name: "1 Mi nested fixmaps", input: new Uint8Array(2 * MIB).fill(0x81) },
  ];
});

/** Tryll frames and streams at the edges of the 1 MiB frame limit. */
export const nastyFrames = lazy((): Nasty[] => {
  const withPrefix = (length: number, size: number, fill = 0): Uint8Array => {
    const out = new Uint8Array(size).fill(fill);
    new DataView(out.buffer).setUint32(0, length, true);
    return out;
  };
  return [
    { name: "prefix 0xFFFFFFFF", input: withPrefix(0xffff_ffff, 16) },
    { name: "a full 1 MiB frame of zeros", input: withPrefix(MIB, MIB + 4) },
    { name: "a full 1 MiB frame of 0xFF", input: withPrefix(MIB, MIB + 4, 0xff) },
    { name: "1 MiB + 1 frame", input: withPrefix(MIB + 1, MIB + 5) },
    { name: "prefix says 8, 4 bytes follow", input: withPrefix(8, 8) },
    { name: "root offset pointing at itself", input: Uint8Array.of(8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) },
    {
      name: "vtable offset out of the frame",
      input: Uint8Array.of(12, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0),
    },
    { name: "negative vtable offset", input: Uint8Array.of(12, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0) },
  ];
});
