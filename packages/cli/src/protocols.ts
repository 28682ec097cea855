import * as atlas from "@wirefault/atlas";
import * as atlasMsgpack from "@wirefault/atlas/msgpack";
import * as ckgRelay from "@wirefault/ckg-relay";
import {
  type CatalogEntry,
  type CatalogIndex,
  type CodeRange,
  indexCatalog,
  type ProtocolError,
} from "@wirefault/core";
import { LOCAL_CODES } from "@wirefault/core/protocol";
import { classifyClose as standardClose } from "@wirefault/core/wire";
import * as tealeRelay from "@wirefault/teale-relay";
import * as telemetryServer from "@wirefault/telemetry-server";
import * as tryll from "@wirefault/tryll";
import * as tryllFrame from "@wirefault/tryll/frame";

// Everything the CLI knows about a protocol is read here, from what its
// package exports, one function per fact: when a fact moves (into the
// catalog, say), only its function changes.

const PACKAGES = {
  "teale-relay": tealeRelay,
  "telemetry-server": telemetryServer,
  "ckg-relay": ckgRelay,
  atlas,
  tryll,
} as const;

/** A protocol the CLI knows, by its `protocol` name. */
export type Protocol = keyof typeof PACKAGES;

/** What the CLI needs of a protocol package. */
export interface ProtocolModule {
  readonly catalog: readonly CatalogEntry[];
  parseError(input: unknown, context?: { status?: number }): ProtocolError;
}

/** Every protocol package, by its `protocol` name; Atlas and Tryll with the parsers that also read their binary wire. */
export const PROTOCOLS: Readonly<Record<Protocol, ProtocolModule>> = Object.freeze({
  "teale-relay": tealeRelay,
  "telemetry-server": telemetryServer,
  "ckg-relay": ckgRelay,
  atlas: Object.freeze({ catalog: atlas.catalog, parseError: atlasMsgpack.parseError }),
  tryll: Object.freeze({ catalog: tryll.catalog, parseError: tryllFrame.parseError }),
});

/** Every protocol name, in the order the CLI prints them. */
export const PROTOCOL_NAMES = Object.freeze(Object.keys(PROTOCOLS) as Protocol[]);

/** True for a protocol name the CLI knows. */
export const isProtocol = (name: string | undefined): name is Protocol =>
  name !== undefined && Object.hasOwn(PROTOCOLS, name);

/** Other spellings of documented codes seen on the wire, each mapped to its code. */
export function aliasesOf(protocol: Protocol): Readonly<Record<string, string | number>> {
  const mod = PACKAGES[protocol];
  return "codeAliases" in mod ? mod.codeAliases : {};
}

/** The documented numeric ranges whose unlisted codes share a reading. */
export function rangesOf(protocol: Protocol): readonly CodeRange[] {
  const mod = PACKAGES[protocol];
  return "ranges" in mod ? mod.ranges : [];
}

const indexes = new Map<Protocol, CatalogIndex>();
/** The protocol's catalog indexed with its aliases and ranges, as its parsers classify codes. */
export function indexOf(protocol: Protocol): CatalogIndex {
  let index = indexes.get(protocol);
  if (!index) {
    index = indexCatalog(PROTOCOLS[protocol].catalog, { ranges: rangesOf(protocol), aliases: aliasesOf(protocol) });
    indexes.set(protocol, index);
  }
  return index;
}

/** A WebSocket close a protocol documents: the code, and the reason that gives it a meaning of its own. */
export interface CloseEvent {
  readonly code: number;
  readonly reason?: string;
}

// Core classifies the standard codes one at a time; they are found by asking it
// about each code of RFC 6455's space (1000-4999), once.
let standardCodes: readonly number[] | undefined;
const standardCloseCodes = (): readonly number[] => {
  standardCodes ??= Array.from({ length: 4000 }, (_, i) => 1000 + i).filter((code) => standardClose(code));
  return standardCodes;
};

/** The WebSocket closes a protocol classifies: the standard codes, then the protocol's own. Empty without WebSockets. */
export function closeEventsOf(protocol: Protocol): readonly CloseEvent[] {
  const standard = standardCloseCodes().map((code) => ({ code }));
  if (protocol === "teale-relay") return [...standard, ...Object.values(tealeRelay.TealeRelayCloseEvent)];
  if (protocol === "ckg-relay")
    return [...standard, ...Object.values(ckgRelay.CkgRelayCloseCode).map((code) => ({ code }))];
  return [];
}

/** True for a close the protocol gives a meaning beyond the standard one. */
export const isOwnClose = (event: CloseEvent): boolean =>
  event.reason !== undefined || !standardCloseCodes().includes(event.code);

/** The protocol's own reading of a WebSocket close (its `fromClose`); undefined without WebSockets. */
export function classifyClose(protocol: Protocol, event: CloseEvent): ProtocolError | undefined {
  const mod = PACKAGES[protocol];
  return "fromClose" in mod ? mod.fromClose(event.code, event.reason) : undefined;
}

/** True when the protocol answers over HTTP (its package reads a `Response`), so that a status alone classifies a body. */
export const isHttp = (protocol: Protocol): boolean => "fromResponse" in PACKAGES[protocol];

/** The protocol's reader of a batch answer (a telemetry 207 body), or undefined where it has none. */
export function batchReaderOf(protocol: Protocol): typeof telemetryServer.parseBatchResponse | undefined {
  const mod = PACKAGES[protocol];
  return "parseBatchResponse" in mod ? mod.parseBatchResponse : undefined;
}

/** A code wirefault assigns itself, with how it is classified when no status says otherwise. */
export type LocalCodeInfo = (typeof LOCAL_CODES)[number];

/** Every local code (core's `WIREFAULT_*`): core's own rows. */
export const localCodes = (): readonly LocalCodeInfo[] => LOCAL_CODES;
