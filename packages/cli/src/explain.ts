import type { CatalogEntry, Classification, CodeRange, ProtocolError } from "@wirefault/core";
import { ACTIONS, describePolicy } from "./format.js";
import type { Protocol } from "./protocols.js";
import {
  aliasesOf,
  type CloseEvent,
  classifyClose,
  closeEventsOf,
  indexOf,
  isProtocol,
  type LocalCodeInfo,
  localCodes,
  PROTOCOL_NAMES,
  PROTOCOLS,
} from "./protocols.js";
import { ok, type Result, readArgs, usage } from "./result.js";
import { quote, rows } from "./text.js";

/** One thing a code can be: a catalog entry (maybe by an alias), a WebSocket close, a code inside a range, or a local code. */
export type Finding =
  | { readonly kind: "entry"; readonly protocol: Protocol; readonly entry: CatalogEntry; readonly alias?: string }
  | { readonly kind: "close"; readonly protocol: Protocol; readonly event: CloseEvent; readonly error: ProtocolError }
  | {
      readonly kind: "range";
      readonly protocol: Protocol;
      readonly code: number;
      readonly range: CodeRange;
      readonly verdict: Classification;
    }
  | { readonly kind: "local"; readonly protocol: Protocol | undefined; readonly info: LocalCodeInfo };

function findIn(protocol: Protocol, wanted: string, number: number | undefined): Finding[] {
  const found: Finding[] = [];
  for (const entry of PROTOCOLS[protocol].catalog) {
    if (String(entry.code).toLowerCase() === wanted || entry.name.toLowerCase() === wanted)
      found.push({ kind: "entry", protocol, entry });
  }
  for (const [alias, code] of Object.entries(aliasesOf(protocol))) {
    const entry = indexOf(protocol).get(code);
    if (entry && alias.toLowerCase() === wanted) found.push({ kind: "entry", protocol, entry, alias });
  }
  for (const event of closeEventsOf(protocol)) {
    const error = classifyClose(protocol, event);
    if (error?.known && (event.code === number || error.codeName?.toLowerCase() === wanted))
      found.push({ kind: "close", protocol, event, error });
  }
  // A range speaks only for codes the protocol does not list itself.
  const range = found.length === 0 && number !== undefined ? indexOf(protocol).range(number) : undefined;
  if (range && number !== undefined)
    found.push({ kind: "range", protocol, code: number, range, verdict: indexOf(protocol).classify(number) });
  return found;
}

/** Every reading of `code` (a code or a constant name, case-insensitive) in one protocol's knowledge, or in all of it. */
export function findCode(code: string, only?: Protocol): Finding[] {
  const wanted = code.trim().toLowerCase();
  const number = /^\d{1,6}$/.test(wanted) ? Number(wanted) : undefined;
  const found = (only ? [only] : PROTOCOL_NAMES).flatMap((protocol) => findIn(protocol, wanted, number));
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
        ["retryable", `${info.retryable} (over HTTP, the status decides)`],
        ["action", action(info.action)],
        ["summary", info.summary],
      ]);
    }
  }
}

/** `wirefault explain <code>` or `wirefault explain <protocol> <code>`: every reading of a code, name or alias. */
export function explain(args: readonly string[]): Result {
  const parsed = readArgs(args, {});
  if (typeof parsed === "string") return usage(parsed);
  const [first, second, ...rest] = parsed.positionals;
  if (first === undefined || rest.length > 0) return usage("usage: wirefault explain [protocol] <code>");
  if (second === undefined && isProtocol(first) && findCode(first).length === 0)
    return usage(`usage: wirefault explain ${first} <code>`);
  if (second !== undefined && !isProtocol(first)) return usage(`unknown protocol ${quote(first)}`);
  const protocol = second === undefined ? undefined : (first as Protocol);
  const code = second ?? first;
  const found = findCode(code, protocol);
  if (found.length === 0)
    return usage(`no protocol documents the code ${quote(code)}${protocol ? ` (searched ${protocol})` : ""}`);
  return ok(`${found.map(describeFinding).join("\n\n")}\n`);
}
