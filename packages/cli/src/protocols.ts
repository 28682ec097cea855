import * as atlasMsgpack from "@wirefault/atlas/msgpack";
import * as ckgRelay from "@wirefault/ckg-relay";
import type { ProtocolError } from "@wirefault/core";
import { type CloseCodeEntry, type DefinedProtocol, LOCAL_CODES } from "@wirefault/core/protocol";
import * as tealeRelay from "@wirefault/teale-relay";
import * as telemetryServer from "@wirefault/telemetry-server";
import * as tryllFrame from "@wirefault/tryll/frame";

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
  readBatch?(status: number, body: unknown): telemetryServer.BatchResult;
}

/** The protocols a command searches, by name, in the order the CLI prints them. */
export type Registry = ReadonlyMap<string, CliProtocol>;

/** A registry of protocols: wirefault's five, or any set built with `defineProtocol`. */
export const registry = (protocols: readonly CliProtocol[]): Registry =>
  new Map(protocols.map((protocol) => [protocol.name, protocol]));

/** wirefault's five protocols; Atlas and Tryll with the parsers that also read their binary wire. */
export const PROTOCOLS: Registry = registry([
  tealeRelay.protocol,
  { ...telemetryServer.protocol, readBatch: telemetryServer.parseBatchResponse },
  ckgRelay.protocol,
  atlasMsgpack.protocol,
  tryllFrame.protocol,
]);

/** A code wirefault assigns itself, with how it is classified when no status says otherwise. */
export type LocalCodeInfo = (typeof LOCAL_CODES)[number];

/** Every local code (core's `WIREFAULT_*`): core's own rows. */
export const localCodes = (): readonly LocalCodeInfo[] => LOCAL_CODES;

/** True for a close the protocol gives a meaning of its own, beyond the standard one. */
export const isOwnClose = (protocol: CliProtocol, row: CloseCodeEntry): boolean =>
  (protocol.closeCodes ?? []).includes(row);
