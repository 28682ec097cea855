import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { catalogTable, describePolicy } from "@wirefault/cli";
import { describe, expect, it } from "vitest";
import { anchor, generated, loadCatalogs, stale, staleApiDocs, withTable } from "./docs.mjs";

const root = new URL("../..", import.meta.url).pathname;
const errorsMd = async () =>
  (await generated()).find(({ path }) => path === join(root, "docs", "errors.md"))?.content ?? "";
const pages = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

describe("generated docs", () => {
  it("every README table and docs/errors.md match the catalogs", async () => {
    expect(await stale()).toEqual([]);
  });

  it("docs/api matches a fresh TypeDoc run", { timeout: 300_000 }, () => {
    expect(staleApiDocs()).toEqual([]);
  });

  it("finds all five protocols by their exported definitions", async () => {
    const found = await loadCatalogs();
    expect(found.map(({ protocol }) => protocol.name)).toEqual([
      "teale-relay",
      "telemetry-server",
      "ckg-relay",
      "atlas",
      "tryll",
    ]);
  });

  it("renders a catalog as a table, hiding columns that say nothing", () => {
    const table = catalogTable([
      { surface: "relay", code: "a|b", name: "a|b", retryable: "yes", action: "retry", summary: "s", status: 503 },
    ]);
    expect(table).toBe(
      "| Code | Status | Retryable | Action | Retry policy | Summary |\n|---|---|---|---|---|---|\n| `a\\|b` | 503 | yes | `retry` |  | s |",
    );
  });

  it("describes policies in one line", () => {
    expect(describePolicy({ baseMs: 2000, factor: 2, maxAttempts: 4 })).toBe("from 2 s ×2, 4 attempts max");
    expect(describePolicy({ baseMs: 1000, factor: 2, minDelayMs: 10_000, capMs: 60_000 })).toBe(
      "from 1 s ×2, ≥ 10 s, ≤ 60 s",
    );
  });

  it("docs/errors.md opens with contents whose every link is a heading of the page", async () => {
    const text = await errorsMd();
    const contents = text.slice(text.indexOf("## Contents"), text.indexOf("\n## ", text.indexOf("## Contents") + 1));
    const links = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((match) => anchor(match[1]));
    expect(links).toEqual(headings.filter((heading) => heading !== "contents"));
    expect(links).toEqual(expect.arrayContaining(["websocket-close-codes", "telemetry-server", "tryll"]));
  });

  it("docs/errors.md: a search for a 207 message lands on its template, and the pages' advice is there", async () => {
    const text = await errorsMd();
    const first = text.split("\n").find((line) => line.includes("Device not found"));
    expect(first).toBe("| `Device not found: <device_id_hex>` | `DEVICE_NOT_FOUND` | 207 |");
    expect(text).toContain("| `Invalid signature for device <device_id_hex>` | `INVALID_SIGNATURE` | 207 |");
    const timeout = text.split("\n").find((line) => line.startsWith("| `AGENT_TIMEOUT` |"));
    expect(timeout).toMatch(/if it times out again, escalate to the infrastructure team/);
    const replaced = text.split("\n").find((line) => line.includes("`SESSION_REPLACED`"));
    expect(replaced).toMatch(/Do not reconnect from this client/);
  });

  it("docs/api: only Teale's parseError names openai-node, and ParseContext links to core's one definition", () => {
    const api = join(root, "docs", "api", "@wirefault");
    for (const folder of ["atlas", "atlas/msgpack", "tryll", "tryll/frame", "telemetry-server", "ckg-relay"]) {
      const page = readFileSync(join(api, folder, "variables", "parseError.md"), "utf8");
      expect(page, folder).not.toMatch(/openai|AI SDK/);
    }
    expect(readFileSync(join(api, "teale-relay", "variables", "parseError.md"), "utf8")).toContain("openai-node");
    const all = pages(api).map((path) => readFileSync(path, "utf8"));
    expect(all.filter((page) => page.includes("teale-relay/interfaces/ParseContext.md"))).toEqual([]);
    expect(all.filter((page) => page.includes("core/protocol/interfaces/ParseContext.md")).length).toBeGreaterThan(17);
  });

  it("refuses a README without markers", () => {
    expect(() => withTable("# x", "t")).toThrow(/catalog:start/);
  });
});
