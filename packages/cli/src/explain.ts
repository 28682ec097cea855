import type { CatalogEntry, Classification, CodeRange, ProtocolError } from "@wirefault/core";
import type { CloseCodeEntry } from "@wirefault/core/protocol";
import { actionLine, describePolicy, templateOf } from "./format.js";
import { type CliProtocol, type LocalCodeInfo, localCodes, PROTOCOLS, type Registry } from "./protocols.js";
import { ok, type Result, readArgs, usage } from "./result.js";
import { PLAIN, type Style } from "./style.js";
import { quote, type Row, rows } from "./text.js";

/** One thing a code can be: a catalog entry (maybe by an alias), a WebSocket close, a code inside a range, or a local code. */
export type Finding =
  | {
      readonly kind: "entry";
      readonly protocol: string;
      readonly entry: CatalogEntry;
      readonly alias?: string;
      /** The message template the searched text matched, when it was found by its message. */
      readonly template?: string;
    }
  | { readonly kind: "close"; readonly protocol: string; readonly event: CloseCodeEntry; readonly error: ProtocolError }
  | {
      readonly kind: "range";
      readonly protocol: string;
      readonly code: number;
      readonly range: CodeRange;
      readonly verdict: Classification;
    }
  | { readonly kind: "local"; readonly protocol: string | undefined; readonly info: LocalCodeInfo };

// `Device not found: <device_id_hex>` reads any text with those words around a
// placeholder; each `<…>` stands for at least one character.
const templateMatcher = (template: string): RegExp =>
  new RegExp(
    `^${template
      .split(/<[^<>]+>/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".+")}$`,
    "is",
  );

function findIn(protocol: CliProtocol, wanted: string, number: number | undefined, text: string): Finding[] {
  const found: Finding[] = [];
  const name = protocol.name;
  for (const entry of protocol.catalog) {
    const template = templateOf(entry);
    if (template !== undefined && templateMatcher(template).test(text))
      found.push({ kind: "entry", protocol: name, entry, template });
  }
  for (const entry of protocol.catalog) {
    if (String(entry.code).toLowerCase() === wanted || entry.name.toLowerCase() === wanted)
      found.push({ kind: "entry", protocol: name, entry });
  }
  for (const [alias, code] of Object.entries(protocol.aliases ?? {})) {
    const entry = protocol.index.get(code);
    if (entry && alias.toLowerCase() === wanted) found.push({ kind: "entry", protocol: name, entry, alias });
  }
  for (const event of protocol.closes) {
    if (event.code !== number && event.name.toLowerCase() !== wanted) continue;
    const error = protocol.fromClose(event.code, event.reason);
    if (error.known) found.push({ kind: "close", protocol: name, event, error });
  }
  // A range speaks only for codes the protocol does not list itself.
  const range = found.length === 0 && number !== undefined ? protocol.index.range(number) : undefined;
  if (range && number !== undefined)
    found.push({ kind: "range", protocol: name, code: number, range, verdict: protocol.index.classify(number) });
  return found;
}

/**
 * Every reading of `code` in one protocol's knowledge, or in all of it: a code or
 * a constant name (case-insensitive), or the text of a message that names its
 * code by its template (`Device not found: c5785ea2c66a`).
 */
export function findCode(code: string, only?: string, protocols: Registry = PROTOCOLS): Finding[] {
  const text = code.trim();
  const wanted = text.toLowerCase();
  const number = /^\d{1,6}$/.test(wanted) ? Number(wanted) : undefined;
  const searched = only === undefined ? [...protocols.values()] : [protocols.get(only)].filter((p) => p !== undefined);
  const found = searched.flatMap((protocol) => findIn(protocol, wanted, number, text));
  for (const info of localCodes())
    if (info.code.toLowerCase() === wanted) found.push({ kind: "local", protocol: only, info });
  return found;
}

const verdict = (retryable: Classification["retryable"], style: Style, note = ""): Row => [
  "retryable",
  `${retryable}${note}`,
  `${style.verdict(retryable, retryable)}${note}`,
];

const how = (finding: Extract<Finding, { kind: "entry" }>): string =>
  finding.alias
    ? ` (${finding.alias} is an alias of it)`
    : finding.template
      ? ` (the message matches ${JSON.stringify(finding.template)})`
      : "";

/** A finding as the lines `wirefault explain` prints. */
export function describeFinding(finding: Finding, style: Style = PLAIN): string {
  switch (finding.kind) {
    case "entry": {
      const { protocol, entry } = finding;
      const template = templateOf(entry);
      return rows(
        `${protocol} ${String(entry.code)}${how(finding)}`,
        [
          ["name", entry.name],
          ["surface", entry.surface],
          ["status", entry.status ?? "-"],
          verdict(entry.retryable, style),
          ["action", actionLine(entry)],
          ["retry policy", describePolicy(entry.policy) || "core defaults"],
          ["summary", entry.summary],
          ...(template === undefined ? [] : [["message", template] as const]),
        ],
        style,
      );
    }
    case "close": {
      const { protocol, event, error } = finding;
      return rows(
        `${protocol} ${event.code} (WebSocket close code)`,
        [
          ["name", error.codeName],
          ["surface", error.surface ?? "close"],
          ...(event.reason === undefined ? [] : [["reason", JSON.stringify(event.reason)] as const]),
          verdict(error.retryable, style),
          // The row's advice speaks for this close; the error's action decides when the row has none.
          ["action", actionLine({ action: error.action, advice: event.advice })],
          ["retry policy", describePolicy(error.policy) || "core defaults"],
          ...(event.summary === undefined ? [] : [["summary", event.summary] as const]),
        ],
        style,
      );
    }
    case "range": {
      const { protocol, code, range, verdict: classification } = finding;
      return rows(
        `${protocol} ${code} (not in the catalog; inside a documented range)`,
        [
          ["range", `${range.min}-${range.max} ${range.name}: ${range.summary}`],
          ["surface", range.surface],
          verdict(classification.retryable, style),
          ["action", actionLine(classification)],
          ...(range.retryable === undefined
            ? [["note", "the range only names a layer: an unlisted code in it stays unknown"] as const]
            : []),
        ],
        style,
      );
    }
    case "local": {
      const { protocol, info } = finding;
      return rows(
        `${protocol ?? "any protocol"} ${info.code} (wirefault's own code)`,
        [
          verdict(info.retryable, style, info.byStatus ? " (over HTTP, the status decides)" : ""),
          ["action", actionLine(info)],
          ["summary", info.summary],
        ],
        style,
      );
    }
  }
}

/** `wirefault explain <code>` or `wirefault explain <protocol> <code>`: every reading of a code, name or alias. */
export function explain(args: readonly string[], protocols: Registry = PROTOCOLS, style: Style = PLAIN): Result {
  const parsed = readArgs(args, {});
  if (typeof parsed === "string") return usage(parsed);
  const [first, second, ...rest] = parsed.positionals;
  if (first === undefined || rest.length > 0) return usage("usage: wirefault explain [protocol] <code>");
  if (second === undefined && protocols.has(first) && findCode(first, undefined, protocols).length === 0)
    return usage(`usage: wirefault explain ${first} <code>`);
  if (second !== undefined && !protocols.has(first)) return usage(`unknown protocol ${quote(first)}`);
  const protocol = second === undefined ? undefined : first;
  const code = second ?? first;
  const found = findCode(code, protocol, protocols);
  if (found.length === 0)
    return usage(`no protocol documents the code ${quote(code)}${protocol ? ` (searched ${protocol})` : ""}`);
  return ok(`${found.map((finding) => describeFinding(finding, style)).join("\n\n")}\n`);
}
