// Controls, DEL, C1, line and paragraph separators and bidi overrides: any of
// them in a wire message or an argument could forge lines or reorder text on
// the terminal, and break the promise of one line on stderr.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every character that could move the cursor or reorder the line shown as a `\uXXXX` escape. */
export const printable = (text: string): string =>
  text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

const MAX_QUOTED = 60;

/** A value the user typed, quoted for a one-line message: escaped, and cut short when long. */
export function quote(value: string): string {
  const short = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
  return printable(JSON.stringify(short));
}

/** A heading and `key: value` rows, aligned, each printable on one line. */
export const rows = (head: string, pairs: readonly (readonly [string, unknown])[]): string =>
  [printable(head), ...pairs.map(([key, value]) => `  ${`${key}:`.padEnd(14)}${printable(String(value))}`)].join("\n");
