import type { CodeRange, LocalCode } from "@wirefault/core";
import {
  ABORTED,
  codeMap,
  defineCatalog,
  MALFORMED,
  NETWORK,
  TIMEOUT,
  TOO_LARGE,
  withText,
} from "@wirefault/core/protocol";

/** The largest frame a Tryll peer accepts, in bytes, not counting the 4-byte length prefix; every input is held to it. */
export const MAX_FRAME_BYTES = 1_048_576;

/** Code 0: reserved for failures the client raised itself; a server never sends it. */
export const CLIENT_FAILURE = 0;

/** The server layer a Tryll code belongs to; `client` is code 0, a failure the client raised itself. */
export type TryllLayer =
  | "client"
  | "connection"
  | "session"
  | "agent"
  | "inference"
  | "protocol"
  | "download"
  | "storage"
  | "embedded-storage";

// The page's per-range advice: reconnect with backoff after a lost
// connection; a shutting-down server is given a longer, floored delay so
// that clients do not pile onto it while it drains; a failed download gets a
// few spaced tries.
const CONNECTION = { baseMs: 1_000, capMs: 30_000 } as const;
const SHUTDOWN = { baseMs: 5_000, minDelayMs: 5_000, capMs: 60_000 } as const;
const DOWNLOAD = { baseMs: 2_000, capMs: 30_000, maxAttempts: 3 } as const;

const layerRange = (min: number, max: number, name: TryllLayer): CodeRange => ({
  surface: "response",
  min,
  max,
  name,
  summary: `${name} layer`,
});

// The ranges only name a layer: the page calls any unlisted code a protocol
// violation, so an unknown code inside a range is still `abort`, not the
// range's recovery.
/** The page's code ranges, one per layer; they name the layer and leave an unlisted code `no`, `abort`. */
export const ranges: readonly CodeRange[] = [
  layerRange(0, 0, "client"),
  layerRange(1000, 1999, "connection"),
  layerRange(2000, 2999, "session"),
  layerRange(3000, 3999, "agent"),
  layerRange(4000, 4999, "inference"),
  layerRange(5000, 5999, "protocol"),
  layerRange(6000, 6999, "download"),
  layerRange(7000, 7999, "storage"),
  layerRange(8000, 8999, "embedded-storage"),
];

/**
 * Every Tryll ErrorResponse code as parseError reads it: the page's, plus those the current server documents.
 * The page's advice on each is in {@link catalog}.
 */
// biome-ignore format: one line per code reads as a table
export const codes = defineCatalog([
  { surface: "response", layer: "connection", code: 1001, name: "ConnectionFailed", retryable: "yes", action: "reconnect", summary: "TCP connect failed; is the server running and the port open?", policy: CONNECTION },
  { surface: "response", layer: "connection", code: 1002, name: "ConnectionDropped", retryable: "yes", action: "reconnect", summary: "Connection lost mid-session; reconnect, configure and recreate agents.", policy: CONNECTION },
  { surface: "response", layer: "connection", code: 1003, name: "Timeout", retryable: "yes", action: "reconnect", summary: "No response frame in time; the server may be overloaded.", policy: CONNECTION },
  { surface: "response", layer: "session", code: 2001, name: "ServerShuttingDown", retryable: "yes", action: "reconnect", summary: "Server is shutting down; stop sending, back off, reconnect.", policy: SHUTDOWN },
  { surface: "response", layer: "session", code: 2002, name: "SessionNotReady", retryable: "maybe", action: "reset", summary: "Send ConfigureSession first, then retry." },
  { surface: "response", layer: "agent", code: 3001, name: "InvalidAgentId", retryable: "no", action: "reset", summary: "No such agent; recreate it, never retry the old id." },
  { surface: "response", layer: "agent", code: 3002, name: "AgentAlreadyDestroyed", retryable: "no", action: "reset", summary: "Agent was destroyed; recreate it, never retry the old id." },
  { surface: "response", layer: "agent", code: 3003, name: "GraphCompilationFailed", retryable: "no", action: "fix-request", summary: "The agent graph does not compile; the message names the node." },
  { surface: "response", layer: "agent", code: 3004, name: "AgentBusy", retryable: "maybe", action: "wait", summary: "Agent is mid-turn; wait for TurnComplete, then send." },
  { surface: "response", layer: "agent", code: 3005, name: "UnknownNode", retryable: "no", action: "fix-request", summary: "ChangeAgentParam named a node not in the graph." },
  { surface: "response", layer: "agent", code: 3006, name: "ParamNotMutable", retryable: "no", action: "fix-request", summary: "Structural parameter; it cannot change at runtime." },
  { surface: "response", layer: "agent", code: 3007, name: "InvalidParamValue", retryable: "no", action: "fix-request", summary: "Parameter value failed validation." },
  { surface: "response", layer: "agent", code: 3008, name: "InvalidExitTarget", retryable: "no", action: "fix-request", summary: "A node exit names a missing node." },
  { surface: "response", layer: "agent", code: 3009, name: "StorageOutsideRoot", retryable: "no", action: "fix-request", summary: "Storage path is absolute or escapes the storage root." },
  { surface: "response", layer: "agent", code: 3010, name: "StorageFileNotFound", retryable: "no", action: "fix-request", summary: "Storage file missing when the agent was created." },
  { surface: "response", layer: "agent", code: 3011, name: "StorageKindMismatch", retryable: "no", action: "fix-request", summary: "Node needs Map storage but got List or Multimap." },
  { surface: "response", layer: "inference", code: 4001, name: "InferenceFailed", retryable: "maybe", action: "retry", summary: "Inference node failed; the turn ended, the agent is usable." },
  { surface: "response", layer: "inference", code: 4002, name: "InferenceTimeout", retryable: "maybe", action: "retry", summary: "Node over its time budget; often a too-large prompt." },
  { surface: "response", layer: "inference", code: 4003, name: "MaxStepsExceeded", retryable: "maybe", action: "retry", summary: "Too many node transitions; likely a loop in the graph." },
  { surface: "response", layer: "inference", code: 4100, name: "SttModelLoadFailed", retryable: "maybe", action: "retry", summary: "Speech-to-text model failed to load." },
  { surface: "response", layer: "inference", code: 4101, name: "AudioFormatUnsupported", retryable: "maybe", action: "retry", summary: "Audio format not supported." },
  { surface: "response", layer: "inference", code: 4102, name: "VoiceInputNotFound", retryable: "maybe", action: "retry", summary: "Voice input not found." },
  { surface: "response", layer: "inference", code: 4103, name: "UtteranceInProgress", retryable: "maybe", action: "retry", summary: "An utterance is already in progress." },
  { surface: "response", layer: "inference", code: 4104, name: "NoActiveUtterance", retryable: "maybe", action: "retry", summary: "No utterance is active." },
  { surface: "response", layer: "inference", code: 4105, name: "UtteranceTimeout", retryable: "maybe", action: "retry", summary: "Utterance timed out." },
  { surface: "response", layer: "protocol", code: 5001, name: "MalformedMessage", retryable: "no", action: "abort", summary: "Server could not decode the frame; client bug." },
  { surface: "response", layer: "protocol", code: 5002, name: "UnknownMessageType", retryable: "no", action: "abort", summary: "Message type unknown to the server; version mismatch?" },
  { surface: "response", layer: "protocol", code: 5003, name: "FrameTooLarge", retryable: "no", action: "abort", summary: "Frame over the 1 MiB maximum." },
  { surface: "response", layer: "protocol", code: 5004, name: "ProtocolVersionMismatch", retryable: "no", action: "abort", summary: "Server cannot parse this wire-protocol version." },
  { surface: "response", layer: "protocol", code: 5005, name: "DebugCommandsUnavailable", retryable: "no", action: "fix-request", summary: "Debug commands are off on this server; send it none." },
  { surface: "response", layer: "download", code: 6001, name: "DownloadFailed", retryable: "yes", action: "retry", summary: "Model download failed in transit; check connectivity.", policy: DOWNLOAD },
  { surface: "response", layer: "download", code: 6002, name: "DownloadNotAvailable", retryable: "no", action: "user-action", summary: "No model variant for this engine in the catalog." },
  { surface: "response", layer: "download", code: 6003, name: "InsufficientDiskSpace", retryable: "no", action: "user-action", summary: "Not enough disk space for the model." },
  { surface: "response", layer: "download", code: 6004, name: "DownloadAlreadyActive", retryable: "maybe", action: "wait", summary: "Model already downloading; wait for its completion frame." },
  { surface: "response", layer: "download", code: 6006, name: "ModelAutoDownloadFailed", retryable: "no", action: "user-action", summary: "Auto-download failed or has no source; the message names the model." },
  { surface: "response", layer: "storage", code: 7001, name: "InvalidStringStorageName", retryable: "no", action: "fix-request", summary: "Storage name empty, malformed or reserved." },
  { surface: "response", layer: "storage", code: 7002, name: "StringStorageAlreadyExists", retryable: "no", action: "fix-request", summary: "A storage with this name already exists." },
  { surface: "response", layer: "storage", code: 7003, name: "InvalidStringStorageData", retryable: "no", action: "fix-request", summary: "Storage content rejected." },
  { surface: "response", layer: "storage", code: 7004, name: "StorageNameInUse", retryable: "no", action: "fix-request", summary: "Inline storage name shadows a file under the storage root." },
  { surface: "response", layer: "embedded-storage", code: 8001, name: "InvalidEmbeddedStringStorageName", retryable: "no", action: "fix-request", summary: "Storage name empty, malformed or reserved." },
  { surface: "response", layer: "embedded-storage", code: 8002, name: "EmbeddedStringStorageAlreadyExists", retryable: "no", action: "fix-request", summary: "A storage with this name already exists." },
  { surface: "response", layer: "embedded-storage", code: 8003, name: "InvalidEmbeddedStringStorageData", retryable: "no", action: "fix-request", summary: "Embedded storage content or config rejected." },
] as const, { ranges });

/** The page's advice by code, for people: apart from what parseError reads. */
// biome-ignore format: one line per code
const ADVICE = {
  1001: { advice: "Reconnect after exponential backoff, configure the session again and recreate the agents." },
  1002: { advice: "Reconnect after exponential backoff, configure the session again and recreate the agents." },
  1003: { advice: "Reconnect after exponential backoff, configure the session again and recreate the agents." },
  2001: { advice: "Stop sending on this session, close the socket, and back off before reconnecting." },
  2002: { advice: "Send ConfigureSessionRequest first, then retry the original request." },
  3001: { advice: "Recreate the agent with CreateAgentRequest; never retry the original request against the bad id." },
  3002: { advice: "Recreate the agent with CreateAgentRequest; never retry the original request against the bad id." },
  3003: { advice: "Fix the graph (the message names the node or route that failed validation), then create the agent again." },
  3004: { advice: "Wait for TurnCompleteResponse before sending to this agent again." },
  4001: { advice: "The turn has ended: show the error to the user or retry the user's message; the agent takes the next turn as it is." },
  4002: { advice: "The turn has ended: show the error to the user or retry the user's message; the agent takes the next turn as it is." },
  4003: { advice: "The turn has ended: show the error to the user or retry the user's message; the agent takes the next turn as it is." },
  5001: { advice: "No automatic recovery: log, escalate and investigate (a client bug or a version mismatch)." },
  5002: { advice: "No automatic recovery: log, escalate and investigate (a client bug or a version mismatch)." },
  5003: { advice: "No automatic recovery: log, escalate and investigate (a client bug or a version mismatch)." },
  5004: { advice: "No automatic recovery: log, escalate and investigate (a client bug or a version mismatch)." },
  6001: { advice: "Check connectivity, then retry the download." },
  6002: { advice: "Ask the server admin to add a variant for the active engine to the catalog, or pick another model." },
  6003: { advice: "Free disk space or point models_download_dir elsewhere, then retry." },
  6004: { advice: "Wait for the running download's completion frame instead of starting it again." },
  6006: { advice: "Read the model name in the message; add a huggingface_repo entry to the catalog, or download the model by hand before CreateAgent." },
  7001: { advice: "Fix the storage name or content, then send the request again." },
  7002: { advice: "Fix the storage name or content, then send the request again." },
  7003: { advice: "Fix the storage name or content, then send the request again." },
  8001: { advice: "Fix the config or the inline input, then send the request again." },
  8002: { advice: "Fix the config or the inline input, then send the request again." },
  8003: { advice: "Fix the config or the inline input, then send the request again." },
} as const satisfies { readonly [C in (typeof codes)[number]["code"]]?: { readonly advice: string } };

/** Every Tryll ErrorResponse code, with the page's advice: what `protocol`, the CLI and the docs read. */
export const catalog = /* @__PURE__ */ withText(codes, ADVICE, { ranges });

/** Code constants by the Tryll clients' enum names: `TryllErrorCode.AgentBusy === 3004`. */
export const TryllErrorCode = /* @__PURE__ */ codeMap(codes);
/** The code a failed `TurnComplete` is read as: it names none, so it is the inference layer's generic failure. */
export const FAILED_TURN = TryllErrorCode.InferenceFailed;

/** A documented Tryll code. */
export type TryllCode = (typeof catalog)[number]["code"];
/** One entry of {@link catalog}. */
export type TryllCatalogEntry = (typeof catalog)[number];

/** The layer of a code: the catalog's, else its range's; undefined outside every range. */
export function layerOf(code: unknown): TryllLayer | undefined {
  return (codes.index.get(code)?.layer ?? codes.index.range(code)?.name) as TryllLayer | undefined;
}

// wirefault's own codes: input it could not read as a frame or refused by size
// is a failure of the framing, so it sits in the protocol layer; a network
// failure or a timeout is the connection's; the caller's own abort, the client's.
const LOCAL_LAYERS: Readonly<Record<LocalCode, TryllLayer>> = {
  [MALFORMED]: "protocol",
  [TOO_LARGE]: "protocol",
  [NETWORK]: "connection",
  [TIMEOUT]: "connection",
  [ABORTED]: "client",
};

/**
 * The layer a TryllError with this code carries: layerOf's, and `protocol` for
 * wirefault's local codes. @internal
 */
export function errorLayer(code: unknown): TryllLayer | undefined {
  return (
    layerOf(code) ??
    (typeof code === "string" && Object.hasOwn(LOCAL_LAYERS, code) ? LOCAL_LAYERS[code as LocalCode] : undefined)
  );
}
