// The Teale local API (:11435 in real life) over node:http: OpenAI-style
// chat completions, the OpenAI error envelope, and faults on demand.
import { createServer } from "node:http";
import { type ApiCode, catalog, MAX_BYTES, parseError } from "@wirefault/teale-relay";
import { type Answer, answer, json } from "./http.js";
import { type Fault, LOOPBACK, listen, type Peer, PeerCore, type PeerOptions, peerHandle, readBody } from "./shared.js";

/** A fault of the Teale local API peer. */
export type TealeApiFault = Fault<ApiCode>;

/** Options of {@link startTealeApiPeer}. */
export interface TealeApiPeerOptions extends PeerOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get the real app's 401. */
  apiKey?: string;
}

/** A running Teale local API peer. */
export interface TealeApiPeer extends Peer<TealeApiFault> {
  /** `http://127.0.0.1:<port>`; POST `/v1/chat/completions`, GET `/v1/models`. */
  readonly url: string;
  /** Chat completions answered with success. */
  readonly completions: number;
}

const MODEL = "mlx-community/Qwen3-8B-4bit";

/** The page's envelope for an API code, built by the package: `parseError(body, { status }).toWire()`. */
function apiError(code: ApiCode, message: string | undefined, headers: Record<string, string> = {}): Answer {
  const entry = catalog.find((e) => e.surface === "api" && e.code === code);
  const status = entry && "status" in entry ? entry.status : 500;
  const text = message ?? entry?.summary ?? code;
  return json(status, parseError({ error: { message: text, type: code, code } }, { status }).toWire(), headers);
}

/**
 * Starts the Teale local API on 127.0.0.1 (OS-chosen port). Without a fault,
 * `POST /v1/chat/completions` answers a one-choice completion and
 * `GET /v1/models` lists one model; a wrong key gets the real app's 401
 * (`authentication_error`, `invalid_api_key`). Faults: every `api` code of
 * the catalog in the page's envelope; `retry-after` is a 503
 * `model_not_loaded` with `Retry-After`.
 */
export async function startTealeApiPeer(options: TealeApiPeerOptions = {}): Promise<TealeApiPeer> {
  const core = new PeerCore<TealeApiFault>(options);
  let completions = 0;
  const server = createServer(async (req, res) => {
    core.requests++;
    const body = await readBody(req).catch(() => undefined);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    await answer(core, res, core.next(), {
      cap: MAX_BYTES,
      error: (code, message) => apiError(code, message),
      retryAfter: (seconds) =>
        apiError("model_not_loaded", `Model ${MODEL} is not loaded`, { "retry-after": String(seconds) }),
      process: () => {
        if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`)
          return json(401, {
            error: { message: "Invalid API key", type: "authentication_error", code: "invalid_api_key" },
          });
        if (req.method === "GET" && path === "/v1/models")
          return json(200, { object: "list", data: [{ id: MODEL, object: "model" }] });
        if (req.method !== "POST" || path !== "/v1/chat/completions")
          return apiError("invalid_request", `Unknown endpoint ${req.method} ${path}`);
        let request: unknown;
        try {
          request = JSON.parse(String(body));
        } catch {
          return json(400, { error: { message: "Invalid JSON body", type: "invalid_request_error" } });
        }
        const messages = (request as { messages?: unknown }).messages;
        if (!Array.isArray(messages))
          return json(400, { error: { message: "Missing messages array", type: "invalid_request_error" } });
        completions++;
        return json(200, {
          id: `chatcmpl-${completions}`,
          object: "chat.completion",
          model: MODEL,
          choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
        });
      },
    }).catch(() => res.destroy());
  });
  server.on("connection", (socket) => core.track(socket));
  const port = await listen(server);
  return peerHandle(core, server, port, {
    url: `http://${LOOPBACK}:${port}`,
    get completions() {
      return completions;
    },
  });
}
