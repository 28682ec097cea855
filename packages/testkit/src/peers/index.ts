import { type AtlasPeer, type AtlasPeerOptions, startAtlasPeer } from "./atlas.js";
import { type CkgRelayPeer, type CkgRelayPeerOptions, startCkgRelayPeer } from "./ckg-relay.js";
import { startTealeApiPeer, type TealeApiPeer, type TealeApiPeerOptions } from "./teale-api.js";
import { startTealeRelayPeer, type TealeRelayPeer, type TealeRelayPeerOptions } from "./teale-relay.js";
import { startTelemetryPeer, type TelemetryPeer, type TelemetryPeerOptions } from "./telemetry.js";
import { startTryllPeer, type TryllPeer, type TryllPeerOptions } from "./tryll.js";

/** Every loopback peer, running. */
export interface Peers {
  readonly tealeRelay: TealeRelayPeer;
  readonly tealeApi: TealeApiPeer;
  readonly telemetry: TelemetryPeer;
  readonly ckgRelay: CkgRelayPeer;
  readonly atlas: AtlasPeer;
  readonly tryll: TryllPeer;
  /** Closes every peer. */
  close(): Promise<void>;
}

/** Options of {@link startPeers}, per peer. */
export interface PeersOptions {
  tealeRelay?: TealeRelayPeerOptions;
  tealeApi?: TealeApiPeerOptions;
  ckgRelay?: CkgRelayPeerOptions;
  tryll?: TryllPeerOptions;
  telemetry?: TelemetryPeerOptions;
  atlas?: AtlasPeerOptions;
  /** Seed of every peer's garbage. */
  seed?: number;
}

/**
 * Starts all six peers on 127.0.0.1, each on a port the OS chooses. If one
 * fails to start, those already started are closed before the error is thrown.
 */
export async function startPeers(options: PeersOptions = {}): Promise<Peers> {
  const seed = options.seed === undefined ? {} : { seed: options.seed };
  const pending = [
    startTealeRelayPeer({ ...seed, ...options.tealeRelay }),
    startTealeApiPeer({ ...seed, ...options.tealeApi }),
    startTelemetryPeer({ ...seed, ...options.telemetry }),
    startCkgRelayPeer({ ...seed, ...options.ckgRelay }),
    startAtlasPeer({ ...seed, ...options.atlas }),
    startTryllPeer({ ...seed, ...options.tryll }),
  ] as const;
  const settled = await Promise.allSettled(pending);
  const started = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) {
    await Promise.all(started.map((peer) => peer.close()));
    throw failed.reason;
  }
  const [tealeRelay, tealeApi, telemetry, ckgRelay, atlas, tryll] = await Promise.all(pending);
  return {
    tealeRelay,
    tealeApi,
    telemetry,
    ckgRelay,
    atlas,
    tryll,
    close: async () => {
      await Promise.all(started.map((peer) => peer.close()));
    },
  };
}
