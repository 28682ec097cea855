import { PLAIN, type Style } from "./style.js";

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

/** One `key: value` row; a styled value is already printable. */
export type Row = readonly [key: string, value: unknown] | readonly [key: string, value: string, styled: string];

const KEY_WIDTH = 14;

/** A heading and `key: value` rows, aligned, each printable on one line; markup only around escaped text. */
export const rows = (head: string, pairs: readonly Row[], style: Style = PLAIN): string =>
  [
    style.head(printable(head)),
    ...pairs.map((pair) => {
      const [key, value] = pair;
      const shown = pair.length === 3 ? pair[2] : printable(String(value));
      return `  ${style.key(`${key}:`.padEnd(KEY_WIDTH))}${shown}`;
    }),
  ].join("\n");

/** Rows of cells lined up in columns two spaces apart, the first row styled as the header; no trailing spaces. */
export function columns(cells: readonly (readonly string[])[], style: Style = PLAIN): string {
  const shown = cells.map((row) => row.map(printable));
  const widths: number[] = [];
  for (const row of shown)
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
  return shown
    .map((row, r) => {
      const line = row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - [...cell].length)))
        .join("  ")
        .trimEnd();
      return r === 0 ? style.head(line) : line;
    })
    .join("\n");
}
