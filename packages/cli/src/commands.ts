import type { CatalogEntry, Protocol, ProtocolError } from "@wirefault/core";
import { ACTIONS, describePolicy } from "./format.js";
import { detectPayload } from "./payload.js";
import { BINARY, isProtocol, PROTOCOLS } from "./protocols.js";

/** What a command prints and the exit code it ends with. */
export interface Result {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

const ok = (stdout: string): Result => ({ code: 0, stdout, stderr: "" });
/** Bad usage or unknown input: one line on stderr, exit code 2, never a stack trace. */
const usage = (message: string): Result => ({ code: 2, stdout: "", stderr: `wirefault: ${message}\n` });

/** The text `wirefault help` prints. */
export const HELP = `wirefault: what an error off the wire means, and what to do about it

  wirefault explain <code>                 search every protocol for a code or name
  wirefault explain <protocol> <code>      one protocol's entry in full
  wirefault parse [--protocol p] [--status n] [--json] < payload
                                           classify a captured payload: JSON, MessagePack,
                                           or a Tryll frame as bytes, hex or base64
  wirefault list [protocol]                every documented code

protocols: ${Object.keys(PROTOCOLS).join(", ")}
`;

interface Match {
  readonly protocol: Protocol;
  readonly entry: CatalogEntry;
}

function find(code: string, only?: Protocol): Match[] {
  const wanted = code.trim().toLowerCase();
  const matches: Match[] = [];
  for (const [protocol, mod] of Object.entries(PROTOCOLS) as [Protocol, (typeof PROTOCOLS)[Protocol]][]) {
    if (only && protocol !== only) continue;
    for (const entry of mod.catalog) {
      if (String(entry.code).toLowerCase() === wanted || entry.name.toLowerCase() === wanted)
        matches.push({ protocol, entry });
    }
  }
  return matches;
}

function describe({ protocol, entry }: Match): string {
  const rows: [string, unknown][] = [
    ["name", entry.name],
    ["surface", entry.surface],
    ["status", entry.status ?? "-"],
    ["retryable", entry.retryable],
    ["action", `${entry.action}: ${ACTIONS[entry.action]}`],
    ["retry policy", describePolicy(entry.policy) || "core defaults"],
    ["summary", entry.summary],
  ];
  return [
    `${protocol} ${String(entry.code)}`,
    ...rows.map(([key, value]) => `  ${`${key}:`.padEnd(14)}${String(value)}`),
  ].join("\n");
}

/** Explains an error code or name: `wirefault explain <code>`, or `wirefault explain <protocol> <code>`. */
export function explain(args: readonly string[]): Result {
  const [first, second, ...rest] = args;
  if (first === undefined || rest.length > 0) return usage("usage: wirefault explain [protocol] <code>");
  if (second !== undefined && !isProtocol(first)) return usage(`unknown protocol "${first}"`);
  const protocol = second === undefined ? undefined : (first as Protocol);
  const code = second ?? first;
  const matches = find(code, protocol);
  if (matches.length === 0)
    return usage(`no protocol documents the code "${code}"${protocol ? ` (searched ${protocol})` : ""}`);
  return ok(`${matches.map(describe).join("\n\n")}\n`);
}

/** Lists the codes of one protocol, or of all five: `wirefault list [protocol]`. */
export function list(args: readonly string[]): Result {
  const [only, ...rest] = args;
  if (rest.length > 0) return usage("usage: wirefault list [protocol]");
  if (only !== undefined && !isProtocol(only)) return usage(`unknown protocol "${only}"`);
  const lines: string[] = [];
  for (const [protocol, mod] of Object.entries(PROTOCOLS)) {
    if (only && protocol !== only) continue;
    for (const e of mod.catalog) {
      lines.push([protocol, e.surface, String(e.code), e.name, e.status ?? "-", e.retryable, e.action].join("\t"));
    }
  }
  return ok(`${lines.join("\n")}\n`);
}

interface ParseOptions {
  protocol?: Protocol;
  status?: number;
  json: boolean;
}

function parseOptions(args: readonly string[]): ParseOptions | string {
  const options: ParseOptions = { json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === "--json") options.json = true;
    else if (arg === "--protocol" && value !== undefined) {
      if (!isProtocol(value)) return `unknown protocol "${value}"`;
      options.protocol = value;
      i++;
    } else if (arg === "--status" && value !== undefined) {
      const status = Number(value);
      if (!Number.isInteger(status) || status < 100 || status > 599)
        return `--status takes an HTTP status, not "${value}"`;
      options.status = status;
      i++;
    } else return `unknown option "${arg}"`;
  }
  return options;
}

function render(err: ProtocolError, json: boolean): string {
  if (json) return `${JSON.stringify(err.toJSON())}\n`;
  const name = err.codeName && err.codeName !== String(err.code) ? ` ${err.codeName}` : "";
  return [
    `${err.protocol} ${String(err.code)}${name}${err.known ? "" : " (not in the catalog)"}`,
    `  message:      ${err.message}`,
    `  status:       ${err.status ?? "-"}`,
    `  retryable:    ${err.retryable}`,
    `  action:       ${err.action}: ${ACTIONS[err.action]}`,
    ...(err.retryAfterMs === undefined ? [] : [`  retry after:  ${err.retryAfterMs} ms`]),
    "",
  ].join("\n");
}

/** Classifies a captured payload read from stdin: `wirefault parse`. */
export function parse(args: readonly string[], input: Uint8Array): Result {
  const options = parseOptions(args);
  if (typeof options === "string") return usage(options);
  const payload = detectPayload(input);
  if (payload.kind === "empty") return usage("no payload on stdin");
  const context = options.status === undefined ? {} : { status: options.status };
  const candidates: Protocol[] = options.protocol ? [options.protocol] : (Object.keys(PROTOCOLS) as Protocol[]);
  let found: ProtocolError | undefined;
  if (payload.kind === "json") {
    for (const protocol of candidates) {
      const err = PROTOCOLS[protocol].parseError(payload.value, context);
      if (err.known || options.protocol) {
        found = err;
        break;
      }
    }
  } else {
    for (const protocol of candidates) {
      const decode = protocol === "atlas" || protocol === "tryll" ? BINARY[protocol] : undefined;
      const err = decode ? decode(payload.bytes) : PROTOCOLS[protocol].parseError(payload.bytes, context);
      if (err && (err.known || options.protocol)) {
        found = err;
        break;
      }
    }
  }
  if (!found) {
    return usage(
      `not a recognisable error of ${options.protocol ?? "any protocol"} (${payload.kind}${payload.kind === "json" ? "" : `, ${payload.bytes.byteLength} bytes`}); try --protocol`,
    );
  }
  return ok(render(found, options.json));
}

/** Runs one command line; `stdin` is read only by `parse`. */
export async function run(argv: readonly string[], stdin: () => Promise<Uint8Array>): Promise<Result> {
  const [command, ...args] = argv;
  switch (command) {
    case "explain":
      return explain(args);
    case "list":
      return list(args);
    case "parse":
      return parse(args, await stdin());
    case undefined:
    case "help":
    case "--help":
    case "-h":
      return ok(HELP);
    default:
      return usage(`unknown command "${command}" (try: wirefault help)`);
  }
}
