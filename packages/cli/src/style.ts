import type { Retryable } from "@wirefault/core";

/** How the CLI marks up what it prints: plain text, or ANSI colour for a terminal. */
export interface Style {
  /** A heading: the reading or entry a block is about. */
  head(text: string): string;
  /** A row's key, or a table's header row. */
  key(text: string): string;
  /** A `retryable` verdict: green yes, yellow maybe, red no. */
  verdict(text: string, retryable: Retryable): string;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;
const bold = sgr(1, 22);
const dim = sgr(2, 22);
const VERDICT_COLOURS: Readonly<Record<Retryable, (text: string) => string>> = {
  yes: sgr(32, 39),
  maybe: sgr(33, 39),
  no: sgr(31, 39),
};

/** No markup: what a pipe, a file and `--no-color` get. */
export const PLAIN: Style = Object.freeze({
  head: (text: string) => text,
  key: (text: string) => text,
  verdict: (text: string) => text,
});

/** ANSI colour, for a terminal. */
export const COLOUR: Style = Object.freeze({
  head: bold,
  key: dim,
  verdict: (text: string, retryable: Retryable) => VERDICT_COLOURS[retryable](text),
});

/**
 * Whether to colour by default: only on a terminal, and only when `NO_COLOR`
 * is unset or empty (no-color.org). `--color` and `--no-color` override it.
 */
export const wantsColour = (isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean =>
  isTTY && !env.NO_COLOR;
