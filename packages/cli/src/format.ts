import type { CatalogEntry, RecoveryAction, RetryPolicy } from "@wirefault/core";
import { type CloseCodeEntry, type DefinedProtocol, RECOVERY_ACTIONS } from "@wirefault/core/protocol";

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** One line for a retry policy: what `retry()` does with the code. */
export function describePolicy(policy: RetryPolicy | undefined): string {
  if (!policy) return "";
  const parts: string[] = [];
  if (policy.baseMs !== undefined)
    parts.push(`from ${seconds(policy.baseMs)}${policy.factor ? ` ×${policy.factor}` : ""}`);
  if (policy.minDelayMs) parts.push(`≥ ${seconds(policy.minDelayMs)}`);
  if (policy.capMs !== undefined) parts.push(`≤ ${seconds(policy.capMs)}`);
  if (policy.maxAttempts !== undefined) parts.push(`${policy.maxAttempts} attempts max`);
  if (policy.jitter) parts.push(`${policy.jitter} jitter`);
  return parts.join(", ");
}

/** What each recovery action asks of the caller, in one phrase: core's meanings. */
export const ACTIONS = RECOVERY_ACTIONS;

/** A row that says what to do: a catalog entry, a close code, a range or an unlisted code. */
export interface ActionRow {
  readonly action?: RecoveryAction | undefined;
  readonly advice?: string | undefined;
}

/** What to do about a row: its own advice where the catalog has one, else its action's meaning. */
export function adviceOf(row: ActionRow): string {
  return row.advice ?? ACTIONS[row.action ?? "abort"];
}

/** A row's action and what to do, in one line: `retry: retry once after 2-5 s; …`. */
export const actionLine = (row: ActionRow): string => {
  const advice = adviceOf(row);
  return `${row.action ?? "abort"}: ${advice.charAt(0).toLowerCase()}${advice.slice(1)}`;
};

/** A row's message template (`Device not found: <device_id_hex>`), where its protocol documents one. */
export function templateOf(row: object): string | undefined {
  return "template" in row && typeof row.template === "string" ? row.template : undefined;
}

const cell = (value: unknown): string =>
  value === undefined || value === null ? "" : String(value).replaceAll("|", "\\|");

/** A catalog as a markdown table, hiding columns that would say nothing. */
export function catalogTable(catalog: readonly (CatalogEntry & { readonly layer?: string })[]): string {
  const showName = catalog.some((entry) => entry.name !== entry.code);
  const showSurface = new Set(catalog.map((entry) => entry.surface)).size > 1;
  const showLayer = catalog.some((entry) => entry.layer !== undefined);
  const showAdvice = catalog.some((entry) => entry.advice !== undefined);
  type Entry = (typeof catalog)[number];
  const columns: [string, (entry: Entry) => unknown][] = [
    ["Code", (e) => (typeof e.code === "string" ? `\`${e.code}\`` : e.code)],
    ...(showName ? [["Name", (e: Entry) => `\`${e.name}\``] as [string, (entry: Entry) => unknown]] : []),
    ...(showSurface ? [["Surface", (e: Entry) => e.surface] as [string, (entry: Entry) => unknown]] : []),
    ...(showLayer ? [["Layer", (e: Entry) => e.layer] as [string, (entry: Entry) => unknown]] : []),
    ["Status", (e) => e.status],
    ["Retryable", (e) => e.retryable],
    ["Action", (e) => `\`${e.action}\``],
    ["Retry policy", (e) => describePolicy(e.policy)],
    ["Summary", (e) => e.summary],
    ...(showAdvice ? [["What to do", (e: Entry) => e.advice ?? ""] as [string, (entry: Entry) => unknown]] : []),
  ];
  return [
    `| ${columns.map(([title]) => title).join(" | ")} |`,
    `|${columns.map(() => "---").join("|")}|`,
    ...catalog.map((entry) => `| ${columns.map(([, get]) => cell(get(entry))).join(" | ")} |`),
  ].join("\n");
}

const table = <T>(rows: readonly T[], columns: readonly (readonly [string, (row: T) => unknown])[]): string =>
  [
    `| ${columns.map(([title]) => title).join(" | ")} |`,
    `|${columns.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${columns.map(([, get]) => cell(get(row))).join(" | ")} |`),
  ].join("\n");

const code = (value: string | number): string => (typeof value === "string" ? `\`${value}\`` : String(value));

/**
 * Everything a protocol's definition documents, as markdown: its catalog, the
 * other spellings of its codes, the codes real servers send beyond the page,
 * its numeric ranges and its own WebSocket close codes. What the README and
 * docs/errors.md show, and what `wirefault explain` searches.
 */
export function protocolReference(protocol: DefinedProtocol): string {
  const templated = protocol.catalog.flatMap((entry) => {
    const template = templateOf(entry);
    return template === undefined ? [] : [{ template, entry }];
  });
  // First, so that searching the page for a message's words finds the row it names.
  const parts =
    templated.length === 0
      ? []
      : [
          'Messages that name their code (`<…>` is the variable part; `wirefault explain "<message>"` finds the row):',
          table(templated, [
            ["Message template", (row) => `\`${row.template}\``],
            ["Code", (row) => code(row.entry.code)],
            ["Status", (row) => row.entry.status],
          ]),
        ];
  parts.push(catalogTable(protocol.catalog));
  const aliases = Object.entries(protocol.aliases ?? {});
  if (aliases.length > 0)
    parts.push(
      "Other spellings seen on the wire, read as the documented code:",
      table(aliases, [
        ["Received", ([alias]) => code(alias)],
        ["Read as", ([, target]) => code(target)],
      ]),
    );
  if ((protocol.unlisted ?? []).length > 0)
    parts.push(
      "Codes real servers send beyond the page: classified as below, but `known: false`:",
      table(protocol.unlisted ?? [], [
        ["Code", (row) => code(row.code)],
        ["Surface", (row) => row.surface],
        ["Retryable", (row) => row.retryable],
        ["Action", (row) => `\`${row.action}\``],
        ["Summary", (row) => row.summary],
      ]),
    );
  if ((protocol.ranges ?? []).length > 0)
    parts.push(
      "Numeric ranges: an unlisted code inside one is read by its range:",
      table(protocol.ranges ?? [], [
        ["Range", (r) => `${r.min}-${r.max}`],
        ["Name", (r) => r.name],
        ["Retryable", (r) => r.retryable ?? "no (unknown)"],
        ["Action", (r) => `\`${r.action ?? "abort"}\``],
        ["Summary", (r) => r.summary],
      ]),
    );
  if ((protocol.closeCodes ?? []).length > 0)
    parts.push(
      "WebSocket close codes of its own (`fromClose`; the standard codes 1000-1015 follow RFC 6455):",
      table(protocol.closeCodes ?? [], [
        ["Code", (row) => row.code],
        ["Reason", (row) => (row.reason === undefined ? "" : `\`${row.reason}\``)],
        ["Name", (row) => `\`${row.name}\``],
        ["Retryable", (row) => row.retryable],
        ["Action", (row) => `\`${row.action}\``],
        ["Summary", (row) => row.summary],
        ...((protocol.closeCodes ?? []).some((row) => row.advice !== undefined)
          ? [["What to do", (row: CloseCodeEntry) => row.advice ?? ""] as const]
          : []),
      ]),
    );
  return parts.join("\n\n");
}
