import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ProtocolError } from "@wirefault/core";
import { type CloseCodeEntry, type DefinedProtocol, LOCAL_CODES } from "@wirefault/core/protocol";
import type { BatchResult } from "@wirefault/telemetry-server";

/**
 * What the CLI reads of a protocol: its definition as `defineProtocol` returns
 * it, with the parser that also reads its binary wire, and the reader of a
 * batch answer where it has one. Every fact comes from the definition.
 */
export interface CliProtocol
  extends Pick<
    DefinedProtocol,
    "name" | "maxBytes" | "catalog" | "index" | "aliases" | "ranges" | "closes" | "closeCodes" | "http"
  > {
  parseError(input: unknown, context?: { status?: number }): ProtocolError;
  fromClose(event: unknown, reason?: unknown): ProtocolError;
  /** Reads the answer to a batch request (a telemetry 207 body). */
  readBatch?(status: number, body: unknown): BatchResult;
}

/** The protocols a command searches, by name, in the order the CLI prints them. */
export type Registry = ReadonlyMap<string, CliProtocol>;

/** A registry of protocols: wirefault's own, or any set built with `defineProtocol`. */
export const registry = (protocols: readonly CliProtocol[]): Registry =>
  new Map(protocols.map((protocol) => [protocol.name, protocol]));

/** What a protocol package's `"wirefault"` field in its package.json says. */
interface PackageMeta {
  /** The subpath whose `protocol` also reads the binary wire (`./msgpack`); the main entry without it. */
  readonly entry?: string;
  /** Where it sits in listings. */
  readonly order?: number;
  /** The export that reads a batch answer, where the protocol has one. */
  readonly batch?: string;
}

// Synchronous, in both builds (tsup shims import.meta.url in the CJS one): the packages are found on disk.
const load = createRequire(import.meta.url);

/** The file an exports-map subpath resolves to under `require`, or the package's `main`. */
function requireTarget(manifest: Record<string, unknown>, subpath: string): string {
  const target = (manifest.exports as Record<string, unknown> | undefined)?.[subpath];
  if (typeof target === "string") return target;
  const conditions = (target as { require?: unknown } | undefined)?.require;
  if (typeof conditions === "string") return conditions;
  const file = (conditions as { default?: unknown } | undefined)?.default;
  return typeof file === "string" ? file : String(manifest.main ?? "./index.js");
}

/**
 * The protocol packages in `dir` (a folder of packages: `node_modules/@wirefault`
 * beside an installed CLI, or the repo's `packages/`), found by the
 * `"wirefault"` field of their package.json and loaded from their own files,
 * in listing order. Nothing lists them: a package in the folder is enough.
 */
export function discover(dir: string): Registry {
  const found: { order: number; folder: string; protocol: CliProtocol }[] = [];
  for (const folder of readdirSync(dir)) {
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(readFileSync(join(dir, folder, "package.json"), "utf8"));
    } catch {
      continue;
    }
    const meta = manifest.wirefault as PackageMeta | undefined;
    if (manifest.private === true || typeof meta !== "object" || meta === null) continue;
    const file = (subpath: string) => join(dir, folder, requireTarget(manifest, subpath));
    const entry = load(file(meta.entry ?? ".")) as { protocol?: CliProtocol };
    if (typeof entry.protocol?.parseError !== "function") continue;
    // The batch reader is an export of the main entry.
    const readBatch = meta.batch === undefined ? undefined : (load(file(".")) as Record<string, unknown>)[meta.batch];
    found.push({
      order: typeof meta.order === "number" ? meta.order : Number.MAX_SAFE_INTEGER,
      folder,
      protocol:
        typeof readBatch === "function"
          ? { ...entry.protocol, readBatch: readBatch as CliProtocol["readBatch"] }
          : entry.protocol,
    });
  }
  found.sort((a, b) => a.order - b.order || a.folder.localeCompare(b.folder));
  return registry(found.map((row) => row.protocol));
}

/** The folder the installed protocol packages sit in: the one holding @wirefault/core. */
export const packagesDir = (): string => dirname(dirname(load.resolve("@wirefault/core/package.json")));

/** Every protocol installed beside the CLI; Atlas and Tryll with the parsers that also read their binary wire. */
export const PROTOCOLS: Registry = discover(packagesDir());

/** A code wirefault assigns itself, with how it is classified when no status says otherwise. */
export type LocalCodeInfo = (typeof LOCAL_CODES)[number];

/** Every local code (core's `WIREFAULT_*`): core's own rows. */
export const localCodes = (): readonly LocalCodeInfo[] => LOCAL_CODES;

/** True for a close the protocol gives a meaning of its own, beyond the standard one. */
export const isOwnClose = (protocol: CliProtocol, row: CloseCodeEntry): boolean =>
  (protocol.closeCodes ?? []).includes(row);
