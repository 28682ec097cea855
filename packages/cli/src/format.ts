import type { CatalogEntry, RetryPolicy } from "@wirefault/core";
import { RECOVERY_ACTIONS } from "@wirefault/core/protocol";

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

const cell = (value: unknown): string =>
  value === undefined || value === null ? "" : String(value).replaceAll("|", "\\|");

/** A catalog as a markdown table, hiding columns that would say nothing. */
export function catalogTable(catalog: readonly (CatalogEntry & { readonly layer?: string })[]): string {
  const showName = catalog.some((entry) => entry.name !== entry.code);
  const showSurface = new Set(catalog.map((entry) => entry.surface)).size > 1;
  const showLayer = catalog.some((entry) => entry.layer !== undefined);
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
  ];
  return [
    `| ${columns.map(([title]) => title).join(" | ")} |`,
    `|${columns.map(() => "---").join("|")}|`,
    ...catalog.map((entry) => `| ${columns.map(([, get]) => cell(get(entry))).join(" | ")} |`),
  ].join("\n");
}
