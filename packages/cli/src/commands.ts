import { version } from "../package.json";
import { explain } from "./explain.js";
import { PARSE_ARGS, parse, parseLimit } from "./parse.js";
import { PROTOCOLS, type Registry } from "./protocols.js";
import { ok, type Result, readArgs, usage } from "./result.js";
import { COLOUR, PLAIN, type Style } from "./style.js";
import { columns, printable, quote } from "./text.js";

export { explain } from "./explain.js";
export { parse } from "./parse.js";
export type { Result } from "./result.js";

/** The package's version, inlined at build time. */
export const VERSION: string = version;

/** The text `wirefault help` prints. */
export const HELP = `wirefault: what an error off the wire means, and what to do about it

usage:
  wirefault explain [protocol] <code>
      every reading of a code, constant name or alias: a catalog entry, an
      alias, a WebSocket close code, a code inside a documented range, one of
      wirefault's own WIREFAULT_* codes, or the code a message's text names
  wirefault parse [options] [payload]
      classify a captured payload given as an argument, with -f <file>, or on
      stdin: JSON, text, MessagePack, or a Tryll frame as bytes, hex or base64.
      Every protocol that reads it gives its reading.
    -p, --protocol <p>   read it as this protocol only
    -s, --status <n>     the HTTP status it came with; classifies a body that
                         names no code, and reads a telemetry 207 batch
    -f, --file <path>    read the payload from a file ("-" for stdin)
    --json               one JSON object per reading, one per line
  wirefault list [protocol] [--json]
      every documented code, in columns under a header row
  wirefault --version    the version
  wirefault help         this text

  --color, --no-color    colour on or off; by default on when stdout is a
                         terminal and NO_COLOR is unset

examples:
  wirefault explain 4001
      Atlas ERR_RATE_LIMITED, Tryll InferenceFailed, CKG Relay's close code
  wirefault explain ckg-relay AGENT_TIMEOUT
  wirefault explain "Device not found: c5785ea2c66a"
      the text of a telemetry 207 entry finds its code
  wirefault parse '{"type":"error","error":"Agent is offline","code":"AGENT_OFFLINE"}'
  wirefault parse -f -
      paste a payload on the terminal, then Ctrl-D on a line of its own
  wirefault parse --status 502 -f error-page.html
  xxd -p frame.bin | wirefault parse --protocol tryll --json
  wirefault list atlas

exit codes:
  0  done
  1  wirefault itself failed: a bug, please report it
  2  bad usage, or input wirefault cannot read as an error (one line on stderr)

protocols: ${[...PROTOCOLS.keys()].join(", ")}
`;

const LIST_COLUMNS = ["protocol", "surface", "code", "name", "status", "retryable", "action"] as const;
type ListRow = Record<(typeof LIST_COLUMNS)[number], string | number | undefined> & {
  summary?: string;
  reason?: string;
};

function listRows(only: string | undefined, protocols: Registry): ListRow[] {
  const out: ListRow[] = [];
  for (const [name, protocol] of protocols) {
    if (only && name !== only) continue;
    for (const e of protocol.catalog) {
      out.push({
        protocol: name,
        surface: e.surface,
        code: e.code,
        name: e.name,
        status: e.status,
        retryable: e.retryable,
        action: e.action,
        summary: e.summary,
      });
    }
    // The protocol's own close codes are documented codes too; the standard ones belong to RFC 6455.
    for (const row of protocol.closeCodes ?? []) {
      const { code, name: constant, retryable, action, summary, reason } = row;
      out.push({
        protocol: name,
        surface: "close",
        code,
        name: constant,
        status: undefined,
        retryable,
        action,
        summary,
        reason,
      });
    }
  }
  return out;
}

/** `wirefault list [protocol] [--json]`: every documented code, under a header row, or as a JSON array. */
export function list(args: readonly string[], protocols: Registry = PROTOCOLS, style: Style = PLAIN): Result {
  const parsed = readArgs(args, { flags: ["--json"] });
  if (typeof parsed === "string") return usage(parsed);
  const [only, ...rest] = parsed.positionals;
  if (rest.length > 0) return usage("usage: wirefault list [protocol] [--json]");
  if (only !== undefined && !protocols.has(only)) return usage(`unknown protocol ${quote(only)}`);
  const found = listRows(only, protocols);
  if (parsed.flags.has("--json")) return ok(`${JSON.stringify(found)}\n`);
  const cells = [[...LIST_COLUMNS], ...found.map((row) => LIST_COLUMNS.map((column) => String(row[column] ?? "-")))];
  return ok(`${columns(cells, style)}\n`);
}

/** Reads the bytes of a file, at most `maxBytes` and one more; rejects with the system error when it cannot. */
export type ReadFile = (path: string, maxBytes: number) => Promise<Uint8Array>;

/** Reads at most `maxBytes` bytes and one more, so that the caller can tell a payload over the limit. */
export type ReadSource = (maxBytes: number) => Promise<Uint8Array>;

// `--color` and `--no-color` go anywhere on the line; the last one given wins.
function colourFlag(argv: readonly string[]): { rest: string[]; colour: boolean | undefined } {
  const end = argv.indexOf("--");
  const rest: string[] = [];
  let colour: boolean | undefined;
  argv.forEach((arg, i) => {
    const option = end === -1 || i < end;
    if (option && arg === "--color") colour = true;
    else if (option && arg === "--no-color") colour = false;
    else rest.push(arg);
  });
  return { rest, colour };
}

/**
 * Runs one command line. `stdin` is read only by `parse` without a payload
 * argument or with `-f -`; `readFile` only by `parse -f <path>`. `colour` is
 * the default when the line gives neither `--color` nor `--no-color`.
 */
export async function run(
  argv: readonly string[],
  stdin: ReadSource,
  readFile?: ReadFile,
  protocols: Registry = PROTOCOLS,
  colour = false,
): Promise<Result> {
  const flag = colourFlag(argv);
  const style = (flag.colour ?? colour) ? COLOUR : PLAIN;
  const [command, ...args] = flag.rest;
  if (args.includes("--help") || args.includes("-h")) return ok(HELP);
  switch (command) {
    case "explain":
      return explain(args, protocols, style);
    case "list":
      return list(args, protocols, style);
    case "parse": {
      const input = await parseInput(args, stdin, readFile, parseLimit(args, protocols));
      return typeof input === "string" ? usage(input) : parse(args, input, protocols, style);
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      return ok(HELP);
    case "version":
    case "--version":
    case "-V":
    case "-v":
      return args.length > 0 ? usage(`${command} takes no arguments`) : ok(`${VERSION}\n`);
    default:
      return usage(`unknown command ${quote(command)} (try: wirefault help)`);
  }
}

// Reads what `parse` will read: nothing when the payload is an argument (or
// the arguments are wrong; parse reports that), else the file or stdin. A
// source that cannot be read is a message, like any other bad input.
async function parseInput(
  args: readonly string[],
  stdin: ReadSource,
  readFile: ReadFile | undefined,
  limit: number,
): Promise<Uint8Array | string> {
  const parsed = readArgs(args, PARSE_ARGS);
  if (typeof parsed === "string" || parsed.positionals.some((arg) => arg !== "-")) return new Uint8Array();
  const file = parsed.values.get("--file");
  const fromStdin = file === undefined || file === "-";
  if (!fromStdin && !readFile) return `cannot read ${quote(file)}: no file access here`;
  try {
    return fromStdin ? await stdin(limit) : await (readFile as ReadFile)(file, limit);
  } catch (error) {
    const why = (error as { code?: unknown } | null)?.code ?? "unreadable";
    return `cannot read ${fromStdin ? "stdin" : quote(file)} (${String(why)})`;
  }
}

/** Where `main` reads its input from, and how it prints. */
export interface Io {
  /** The bytes of stdin until its end (a pipe's, or what is pasted on a terminal), at most `maxBytes` and one more. */
  stdin(maxBytes: number): Promise<Uint8Array>;
  readFile: ReadFile;
  /** Colour by default (stdout is a terminal and `NO_COLOR` is unset); `--color` and `--no-color` override it. */
  colour?: boolean;
}

/**
 * What the `wirefault` binary runs: one command line in, a {@link Result} out,
 * over wirefault's five protocols or the `protocols` given.
 * Never rejects: bad input is exit code 2 with one line, and a failure of
 * wirefault itself is exit code 1 with one line.
 */
export async function main(argv: readonly string[], io: Io, protocols: Registry = PROTOCOLS): Promise<Result> {
  try {
    return await run(argv, (maxBytes) => io.stdin(maxBytes), io.readFile, protocols, io.colour ?? false);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { code: 1, stdout: "", stderr: `wirefault: internal error (please report it): ${printable(message)}\n` };
  }
}
