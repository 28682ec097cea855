import * as atlas from "@wirefault/atlas";
import { decodeErrorMessage } from "@wirefault/atlas/msgpack";
import * as ckgRelay from "@wirefault/ckg-relay";
import type { CatalogEntry, Protocol, ProtocolError } from "@wirefault/core";
import * as tealeRelay from "@wirefault/teale-relay";
import * as telemetryServer from "@wirefault/telemetry-server";
import * as tryll from "@wirefault/tryll";
import { decodeFrame } from "@wirefault/tryll/frame";

/** What the CLI needs of a protocol package. */
export interface ProtocolModule {
  readonly catalog: readonly CatalogEntry[];
  parseError(input: unknown, context?: { status?: number }): ProtocolError;
}

/** Every protocol package, by its `protocol` name. */
export const PROTOCOLS: Readonly<Record<Protocol, ProtocolModule>> = Object.freeze({
  "teale-relay": tealeRelay,
  "telemetry-server": telemetryServer,
  "ckg-relay": ckgRelay,
  atlas,
  tryll,
});

/** Decoders for the binary wire formats: MessagePack (Atlas) and FlatBuffers frames (Tryll). */
export const BINARY = Object.freeze({
  atlas: (bytes: Uint8Array): ProtocolError => decodeErrorMessage(bytes),
  tryll: (bytes: Uint8Array): ProtocolError | undefined => decodeFrame(bytes) ?? undefined,
});

/** True for a protocol name the CLI knows. */
export const isProtocol = (name: string | undefined): name is Protocol =>
  name !== undefined && Object.hasOwn(PROTOCOLS, name);
