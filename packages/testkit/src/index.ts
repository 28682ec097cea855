// @wirefault/testkit: loopback peers that speak each protocol's error surface,
// with faults on demand. Private; the reliability suite and the demo use it.
export {
  ATLAS_MESSAGE_FRAME_TYPE,
  type AtlasFault,
  type AtlasPeer,
  type AtlasPeerOptions,
  atlasFrame,
  startAtlasPeer,
} from "./peers/atlas.js";
export {
  type CkgDelivery,
  type CkgRelayFault,
  type CkgRelayPeer,
  type CkgRelayPeerOptions,
  startCkgRelayPeer,
} from "./peers/ckg-relay.js";
export { type Peers, type PeersOptions, startPeers } from "./peers/index.js";
export {
  errorFaults,
  FAULT_KINDS,
  type Fault,
  LOOPBACK,
  type Peer,
  type PeerOptions,
  seeded,
} from "./peers/shared.js";
export {
  startTealeApiPeer,
  type TealeApiFault,
  type TealeApiPeer,
  type TealeApiPeerOptions,
} from "./peers/teale-api.js";
export {
  startTealeRelayPeer,
  type TealeRelayFault,
  type TealeRelayPeer,
  type TealeRelayPeerOptions,
} from "./peers/teale-relay.js";
export {
  type BlockOptions,
  createTelemetryDevice,
  startTelemetryPeer,
  type TelemetryBlock,
  type TelemetryDevice,
  type TelemetryFault,
  type TelemetryFlavor,
  type TelemetryPeer,
  type TelemetryPeerOptions,
} from "./peers/telemetry.js";
export {
  lengthPrefixed,
  type SplitOptions,
  startTryllPeer,
  type TryllFault,
  type TryllPeer,
  type TryllPeerOptions,
} from "./peers/tryll.js";
export { type TcpEvent, TryllClient, WsClient, type WsEvent } from "./scenarios/clients.js";
