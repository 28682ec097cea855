import { version } from "../package.json";
import { explain } from "./explain.js";
import { PARSE_ARGS, parse } from "./parse.js";
import { PROTOCOLS, type Registry } from "./protocols.js";
import { ok, type Result, readArgs, usage } from "./result.js";
import { printable, quote } from "./text.js";

export { explain } from "./explain.js";
export { parse } from "./parse.js";
export type { Result } from "./result.js";

/** The package's version, inlined at build time. */
export const VERSION: string = version;

/** The text `wirefault help` prints. */
export const HELP = `wirefault: what an error off the wire means, and what to do about it

usage:
  wirefault explain <code>                 search every protocol for a code, constant name or alias
  wirefault explain <protocol> <code>      one protocol's reading: catalog entry, alias, WebSocket
                                           close code, a code inside a documented range, or one of
                                           wirefault's own WIREFAULT_* codes
  wirefault parse [options] [payload]      classify a captured payload given as an argument,
                                           with -f <file>, or on stdin: JSON, text, MessagePack,
                                           or a Tryll frame as bytes, hex or base64. Every
                                           protocol that reads it gives its reading.
      -p, --protocol <p>                   read it as this protocol only
      -s, --status <n>                     the HTTP status it came with; classifies a body
                                           that names no code, and reads a telemetry 207 batch
      -f, --file <path>                    read the payload from a file ("-" for stdin)
      --json                               one JSON object per reading, one per line
  wirefault list [protocol] [--json]       every documented code, with a header row
  wirefault --version                      the version
  wirefault help                           this text

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
export function list(args: readonly string[], protocols: Registry = PROTOCOLS): Result {
  const parsed = readArgs(args, { flags: ["--json"] });
  if (typeof parsed === "string") return usage(parsed);
  const [only, ...rest] = parsed.positionals;
  if (rest.length > 0) return usage("usage: wirefault list [protocol] [--json]");
  if (only !== undefined && !protocols.has(only)) return usage(`unknown protocol ${quote(only)}`);
  const found = listRows(only, protocols);
  if (parsed.flags.has("--json")) return ok(`${JSON.stringify(found)}\n`);
  const lines = [LIST_COLUMNS.join("\t")];
  for (const row of found) lines.push(LIST_COLUMNS.map((column) => printable(String(row[column] ?? "-"))).join("\t"));
  return ok(`${lines.join("\n")}\n`);
}

/** Reads the bytes of a file; rejects with the system error when it cannot. */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/**
 * Runs one command line. `stdin` is read only by `parse` without a payload
 * argument or with `-f -`; `readFile` only by `parse -f <path>`.
 */
export async function run(
  argv: readonly string[],
  stdin: () => Promise<Uint8Array>,
  readFile?: ReadFile,
  protocols: Registry = PROTOCOLS,
): Promise<Result> {
  const [command, ...args] = argv;
  if (args.includes("--help") || args.includes("-h")) return ok(HELP);
  switch (command) {
    case "explain":
      return explain(args, protocols);
    case "list":
      return list(args, protocols);
    case "parse": {
      const input = await parseInput(args, stdin, readFile);
      return typeof input === "string" ? usage(input) : parse(args, input, protocols);
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
  stdin: () => Promise<Uint8Array>,
  readFile: ReadFile | undefined,
): Promise<Uint8Array | string> {
  const parsed = readArgs(args, PARSE_ARGS);
  if (typeof parsed === "string" || parsed.positionals.some((arg) => arg !== "-")) return new Uint8Array();
  const file = parsed.values.get("--file");
  const fromStdin = file === undefined || file === "-";
  if (!fromStdin && !readFile) return `cannot read ${quote(file)}: no file access here`;
  try {
    return fromStdin ? await stdin() : await (readFile as ReadFile)(file);
  } catch (error) {
    const why = (error as { code?: unknown } | null)?.code ?? "unreadable";
    return `cannot read ${fromStdin ? "stdin" : quote(file)} (${String(why)})`;
  }
}

/** Where `main` reads its input from. */
export interface Io {
  /** The bytes piped in; empty when stdin is a terminal. */
  stdin(): Promise<Uint8Array>;
  readFile: ReadFile;
}

/**
 * What the `wirefault` binary runs: one command line in, a {@link Result} out,
 * over wirefault's five protocols or the `protocols` given.
 * Never rejects: bad input is exit code 2 with one line, and a failure of
 * wirefault itself is exit code 1 with one line.
 */
export async function main(argv: readonly string[], io: Io, protocols: Registry = PROTOCOLS): Promise<Result> {
  try {
    return await run(argv, () => io.stdin(), io.readFile, protocols);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { code: 1, stdout: "", stderr: `wirefault: internal error (please report it): ${printable(message)}\n` };
  }
}
