import type { CatalogEntry, Classification, CodeRange, ProtocolError } from "@wirefault/core";
import type { CloseCodeEntry } from "@wirefault/core/protocol";
import { ACTIONS, describePolicy } from "./format.js";
import { type CliProtocol, type LocalCodeInfo, localCodes, PROTOCOLS, type Registry } from "./protocols.js";
import { ok, type Result, readArgs, usage } from "./result.js";
import { quote, rows } from "./text.js";

/** One thing a code can be: a catalog entry (maybe by an alias), a WebSocket close, a code inside a range, or a local code. */
export type Finding =
  | { readonly kind: "entry"; readonly protocol: string; readonly entry: CatalogEntry; readonly alias?: string }
  | { readonly kind: "close"; readonly protocol: string; readonly event: CloseCodeEntry; readonly error: ProtocolError }
  | {
      readonly kind: "range";
      readonly protocol: string;
      readonly code: number;
      readonly range: CodeRange;
      readonly verdict: Classification;
    }
  | { readonly kind: "local"; readonly protocol: string | undefined; readonly info: LocalCodeInfo };

function findIn(protocol: CliProtocol, wanted: string, number: number | undefined): Finding[] {
  const found: Finding[] = [];
  const name = protocol.name;
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

/** Every reading of `code` (a code or a constant name, case-insensitive) in one protocol's knowledge, or in all of it. */
export function findCode(code: string, only?: string, protocols: Registry = PROTOCOLS): Finding[] {
  const wanted = code.trim().toLowerCase();
  const number = /^\d{1,6}$/.test(wanted) ? Number(wanted) : undefined;
  const searched = only === undefined ? [...protocols.values()] : [protocols.get(only)].filter((p) => p !== undefined);
  const found = searched.flatMap((protocol) => findIn(protocol, wanted, number));
  for (const info of localCodes())
    if (info.code.toLowerCase() === wanted) found.push({ kind: "local", protocol: only, info });
  return found;
}

const action = (name: CatalogEntry["action"]): string => `${name}: ${ACTIONS[name]}`;

/** A finding as the lines `wirefault explain` prints. */
export function describeFinding(finding: Finding): string {
  switch (finding.kind) {
    case "entry": {
      const { protocol, entry, alias } = finding;
      return rows(`${protocol} ${String(entry.code)}${alias ? ` (${alias} is an alias of it)` : ""}`, [
        ["name", entry.name],
        ["surface", entry.surface],
        ["status", entry.status ?? "-"],
        ["retryable", entry.retryable],
        ["action", action(entry.action)],
        ["retry policy", describePolicy(entry.policy) || "core defaults"],
        ["summary", entry.summary],
      ]);
    }
    case "close": {
      const { protocol, event, error } = finding;
      return rows(`${protocol} ${event.code} (WebSocket close code)`, [
        ["name", error.codeName],
        ["surface", error.surface ?? "close"],
        ...(event.reason === undefined ? [] : [["reason", JSON.stringify(event.reason)] as const]),
        ["retryable", error.retryable],
        ["action", action(error.action)],
        ["retry policy", describePolicy(error.policy) || "core defaults"],
      ]);
    }
    case "range": {
      const { protocol, code, range, verdict } = finding;
      return rows(`${protocol} ${code} (not in the catalog; inside a documented range)`, [
        ["range", `${range.min}-${range.max} ${range.name}: ${range.summary}`],
        ["surface", range.surface],
        ["retryable", verdict.retryable],
        ["action", action(verdict.action)],
        ...(range.retryable === undefined
          ? [["note", "the range only names a layer: an unlisted code in it stays unknown"] as const]
          : []),
      ]);
    }
    case "local": {
      const { protocol, info } = finding;
      return rows(`${protocol ?? "any protocol"} ${info.code} (wirefault's own code)`, [
        ["retryable", info.byStatus ? `${info.retryable} (over HTTP, the status decides)` : info.retryable],
        ["action", action(info.action)],
        ["summary", info.summary],
      ]);
    }
  }
}

/** `wirefault explain <code>` or `wirefault explain <protocol> <code>`: every reading of a code, name or alias. */
export function explain(args: readonly string[], protocols: Registry = PROTOCOLS): Result {
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
  return ok(`${found.map(describeFinding).join("\n\n")}\n`);
}
