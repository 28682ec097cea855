// The device telemetry server over node:http, with a real device registry,
// Ed25519 signature checks and per-device seq dedupe, so that it can count
// exactly which blocks it accepted.
import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { createServer, STATUS_CODES } from "node:http";
import {
  type BlockCode,
  batchResponse,
  catalog,
  DeviceNotFoundError,
  deviceExistsBody,
  deviceNotFoundBody,
  InvalidPayloadError,
  InvalidSignatureError,
  RawJsonMismatchError,
  type TelemetryServerCode,
  TelemetryServerError,
  validationErrorBody,
} from "@wirefault/telemetry-server";
import { type Answer, answer, json } from "./http.js";
import {
  type Fault,
  LOOPBACK,
  listen,
  type Peer,
  PeerCore,
  type PeerOptions,
  peerHandle,
  prop,
  readBody,
  tryJson,
} from "./shared.js";

/** A fault of the telemetry peer. */
export type TelemetryFault = Fault<TelemetryServerCode>;

/** One telemetry block as devices send it: `raw` and `signature` are hex. */
export interface TelemetryBlock {
  readonly deviceId: string;
  readonly seq: string;
  readonly timestamp: string;
  readonly raw: string;
  readonly signature: string;
}

/** A simulated device: an Ed25519 key pair; its id is the public key in hex, as the server's messages show it. */
export interface TelemetryDevice {
  readonly deviceId: string;
  /** The registration body for `POST /v1/devices`. */
  readonly registration: { readonly pubkey: string; readonly name: string };
  /** A block signed over its raw bytes; with `badSignature`, a signature that will not verify. */
  block(seq: number | bigint | string, options?: { badSignature?: boolean; payload?: Uint8Array }): TelemetryBlock;
}

/** Creates a device with a fresh Ed25519 key pair. */
export function createTelemetryDevice(name = "sensor"): TelemetryDevice {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  const deviceId = Buffer.from(String(jwk.x), "base64url").toString("hex");
  return {
    deviceId,
    registration: { pubkey: deviceId, name },
    block(seq, options = {}) {
      const raw = Buffer.from(options.payload ?? Buffer.from(`reading ${String(seq)} of ${name}`));
      const signature = sign(null, raw, privateKey);
      if (options.badSignature) signature[0] = (signature[0] ?? 0) ^ 0xff;
      return {
        deviceId,
        seq: String(seq),
        timestamp: String(Date.now()),
        raw: raw.toString("hex"),
        signature: signature.toString("hex"),
      };
    },
  };
}

/** A running telemetry peer. */
export interface TelemetryPeer extends Peer<TelemetryFault> {
  /** `http://127.0.0.1:<port>`: POST `/v1/devices`, GET `/v1/devices/:id`, POST `/v1/telemetry`. */
  readonly url: string;
  /** Blocks stored, each once, by `<deviceId>:<seq>`. */
  readonly stored: ReadonlyMap<string, TelemetryBlock>;
  /** Blocks received again after being stored; answered as accepted and not stored twice. */
  readonly duplicates: number;
  /** How many times the server received each block (`<deviceId>:<seq>`), whatever the outcome. */
  readonly received: ReadonlyMap<string, number>;
  /** Per-block rejections by code. */
  readonly rejected: Readonly<Record<BlockCode, number>>;
  /** Successful registrations (201). */
  readonly registrations: number;
  /** Registered device ids. */
  readonly devices: readonly string[];
  /** Drops a device's registration, as a server that lost its database would; true if it was registered. */
  forgetDevice(deviceId: string): boolean;
}

const PUBKEY = /^[0-9a-f]{64}$/;
const HEX = /^(?:[0-9a-f]{2})*$/;
const SEQ = /^\d+$/;

function publicKeyOf(hex: string): KeyObject {
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(hex, "hex").toString("base64url") },
    format: "jwk",
  });
}

const entryOf = (code: TelemetryServerCode) => catalog.find((e) => e.code === code);

/** The body the server sends for a top-level code, built by the package's `toWire()` and body helpers. */
function topLevel(code: TelemetryServerCode, message?: string, headers: Record<string, string> = {}): Answer {
  const entry = entryOf(code);
  const status = entry?.status ?? 500;
  if (code === "validation_error")
    return json(
      status,
      validationErrorBody([
        { code: "too_small", path: ["name"], message: message ?? "String must contain at least 1 character(s)" },
      ]),
      headers,
    );
  // The framework's own bodies carry the reason phrase; the page's carry `{ error }`.
  const reason = STATUS_CODES[status] ?? "Error";
  const framework = code.startsWith("FST_") || code === reason;
  const error = new TelemetryServerError({
    protocol: "telemetry-server",
    code,
    message: message ?? entry?.summary ?? code,
    status,
    retryable: entry?.retryable ?? "no",
    action: entry?.action ?? "abort",
    known: entry !== undefined,
    reason: framework ? reason : undefined,
  });
  return json(status, error.toWire(), headers);
}

/** The domain error a block code stands for, with the page's message template. */
function blockError(code: BlockCode, block: { deviceId?: unknown; seq?: unknown }, detail = "unreadable block") {
  const deviceId = String(block.deviceId ?? "unknown");
  const seq = String(block.seq ?? "0");
  switch (code) {
    case "DEVICE_NOT_FOUND":
      return new DeviceNotFoundError(deviceId, { seq });
    case "INVALID_SIGNATURE":
      return new InvalidSignatureError(deviceId, { seq });
    case "INVALID_PAYLOAD":
      return new InvalidPayloadError(detail, { seq });
    case "RAW_JSON_MISMATCH":
      return new RawJsonMismatchError(deviceId, { seq });
  }
}

const isBlockCode = (code: TelemetryServerCode): code is BlockCode => entryOf(code)?.status === 207;

/**
 * Starts the telemetry server on 127.0.0.1 (OS-chosen port). Devices register
 * with `{ pubkey, name }` (201, or 409 `device_already_exists`); each block of
 * `POST /v1/telemetry` is checked in order: registered device, else
 * DEVICE_NOT_FOUND; Ed25519 signature over the hex-decoded `raw` against the
 * registered key (node:crypto), else INVALID_SIGNATURE; a duplicate
 * `(deviceId, seq)` is accepted and not stored again. Answers are built with
 * `batchResponse`. Faults: every catalog code (block codes fail every block of
 * the batch with a 207), `retry-after` (a 500 `internal_error` with
 * `Retry-After`), and the shared network faults; `drop` with `after: true`
 * stores the batch and loses the answer.
 */
export async function startTelemetryPeer(options: PeerOptions = {}): Promise<TelemetryPeer> {
  const core = new PeerCore<TelemetryFault>(options);
  const devices = new Map<string, { id: string; pubkey: string; name: string; key: KeyObject; createdAt: string }>();
  const stored = new Map<string, TelemetryBlock>();
  const received = new Map<string, number>();
  const rejected: Record<BlockCode, number> = {
    DEVICE_NOT_FOUND: 0,
    INVALID_SIGNATURE: 0,
    INVALID_PAYLOAD: 0,
    RAW_JSON_MISMATCH: 0,
  };
  let duplicates = 0;
  let registrations = 0;

  function ingest(block: unknown): void {
    const deviceId = prop(block, "deviceId");
    const seq = prop(block, "seq");
    const raw = prop(block, "raw");
    const signature = prop(block, "signature");
    if (typeof deviceId !== "string" || !SEQ.test(String(seq)))
      throw new InvalidPayloadError("deviceId and a numeric seq are required", { seq: String(seq ?? "0") });
    const key = `${deviceId}:${String(seq)}`;
    received.set(key, (received.get(key) ?? 0) + 1);
    const device = devices.get(deviceId);
    if (device === undefined) throw new DeviceNotFoundError(deviceId, { seq: String(seq) });
    if (typeof raw !== "string" || typeof signature !== "string" || !HEX.test(raw) || !HEX.test(signature))
      throw new InvalidPayloadError("raw and signature must be hex", { seq: String(seq) });
    if (!verify(null, Buffer.from(raw, "hex"), device.key, Buffer.from(signature, "hex")))
      throw new InvalidSignatureError(deviceId, { seq: String(seq) });
    if (stored.has(key)) duplicates++;
    else stored.set(key, block as TelemetryBlock);
  }

  function telemetry(body: unknown): Answer {
    const blocks = prop(body, "blocks");
    if (body === undefined) return topLevel("FST_ERR_CTP_INVALID_JSON_BODY", "Body is not valid JSON");
    if (!Array.isArray(blocks) || blocks.length < 1 || blocks.length > 100)
      return topLevel("FST_ERR_VALIDATION", "body/blocks must have 1 to 100 items");
    const results = blocks.map((block: unknown) => {
      try {
        ingest(block);
        return { seq: String(prop(block, "seq")) };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === "string" && code in rejected) rejected[code as BlockCode]++;
        return { seq: String(prop(block, "seq") ?? "0"), error };
      }
    });
    const { status, body: reply } = batchResponse(results);
    return json(status, reply);
  }

  function register(body: unknown): Answer {
    const pubkey = prop(body, "pubkey");
    const name = prop(body, "name") ?? "device";
    if (typeof pubkey !== "string" || !PUBKEY.test(pubkey))
      return json(
        400,
        validationErrorBody([{ code: "invalid_string", validation: "regex", message: "Invalid", path: ["pubkey"] }]),
      );
    if (devices.has(pubkey)) return json(409, deviceExistsBody());
    const device = {
      id: pubkey,
      pubkey,
      name: String(name),
      key: publicKeyOf(pubkey),
      createdAt: new Date().toISOString(),
    };
    devices.set(pubkey, device);
    registrations++;
    const { key: _key, ...wire } = device;
    return json(201, { device: wire });
  }

  const server = createServer(async (req, res) => {
    core.requests++;
    const raw = await readBody(req).catch(() => undefined);
    const body = raw === undefined ? undefined : tryJson(raw);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    await answer(core, res, core.next(), {
      cap: 1024 * 1024,
      retryAfter: (seconds) => topLevel("internal_error", undefined, { "retry-after": String(seconds) }),
      error: (code, message) => {
        if (!isBlockCode(code)) return topLevel(code, message);
        const blocks = prop(body, "blocks");
        const list: unknown[] = Array.isArray(blocks) && blocks.length > 0 ? blocks : [{}];
        const results = list.map((block) => ({
          seq: String(prop(block, "seq") ?? "0"),
          error: blockError(code, { deviceId: prop(block, "deviceId"), seq: prop(block, "seq") }, message),
        }));
        return json(207, batchResponse(results).body);
      },
      process: () => {
        if (req.method === "POST" && path === "/v1/telemetry") return telemetry(body);
        if (req.method === "POST" && path === "/v1/devices") return register(body);
        const match = /^\/v1\/devices\/([^/]+)$/.exec(path);
        if (req.method === "GET" && match) {
          const device = devices.get(decodeURIComponent(match[1] ?? ""));
          if (device === undefined) return json(404, deviceNotFoundBody());
          const { key: _key, ...wire } = device;
          return json(200, { device: wire });
        }
        return json(404, { message: `Route ${req.method}:${path} not found`, error: "Not Found", statusCode: 404 });
      },
    }).catch(() => res.destroy());
  });
  server.on("connection", (socket) => core.track(socket));
  const port = await listen(server);
  return peerHandle(core, server, port, {
    url: `http://${LOOPBACK}:${port}`,
    stored,
    received,
    rejected,
    get duplicates() {
      return duplicates;
    },
    get registrations() {
      return registrations;
    },
    get devices() {
      return [...devices.keys()];
    },
    forgetDevice: (deviceId: string) => devices.delete(deviceId),
  });
}
