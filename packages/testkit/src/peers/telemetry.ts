// The device telemetry server over node:http, with a real device registry,
// Ed25519 signature checks and per-device seq dedupe, so that it can count
// exactly which blocks it accepted.
import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { createServer, type IncomingMessage, STATUS_CODES } from "node:http";
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
  tryJson,
} from "./shared.js";

/** A fault of the telemetry peer. */
export type TelemetryFault = Fault<TelemetryServerCode>;

/** One telemetry block as devices send it: `raw` and `signature` are hex; `seq` a decimal string or a number. */
export interface TelemetryBlock<S = string> {
  readonly deviceId: string;
  readonly seq: S;
  readonly timestamp: string;
  readonly raw: string;
  readonly signature: string;
  /** The reading as JSON beside its raw bytes; the Rust port checks that they agree. */
  readonly json?: unknown;
}

/** Options of {@link TelemetryDevice.block}. */
export interface BlockOptions {
  /** A signature that will not verify. */
  badSignature?: boolean;
  /** The raw bytes; default a short text naming the seq. */
  payload?: Uint8Array;
  /** A `json` field that disagrees with the raw bytes (the Rust port's `Raw/JSON mismatch`). */
  mismatch?: boolean;
  /** Send `seq` as the given value (a number stays a number), not as its decimal string. */
  rawSeq?: boolean;
}

/** A simulated device: an Ed25519 key pair; its id is the public key in hex, as the server's messages show it. */
export interface TelemetryDevice {
  readonly deviceId: string;
  /** The registration body for `POST /v1/devices`. */
  readonly registration: { readonly pubkey: string; readonly name: string };
  /** A block signed over its raw bytes, `seq` as a decimal string; see {@link BlockOptions}. */
  block(seq: number | bigint | string, options?: BlockOptions): TelemetryBlock;
  /** A block whose `seq` is sent exactly as given: `6`, `"6"`, or a malformed `1.5`, `null`, `"1e3"`, `{}`. */
  blockWithSeq<S>(seq: S, options?: Omit<BlockOptions, "rawSeq">): TelemetryBlock<S>;
}

/** Creates a device with a fresh Ed25519 key pair. */
export function createTelemetryDevice(name = "sensor"): TelemetryDevice {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  const deviceId = Buffer.from(String(jwk.x), "base64url").toString("hex");
  const build = <S>(seq: S, options: BlockOptions): TelemetryBlock<S> => {
    const reading = { reading: String(seq), of: name };
    const raw = Buffer.from(options.payload ?? Buffer.from(JSON.stringify(reading)));
    const signature = sign(null, raw, privateKey);
    if (options.badSignature) signature[0] = (signature[0] ?? 0) ^ 0xff;
    const block = {
      deviceId,
      seq,
      timestamp: String(Date.now()),
      raw: raw.toString("hex"),
      signature: signature.toString("hex"),
    };
    return options.mismatch ? { ...block, json: { ...reading, reading: "something else" } } : block;
  };
  return {
    deviceId,
    registration: { pubkey: deviceId, name },
    block: (seq, options = {}) =>
      build(options.rawSeq ? (seq as unknown as string) : String(seq), options) as TelemetryBlock,
    blockWithSeq: (seq, options = {}) => build(seq, options),
  };
}

/**
 * Which implementation of the server the peer answers as:
 * - `"typescript"`: the reference server (Fastify 5). A malformed field of a
 *   block (a seq or timestamp `BigInt()` refuses, no `deviceId`) fails the
 *   whole request with the framework's 500, blocks earlier in it already stored.
 * - `"rust"`: the Rust port. The same block is a 207 entry `Invalid payload: <field>`,
 *   a block whose `json` disagrees with its raw bytes is
 *   `Raw/JSON mismatch for device <hex>`, and a batch of 0 or over 100 blocks is
 *   `400 {"error":"blocks must have 1..100 items"}`.
 */
export type TelemetryFlavor = "typescript" | "rust";

/** Options of {@link startTelemetryPeer}. */
export interface TelemetryPeerOptions extends PeerOptions {
  /** Default `"typescript"`. */
  flavor?: TelemetryFlavor;
}

/** A running telemetry peer. */
export interface TelemetryPeer extends Peer<TelemetryFault> {
  /** Which server the peer answers as; may be changed between requests. */
  flavor: TelemetryFlavor;
  /** The number of blocks of each `POST /v1/telemetry`, in order. */
  readonly batches: readonly number[];
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
/** Fastify's default body limit. */
const BODY_LIMIT = 1024 * 1024;

function publicKeyOf(hex: string): KeyObject {
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(hex, "hex").toString("base64url") },
    format: "jwk",
  });
}

/** Reads a request body to its end (so that an answer can follow it), keeping at most `limit` bytes; undefined past it. */
async function readAll(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
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
export async function startTelemetryPeer(options: TelemetryPeerOptions = {}): Promise<TelemetryPeer> {
  const core = new PeerCore<TelemetryFault>(options);
  let flavor: TelemetryFlavor = options.flavor ?? "typescript";
  const batches: number[] = [];
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

  // The reference server's crash: the framework's 500, with the thrown error's message (and code, when it has one).
  const crash = (error: unknown): Answer => {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    return json(500, {
      statusCode: 500,
      ...(typeof code === "string" ? { code } : {}),
      error: "Internal Server Error",
      message,
    });
  };

  /** One block, as the chosen server reads it: stored (or a duplicate), a domain error, or a throw that crashes the batch. */
  function ingest(block: unknown): void {
    const deviceId = prop(block, "deviceId");
    const seq = prop(block, "seq");
    const raw = prop(block, "raw");
    const signature = prop(block, "signature");
    const rust = flavor === "rust";
    // The TypeScript server reads these with Buffer.from and BigInt, which throw the messages its 500s carry.
    if (rust) {
      if (typeof deviceId !== "string" || !HEX.test(deviceId)) throw new InvalidPayloadError("deviceId");
      for (const [field, value] of [
        ["seq", seq],
        ["timestamp", prop(block, "timestamp")],
      ] as const)
        if (!(typeof value === "string" ? SEQ.test(value) : Number.isSafeInteger(value) && (value as number) >= 0))
          throw new InvalidPayloadError(field);
      if (typeof raw !== "string" || !HEX.test(raw)) throw new InvalidPayloadError("raw");
      if (typeof signature !== "string" || !HEX.test(signature)) throw new InvalidPayloadError("signature");
    } else {
      Buffer.from(deviceId as string, "hex");
      BigInt(seq as string);
      BigInt(prop(block, "timestamp") as string);
    }
    const id = deviceId as string;
    const key = `${id}:${String(seq)}`;
    received.set(key, (received.get(key) ?? 0) + 1);
    const device = devices.get(id);
    if (device === undefined) throw new DeviceNotFoundError(id);
    const bytes = Buffer.from(String(raw), "hex");
    if (!verify(null, bytes, device.key, Buffer.from(String(signature), "hex"))) throw new InvalidSignatureError(id);
    const readings = prop(block, "json");
    if (rust && readings !== undefined && JSON.stringify(readings) !== bytes.toString("utf8"))
      throw Object.assign(new Error(`Raw/JSON mismatch for device ${id}`), { code: "RAW_JSON_MISMATCH" });
    if (stored.has(key)) duplicates++;
    else stored.set(key, block as TelemetryBlock);
  }

  const DOMAIN = new Set(["DEVICE_NOT_FOUND", "INVALID_SIGNATURE", "INVALID_PAYLOAD", "RAW_JSON_MISMATCH"]);

  function telemetry(body: unknown): Answer {
    const blocks = prop(body, "blocks");
    if (body === undefined) return topLevel("FST_ERR_CTP_INVALID_JSON_BODY", "Body is not valid JSON");
    if (!Array.isArray(blocks) || blocks.length < 1 || blocks.length > 100) {
      if (flavor === "rust") return json(400, { error: "blocks must have 1..100 items" });
      const more = Array.isArray(blocks) && blocks.length > 100;
      return topLevel(
        "FST_ERR_VALIDATION",
        Array.isArray(blocks)
          ? `body/blocks must NOT have ${more ? "more than 100" : "fewer than 1"} items`
          : "body/blocks must be array",
      );
    }
    batches.push(blocks.length);
    // Each entry echoes seq as it was sent: a number stays a number.
    const errors: { seq: unknown; error: string }[] = [];
    for (const block of blocks as unknown[]) {
      try {
        ingest(block);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        // Anything but a domain error crashes the request; the blocks before it stay stored.
        if (typeof code !== "string" || !DOMAIN.has(code)) return crash(error);
        if (code === "DEVICE_NOT_FOUND" || code === "INVALID_SIGNATURE" || code === "INVALID_PAYLOAD") rejected[code]++;
        errors.push({ seq: prop(block, "seq"), error: (error as Error).message });
      }
    }
    return json(errors.length === 0 ? 200 : 207, { accepted: blocks.length - errors.length, errors });
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
    // Over the framework's 1 MiB body limit: 413, before anything is read as JSON.
    const raw = await readAll(req, BODY_LIMIT).catch(() => null);
    const body = raw === undefined || raw === null ? undefined : tryJson(raw);
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
        // The Rust port's own 413 was not recorded: both answer as the framework does.
        if (raw === undefined) return topLevel("FST_ERR_CTP_BODY_TOO_LARGE", "Request body is too large");
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
    get flavor() {
      return flavor;
    },
    set flavor(value: TelemetryFlavor) {
      flavor = value;
    },
    batches,
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
