// The demo's closing table: one row per scenario, grouped under its protocol,
// fitted to a terminal's width. A cell too long for its column wraps onto the
// next line of the row, word by word, and is never cut: what a scenario ended
// with is printed in full on its own line above the table.

/** The width the table fits: a classic terminal. */
export const WIDTH = 80;

const INDENT = "  ";
const GAP = "  ";
const HEAD = ["scenario", "code", "action", "tries", "waited"];
// The scenario and the code wrap (the first two columns); the others keep their width.
const WRAPS = [true, true, false, false, false];
// Numbers line up on the right.
const RIGHT = [false, false, false, true, true];
// A row's first line opens with its verdict, in the indent.
const MARK = { ok: "✓ ", failed: "✗ " };

const length = (text) => [...text].length;

/** Splits `text` into lines of at most `width` characters, at spaces where it can, mid-word where it must. */
export function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    let rest = word;
    while (length(rest) > width) {
      if (line) lines.push(line);
      line = "";
      const chars = [...rest];
      lines.push(chars.slice(0, width).join(""));
      rest = chars.slice(width).join("");
    }
    if (!line) line = rest;
    else if (length(line) + 1 + length(rest) <= width) line = `${line} ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  lines.push(line);
  return lines;
}

const seconds = (ms) => (ms ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : "-");

const longestWord = (cells, i) => Math.max(...cells.map((row) => Math.max(...row[i].split(" ").map(length))));

// Natural widths; while the row is too wide, a wrapping column gives way one
// character at a time: the code down to its longest word, then the scenario
// down to its own, then (words must break) the wider of the two.
function widthsFor(cells, width) {
  const widths = HEAD.map((_, i) => Math.max(...cells.map((row) => length(row[i]))));
  const floors = [longestWord(cells, 0), longestWord(cells, 1)];
  const room = width - length(INDENT) - length(GAP) * (HEAD.length - 1);
  let over = widths.reduce((a, b) => a + b, 0) - room;
  while (over > 0) {
    const above = [1, 0].find((i) => widths[i] > floors[i]);
    const i = above ?? (widths[0] >= widths[1] ? 0 : 1);
    if (widths[i] <= 1) break;
    widths[i]--;
    over--;
  }
  return widths;
}

/**
 * The summary of the demo's `rows` as lines at most `width` characters wide:
 * a header, then each protocol's name and its scenarios, each marked ✓ when
 * it ended as designed and ✗ when not. `style` marks up the
 * header, the rules and a row that did not end as designed.
 */
export function summaryTable(rows, { width = WIDTH, style = {} } = {}) {
  const bold = style.bold ?? ((text) => text);
  const dim = style.dim ?? ((text) => text);
  const red = style.red ?? ((text) => text);
  const cells = rows.map((r) => [r.scenario, r.code, r.action, String(r.attempts), seconds(r.waitedMs)]);
  const widths = widthsFor([HEAD, ...cells], width);
  const line = (row, mark = INDENT) => {
    const columns = row.map((cell, i) => (WRAPS[i] ? wrap(cell, widths[i]) : [cell]));
    const height = Math.max(...columns.map((c) => c.length));
    return Array.from({ length: height }, (_, at) =>
      `${at === 0 ? mark : INDENT}${columns
        .map((c, i) => {
          const text = c[at] ?? "";
          const pad = " ".repeat(Math.max(0, widths[i] - length(text)));
          return RIGHT[i] ? pad + text : text + pad;
        })
        .join(GAP)}`.trimEnd(),
    );
  };
  const out = [...line(HEAD).map(bold), dim(`${INDENT}${widths.map((w) => "-".repeat(w)).join(GAP)}`)];
  let protocol;
  for (const [i, r] of rows.entries()) {
    if (r.protocol !== protocol) {
      protocol = r.protocol;
      out.push(bold(protocol));
    }
    out.push(...line(cells[i], r.ok ? MARK.ok : MARK.failed).map((text) => (r.ok ? text : red(text))));
  }
  return out;
}
