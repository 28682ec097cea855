import type { ProtocolError } from "@wirefault/core";
import { utf8Length } from "@wirefault/core/protocol";
import type { BatchResult as Batch } from "@wirefault/telemetry-server";
import { actionLine } from "./format.js";
import { decodeText, detectPayload, type Payload } from "./payload.js";
import { type CliProtocol, localCodes, PROTOCOLS, type Registry } from "./protocols.js";
import { type Args, ok, type Result, readArgs, usage } from "./result.js";
import { PLAIN, type Style } from "./style.js";
import { printable, quote, type Row, rows } from "./text.js";

/**
 * The most `parse` takes from stdin, a file or an argument, given the protocols
 * it may read the payload as: the largest of their caps, spelled as `xxd -p`
 * hex (two digits a byte, a line break every 30 bytes), the widest form a
 * payload is given in. Anything longer is over every cap in every form, and is
 * refused before it is decoded.
 */
export const inputLimit = (protocols: Iterable<Pick<CliProtocol, "maxBytes">>): number => {
  const cap = largestCap(protocols);
  return 2 * cap + Math.ceil(cap / 30) + 2;
};

const largestCap = (protocols: Iterable<Pick<CliProtocol, "maxBytes">>): number => {
  let cap = 0;
  for (const protocol of protocols) cap = Math.max(cap, protocol.maxBytes);
  return cap;
};

/** The most `parse` reads over wirefault's five protocols: {@link inputLimit} of their caps. */
export const MAX_INPUT_BYTES: number = inputLimit(PROTOCOLS.values());

/** The options `parse` takes. */
export const PARSE_ARGS = Object.freeze({
  flags: ["--json"],
  values: ["--protocol", "--status", "--file"],
  aliases: { "-p": "--protocol", "-s": "--status", "-f": "--file" },
});

/** What one protocol makes of a payload. */
type Reading =
  | { readonly protocol: string; readonly error: ProtocolError; readonly batch?: undefined }
  | { readonly protocol: string; readonly batch: Batch; readonly error?: undefined };

interface Context {
  readonly status?: number;
}

/** One form the payload may be read in: its decoded bytes, or its text. */
interface Form {
  readonly input: unknown;
  readonly label: string;
}

function formsOf(payload: Exclude<Payload, { kind: "empty" }>): Form[] {
  switch (payload.kind) {
    case "json":
      return [{ input: payload.value, label: "JSON" }];
    case "text": {
      // A word may still spell bytes ("AAAA" is three zero bytes): tried after the text.
      const decoded = decodeText(payload.text);
      const text = { input: payload.text, label: `text, ${utf8Length(payload.text)} bytes` };
      return decoded
        ? [text, { input: decoded.bytes, label: `${decoded.kind}, ${decoded.bytes.byteLength} bytes decoded` }]
        : [text];
    }
    case "binary":
      return [{ input: payload.bytes, label: `binary, ${payload.bytes.byteLength} bytes` }];
    default:
      // Well-formed hex or base64 may still be a word: if no protocol reads the
      // bytes, the text itself is read, and both are named when nothing does.
      return [
        { input: payload.bytes, label: `${payload.kind}, ${payload.bytes.byteLength} bytes decoded` },
        { input: payload.text, label: `text, ${utf8Length(payload.text)} bytes` },
      ];
  }
}

const LOCAL: ReadonlySet<unknown> = new Set(localCodes().map((info) => info.code));

// A protocol reads a payload when its parser finds a code in it. The status is
// left out of that test, so that a status alone never counts as a code in the body.
function readingsOf(input: unknown, candidates: readonly CliProtocol[], context: Context): Reading[] {
  const named: Reading[] = [];
  for (const { name, parseError } of candidates) {
    const bare = parseError(input);
    if (LOCAL.has(bare.code)) continue;
    named.push({ protocol: name, error: context.status === undefined ? bare : parseError(input, context) });
  }
  const batches: Reading[] = [];
  for (const protocol of context.status === undefined ? [] : candidates) {
    const batch = protocol.readBatch?.(context.status as number, input);
    if (batch && batch.error === undefined) batches.push({ protocol: protocol.name, batch });
  }
  const known = named.filter((reading) => reading.error?.known);
  // A code one protocol documents outweighs another's undocumented reading of the same field.
  return batches.length > 0 || known.length > 0 ? [...batches, ...known] : named;
}

// What every error has, printed in its own rows or in the head; any other field of
// toJSON() is the protocol's own (eventId, refMsgId, requestId, agentId, layer, seq, …).
const CORE_FIELDS: ReadonlySet<string> = new Set([
  "name",
  "message",
  "protocol",
  "surface",
  "code",
  "codeName",
  "status",
  "retryable",
  "action",
  "known",
  "retryAfterMs",
  // wirefault's own note on why the body did not parse, not a field of the protocol.
  "cause",
]);

// A field's value on one line: text as it is, anything else as JSON.
const fieldText = (value: unknown): string =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));

function render(error: ProtocolError, label: string, protocol: CliProtocol | undefined, style: Style): string {
  const name = error.codeName && error.codeName !== String(error.code) ? ` ${error.codeName}` : "";
  // A local code's message is wirefault's own words about the body, not the server's: left out,
  // so that protocols agreeing on a status print as one reading.
  const local = LOCAL.has(error.code);
  const head = local
    ? `${label}: no code, classified by the status alone`
    : `${label} ${String(error.code)}${name}${error.known ? "" : " (not in the catalog)"}`;
  const entry = error.known ? protocol?.index.get(error.code) : undefined;
  const own = Object.entries(error.toJSON()).filter(([key, value]) => !CORE_FIELDS.has(key) && value !== undefined);
  const pairs: Row[] = [
    ...(local ? [] : [["message", error.message] as const]),
    ...(entry ? [["summary", entry.summary] as const] : []),
    // Left out with a local code, like the message: each protocol names its own HTTP surface.
    ...(local ? [] : [["surface", error.surface ?? "-"] as const]),
    ["status", error.status ?? "-"],
    ["retryable", error.retryable, style.verdict(error.retryable, error.retryable)],
    // The row's advice where the error's action is the row's own; a status may have overridden it.
    ["action", actionLine(entry?.action === error.action ? entry : error)],
    ...(error.retryAfterMs === undefined ? [] : [["retry after", `${error.retryAfterMs} ms`] as const]),
    ...own.map(([key, value]) => [key, fieldText(value)] as const),
  ];
  return rows(head, pairs, style);
}

function renderBatch(
  { status, accepted, errors }: Batch,
  label: string,
  protocol: CliProtocol | undefined,
  style: Style,
): string {
  const head = `${label} batch answer, HTTP ${status}: ${accepted} accepted, ${errors.length} failed`;
  const entries = errors.map((error) =>
    render(error, `seq ${error.seq ?? "-"}:`, protocol, style).replace(/^/gm, "  "),
  );
  return [rows(head, [], style), ...entries].join("\n");
}

// JSON leaves C1 and bidi characters raw: printable writes them as \uXXXX, which is still valid JSON.
const toJson = (reading: Reading): string =>
  printableJson(
    reading.batch
      ? {
          protocol: reading.protocol,
          status: reading.batch.status,
          accepted: reading.batch.accepted,
          errors: reading.batch.errors.map((error) => error.toJSON()),
        }
      : reading.error.toJSON(),
  );

const printableJson = (value: unknown): string => printable(JSON.stringify(value));

// Readings that say the same thing are printed once, under every protocol that gives them.
function renderAll(readings: readonly Reading[], registry: Registry, style: Style): string[] {
  const show = (reading: Reading, label: string, s: Style) => {
    const protocol = registry.get(reading.protocol);
    return reading.batch ? renderBatch(reading.batch, label, protocol, s) : render(reading.error, label, protocol, s);
  };
  const groups = new Map<string, { reading: Reading; protocols: string[] }>();
  for (const reading of readings) {
    const key = show(reading, "", PLAIN);
    const group = groups.get(key);
    if (group) group.protocols.push(reading.protocol);
    else groups.set(key, { reading, protocols: [reading.protocol] });
  }
  return [...groups.values()].map(({ reading, protocols }) => show(reading, protocols.join(", "), style));
}

function readOptions(
  args: Args,
  protocols: Registry,
): { protocol?: CliProtocol; status?: number; json: boolean } | string {
  const name = args.values.get("--protocol");
  const status = args.values.get("--status");
  const protocol = name === undefined ? undefined : protocols.get(name);
  if (name !== undefined && !protocol)
    return `unknown protocol ${quote(name)} (protocols: ${[...protocols.keys()].join(", ")})`;
  const code = status === undefined ? undefined : Number(status);
  if (code !== undefined && (!/^\d{3}$/.test(status as string) || code < 100 || code > 599))
    return `--status takes an HTTP status (100-599), not ${quote(status as string)}`;
  return { protocol, status: code, json: args.flags.has("--json") };
}

/**
 * Why a payload is refused unread, in one line: over `limit` bytes, the cap as
 * hex, or (with its `size`) over the cap itself, in a form that is not hex or base64.
 */
export function tooLarge(
  limit: number,
  candidates: readonly Pick<CliProtocol, "name" | "maxBytes">[],
  size?: number,
): string {
  const widest = candidates.reduce((a, b) => (b.maxBytes > a.maxBytes ? b : a));
  const cap = candidates.length === 1 ? `${widest.name}'s cap` : `the largest cap (${widest.name}'s)`;
  return size === undefined
    ? `the payload is over ${limit} bytes, more than ${cap} of ${widest.maxBytes} bytes even as hex`
    : `the payload is ${size} bytes, more than ${cap} of ${widest.maxBytes} bytes, and not hex or base64`;
}

/** The most `parse` reads for these arguments: {@link inputLimit} of the protocols it may read the payload as. */
export function parseLimit(args: readonly string[], protocols: Registry = PROTOCOLS): number {
  const parsed = readArgs(args, PARSE_ARGS);
  const only = typeof parsed === "string" ? undefined : parsed.values.get("--protocol");
  const protocol = only === undefined ? undefined : protocols.get(only);
  return inputLimit(protocol ? [protocol] : protocols.values());
}

/**
 * `wirefault parse`: what a captured payload is. `args` are the command's own
 * arguments; a payload argument among them wins, else `input` is read (the
 * bytes of stdin, or of the `-f` file). Each protocol that reads the payload
 * gives its reading; with `--status`, a body that names no code is read by its status.
 */
export function parse(
  args: readonly string[],
  input: Uint8Array,
  protocols: Registry = PROTOCOLS,
  style: Style = PLAIN,
): Result {
  const parsed = readArgs(args, PARSE_ARGS);
  if (typeof parsed === "string") return usage(parsed);
  const options = readOptions(parsed, protocols);
  if (typeof options === "string") return usage(options);
  if (parsed.positionals.length > 1)
    return usage(`parse takes one payload argument, not ${parsed.positionals.length}; quote it`);
  if (parsed.positionals.length > 0 && parsed.values.has("--file"))
    return usage("give the payload once: as an argument, with -f, or on stdin");
  const [argument] = parsed.positionals;
  const bytes = argument === undefined || argument === "-" ? input : new TextEncoder().encode(argument);
  const candidates = options.protocol ? [options.protocol] : [...protocols.values()];
  const limit = inputLimit(candidates);
  if (bytes.byteLength > limit) return usage(tooLarge(limit, candidates));
  const cap = largestCap(candidates);
  const payload = detectPayload(bytes, cap);
  if (payload.kind === "empty") return usage("no payload: give it as an argument, with -f <file>, or on stdin");
  // Only hex and base64 may be longer than the bytes they spell: anything else over the cap is refused unread.
  if (bytes.byteLength > cap && payload.kind !== "hex" && payload.kind !== "base64")
    return usage(tooLarge(cap, candidates, bytes.byteLength));

  const context: Context = options.status === undefined ? {} : { status: options.status };
  const forms = formsOf(payload);
  let readings: Reading[] = [];
  for (const form of forms) {
    readings = readingsOf(form.input, candidates, context);
    if (readings.length > 0) break;
  }
  // The status reading takes the body as it came: the text, not bytes it may spell.
  const body = forms.find((form) => !(form.input instanceof Uint8Array)) ?? (forms[0] as Form);
  const byStatus = readings.length === 0 && options.status !== undefined && options.status >= 400;
  // The body names no code, but the status is a fact: each HTTP protocol reads it its own way.
  if (byStatus)
    readings = candidates
      .filter((protocol) => protocol.http !== undefined)
      .map((protocol) => ({ protocol: protocol.name, error: protocol.parseError(body.input, context) }));

  if (readings.length === 0) {
    const what = forms.map((form) => form.label).join("; also tried as ");
    const only = options.protocol
      ? `${options.protocol.name} does not read this payload as an error: ${options.protocol.parseError(forms[0]?.input, context).message}`
      : "no protocol reads this payload as an error";
    const batch =
      options.status === undefined
        ? candidates.find(
            (protocol) => protocol.readBatch !== undefined && protocol.readBatch(207, body.input).error === undefined,
          )
        : undefined;
    const hint = batch
      ? `; it reads as a ${batch.name} batch answer with --status 207`
      : options.protocol || options.status !== undefined
        ? ""
        : "; try --protocol or --status";
    return usage(`${only} (${what})${hint}`);
  }
  if (options.json) return ok(readings.map((reading) => `${toJson(reading)}\n`).join(""));
  const blocks = renderAll(readings, protocols, style);
  const intro = byStatus
    ? `The body names no code; by its HTTP status ${options.status}:\n\n`
    : readings.length > 1
      ? `${readings.length} protocols read this payload, each its own way:\n\n`
      : "";
  return ok(`${intro}${blocks.join("\n\n")}\n`);
}
