// Secrets (issue 9, part 4). A client sends `Authorization: Bearer sk-…`, a
// `?token=rla_…` query parameter and API keys in its JSON body to tiny
// node:http servers on 127.0.0.1. The servers echo what they received: in
// error messages, in nested and id fields, in MessagePack and FlatBuffers
// payloads, and in response headers. The errors built from those answers with
// the public API (fromResponse, readBatchResponse, parseError, decodeFrame,
// decodeErrorMessage, and retry() giving up) must not show any secret in
// `err.message`, `String(err)`, `JSON.stringify(err)`, `err.toJSON()` or
// `util.inspect(err, { depth: 10 })`, cause chains included.
//
// Every secret is random per run. A leak is looked for as the whole secret
// and as its random part, so `sk-[redacted]` passes and `sk-…<random>` does not.
// The body key without a recognisable prefix (OPAQUE) is only echoed as
// `api_key=…` or `"api_key":"…"`: a bare opaque string cannot be told from
// any other text, so no redactor can be asked to find it.

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { encode } from "@msgpack/msgpack";
import { parseError as atlasParse } from "@wirefault/atlas";
import { decodeErrorMessage } from "@wirefault/atlas/msgpack";
import { fromResponse as ckgFromResponse, parseError as ckgParse } from "@wirefault/ckg-relay";
import { type Clock, isProtocolError, type ProtocolError, retry } from "@wirefault/core";
import { fromResponse as tealeFromResponse, parseError as tealeParse } from "@wirefault/teale-relay";
import { readBatchResponse, fromResponse as telemetryFromResponse } from "@wirefault/telemetry-server";
import { parseError as tryllParse } from "@wirefault/tryll";
import { decodeFrame, encodeErrorFrame } from "@wirefault/tryll/frame";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

// The random part of each secret, kept apart so that a leak of it alone is caught too.
const RANDOM = { bearer: hex(20), queryToken: hex(20), bodyKey: hex(20), opaqueKey: hex(24) } as const;

/** What the client sends; random per run. */
const SECRETS = {
  bearer: `sk-wf-${RANDOM.bearer}`,
  queryToken: `rla_${RANDOM.queryToken}`,
  bodyKey: `pk_live_${RANDOM.bodyKey}`,
  opaqueKey: RANDOM.opaqueKey,
} as const;

/** Each secret, and its random part: either showing up is a leak. */
const NEEDLES: readonly (readonly [string, string])[] = (Object.keys(SECRETS) as (keyof typeof SECRETS)[]).flatMap(
  (name) => [[name, SECRETS[name]] as const, [`${name} (its random part)`, RANDOM[name]] as const],
);

/** What a server saw of one request. */
interface Seen {
  readonly bearer: string;
  readonly queryToken: string;
  readonly bodyKey: string;
  readonly opaqueKey: string;
}

/** A server's answer, built from what it saw. */
interface Answer {
  readonly status: number;
  readonly body: string | Uint8Array;
  readonly type?: string;
}

/** One echo: a route of the test server, its answer, and how a client reads it into errors. */
interface Scenario {
  readonly name: string;
  readonly answer: (seen: Seen) => Answer;
  readonly read: (res: Response) => Promise<readonly unknown[]>;
}

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
const text = async (res: Response) => res.text();
const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());

const SCENARIOS: Readonly<Record<string, readonly Scenario[]>> = {
  "teale-relay": [
    {
      name: "401 OpenAI envelope echoing the bearer key, in the message and in param",
      answer: (s) =>
        json(401, {
          error: {
            message: `Incorrect API key provided: ${s.bearer}. Sent: Authorization: Bearer ${s.bearer}`,
            type: "authentication_error",
            code: "invalid_api_key",
            param: s.bearer,
          },
        }),
      read: async (res) => [await tealeFromResponse(res)],
    },
    {
      name: "401 broken JSON echoing the Authorization header",
      answer: (s) => ({ status: 401, body: `{"error":{"message":"Unauthorized: Bearer ${s.bearer}` }),
      read: async (res) => [await tealeFromResponse(res)],
    },
    {
      name: "400 echoing the request body and its keys",
      answer: (s) =>
        json(400, {
          error: {
            message: `Invalid body: {"api_key":"${s.opaqueKey}","key":"${s.bodyKey}"}`,
            type: "invalid_request_error",
            code: null,
          },
        }),
      read: async (res) => [await tealeFromResponse(res)],
    },
    {
      name: "500 echoing an upstream URL with the token and key in its query",
      answer: (s) =>
        json(500, {
          error: {
            message: `GET http://upstream/v1/models?token=${s.queryToken}&api_key=${s.opaqueKey} failed`,
            type: "internal_error",
            code: "internal_error",
          },
        }),
      read: async (res) => [await tealeFromResponse(res)],
    },
    {
      name: "503 plain text echoing everything",
      answer: (s) => ({
        status: 503,
        type: "text/plain",
        body: `unavailable for Bearer ${s.bearer}, token ${s.queryToken}, key ${s.bodyKey}, api_key=${s.opaqueKey}`,
      }),
      read: async (res) => [await tealeFromResponse(res)],
    },
    {
      name: "relay frame and relayed inference error echoing the token and key",
      answer: (s) => ({
        status: 200,
        body: JSON.stringify([
          { error: { code: "rate_limited", message: `token ${s.queryToken} over the limit`, retryAfterSeconds: 1 } },
          {
            inferenceError: { requestID: "req-1", errorMessage: `provider rejected ${s.bodyKey}`, code: "unavailable" },
          },
        ]),
      }),
      read: async (res) => (JSON.parse(await text(res)) as unknown[]).map((frame) => tealeParse(JSON.stringify(frame))),
    },
  ],
  "telemetry-server": [
    {
      name: "400 validation_error echoing the key in issue messages and fields",
      answer: (s) =>
        json(400, {
          error: "validation_error",
          details: [
            {
              code: "custom",
              path: ["api_key"],
              message: `api_key=${s.opaqueKey} is revoked`,
              received: s.bodyKey,
            },
          ],
        }),
      read: async (res) => [await telemetryFromResponse(res)],
    },
    {
      name: "401 whose error string (the code) echoes the token",
      answer: (s) => json(401, { error: `invalid token ${s.queryToken}` }),
      read: async (res) => [await telemetryFromResponse(res)],
    },
    {
      name: "400 framework body echoing the body key",
      answer: (s) =>
        json(400, {
          statusCode: 400,
          code: "FST_ERR_VALIDATION",
          error: "Bad Request",
          message: `body/api_key must not be ${s.bodyKey}`,
        }),
      read: async (res) => [await telemetryFromResponse(res)],
    },
    {
      name: "500 echoing the Authorization header",
      answer: (s) => json(500, { error: "internal_error", message: `db error for Authorization: Bearer ${s.bearer}` }),
      read: async (res) => [await telemetryFromResponse(res)],
    },
    {
      name: "207 block errors echoing secrets through the message templates",
      answer: (s) =>
        json(207, {
          accepted: 0,
          errors: [
            { seq: 1, error: `Invalid payload: api_key=${s.opaqueKey}` },
            { seq: 2, error: `Device not found: ${s.bearer}` },
            { seq: 3, error: `Invalid signature for device ${s.queryToken}` },
          ],
        }),
      read: async (res) => {
        const result = await readBatchResponse(res, { sent: 3 });
        return [...result.errors, ...(result.error ? [result.error] : [])];
      },
    },
  ],
  "ckg-relay": [
    {
      name: "403 echoing the token",
      answer: (s) =>
        json(403, { code: "NOT_ALLOWED", message: `app token ${s.queryToken} is not allowed`, event_id: "e1" }),
      read: async (res) => [await ckgFromResponse(res)],
    },
    {
      name: "500 with a nested error object echoing the Authorization header",
      answer: (s) =>
        json(500, {
          type: "error",
          code: "AGENT_ERROR",
          error: { message: `agent failed: Authorization: Bearer ${s.bearer}`, code: "AGENT_ERROR" },
          event_id: "e2",
        }),
      read: async (res) => [await ckgFromResponse(res)],
    },
    {
      name: "400 whose error text echoes the body",
      answer: (s) =>
        json(400, {
          code: "INVALID_MESSAGE",
          error: `payload {"api_key":"${s.opaqueKey}","key":"${s.bodyKey}"} rejected`,
        }),
      read: async (res) => [await ckgFromResponse(res)],
    },
    {
      name: "WebSocket error message whose event_id echoes the token",
      answer: (s) =>
        json(200, {
          type: "error",
          code: "RATE_LIMITED",
          message: `too many for ${s.bodyKey}`,
          event_id: s.queryToken,
        }),
      read: async (res) => [ckgParse(await text(res))],
    },
  ],
  atlas: [
    {
      name: "MessagePack ErrorMessage echoing the token and bearer key",
      answer: (s) => ({
        status: 200,
        type: "application/msgpack",
        body: encode({ code: 1002, message: `handshake failed for token ${s.queryToken} (Bearer ${s.bearer})` }),
      }),
      read: async (res) => [decodeErrorMessage(await bytes(res))],
    },
    {
      name: "zone.error echoing the keys",
      answer: (s) =>
        json(200, {
          type: "zone.error",
          request_id: "req_1",
          code: "payment_invalid",
          message: `authorization ${s.bodyKey} with api_key=${s.opaqueKey} does not match`,
        }),
      read: async (res) => [atlasParse(await text(res))],
    },
    {
      name: "MessagePack ErrorMessage whose ref_msg_id echoes the bearer key",
      answer: (s) => ({
        status: 200,
        type: "application/msgpack",
        body: encode({ code: 4001, message: "rate limit exceeded", ref_msg_id: s.bearer }),
      }),
      read: async (res) => [decodeErrorMessage(await bytes(res))],
    },
  ],
  tryll: [
    {
      name: "ErrorResponse frame echoing a download URL with the token",
      answer: (s) => ({
        status: 200,
        type: "application/octet-stream",
        body: encodeErrorFrame({ code: 6001, message: `GET https://models.example/m?token=${s.queryToken} failed` }),
      }),
      read: async (res) => [decodeFrame(await bytes(res))],
    },
    {
      name: "decoded ErrorResponse echoing the keys",
      answer: (s) => json(200, { code: 3003, message: `node uses key ${s.bodyKey} and Bearer ${s.bearer}` }),
      read: async (res) => [tryllParse(await text(res))],
    },
  ],
};

// ---------------------------------------------------------------------------
// The servers

interface Peer {
  readonly server: Server;
  readonly base: string;
  readonly requests: Seen[];
}

const headerSafe = (value: string): string => value.replace(/[^\x20-\x7e]/g, "?");

/** Starts a server that echoes the secrets of each request, in its answer and in its headers. */
async function startPeer(route: (path: string, seen: Seen) => Answer): Promise<Peer> {
  const requests: Seen[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = Buffer.concat(chunks).toString("utf8");
    const parsed = JSON.parse(body || "{}") as { api_key?: string; apiKey?: string };
    const seen: Seen = {
      bearer: (req.headers.authorization ?? "").replace(/^Bearer /, ""),
      queryToken: url.searchParams.get("token") ?? "",
      bodyKey: parsed.api_key ?? "",
      opaqueKey: parsed.apiKey ?? "",
    };
    requests.push(seen);
    const answer = route(url.pathname, seen);
    res.writeHead(answer.status, {
      "content-type": answer.type ?? "application/json",
      "retry-after": "0",
      "x-echo-authorization": headerSafe(req.headers.authorization ?? ""),
      "x-echo-url": headerSafe(req.url ?? ""),
      "x-echo-body": headerSafe(body),
      "set-cookie": `session=${seen.queryToken}; HttpOnly`,
      "www-authenticate": `Bearer realm="wirefault", error="invalid_token", token="${seen.bearer}"`,
    });
    res.end(answer.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(599).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}`, requests };
}

/** The request every test makes: bearer header, token in the query, keys in the JSON body. */
function send(base: string, path: string): Promise<Response> {
  return fetch(`${base}${path}?token=${SECRETS.queryToken}`, {
    method: "POST",
    headers: { authorization: `Bearer ${SECRETS.bearer}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "m", api_key: SECRETS.bodyKey, apiKey: SECRETS.opaqueKey }),
  });
}

// ---------------------------------------------------------------------------
// The views an error is read through

/** Everything a person or a log sees of an error. */
function views(err: unknown): Record<string, string> {
  const e = err as Partial<ProtocolError>;
  return {
    message: String(e.message),
    "String(err)": String(e),
    "JSON.stringify(err)": JSON.stringify(e) ?? "",
    "err.toJSON()": typeof e.toJSON === "function" ? JSON.stringify(e.toJSON()) : "",
    "util.inspect(err, { depth: 10 })": inspect(e, { depth: 10 }),
  };
}

/** Every view that shows a secret, as `view: secret`. */
function leaks(err: unknown): string[] {
  const found: string[] = [];
  for (const [view, shown] of Object.entries(views(err)))
    for (const [name, needle] of NEEDLES) if (shown.includes(needle)) found.push(`${view} shows ${name}`);
  return [...new Set(found)];
}

let peer: Peer;
const routes = new Map<string, Scenario>();
const pathOf = (protocol: string, index: number) => `/${protocol}/${index}`;

beforeAll(async () => {
  for (const [protocol, scenarios] of Object.entries(SCENARIOS))
    scenarios.forEach((scenario, i) => {
      routes.set(pathOf(protocol, i), scenario);
    });
  peer = await startPeer((path, seen) => {
    if (path === "/retry/ckg-relay")
      return json(503, { code: "AGENT_OFFLINE", message: `agent offline (token ${seen.queryToken})` });
    if (path === "/retry/teale-relay")
      return { status: 500, type: "text/plain", body: `${seen.bearer} crashed the server; Bearer ${seen.bearer}` };
    if (path === "/retry/telemetry-server")
      return json(500, { error: "internal_error", message: `retry with api_key=${seen.opaqueKey}` });
    const scenario = routes.get(path);
    return scenario ? scenario.answer(seen) : json(404, { error: "no route" });
  });
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => peer.server.close((error) => (error ? reject(error) : resolve())));
});

// ---------------------------------------------------------------------------
// The tests

describe("the echo servers", () => {
  it("receive every secret and echo them in headers and bodies", async () => {
    const res = await send(peer.base, pathOf("teale-relay", 0));
    let echoed = await res.text();
    res.headers.forEach((value, name) => {
      echoed += `\n${name}: ${value}`;
    });
    for (const secret of Object.values(SECRETS)) expect(echoed).toContain(secret);
    expect(peer.requests.at(-1)).toEqual(SECRETS);
  });
});

for (const [protocol, scenarios] of Object.entries(SCENARIOS))
  describe(`${protocol}: no secret in any view of the error`, () => {
    scenarios.forEach((scenario, i) => {
      it(scenario.name, async () => {
        const res = await send(peer.base, pathOf(protocol, i));
        const errors = await scenario.read(res);
        expect(errors.length).toBeGreaterThan(0);
        for (const err of errors) {
          expect(isProtocolError(err), String(err)).toBe(true);
          expect((err as ProtocolError).protocol).toBe(protocol);
        }
        // Every leak of every error at once, so that a failure names them all.
        const found = errors.flatMap((err, n) => leaks(err).map((leak) => `error ${n} (${String(err)}): ${leak}`));
        expect(found, errors.map((err) => inspect(err, { depth: 10 })).join("\n")).toEqual([]);
      });
    });
  });

// retry() sleeps on this clock: the backoff is real code, the wait is not.
const immediate: Clock = {
  setTimeout: (callback) => setImmediate(callback),
  clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
};

describe("retry() giving up: no secret in the final error or its cause chain", () => {
  it.each([
    ["ckg-relay", (res: Response) => ckgFromResponse(res), 4],
    ["teale-relay", (res: Response) => tealeFromResponse(res), 5],
    ["telemetry-server", (res: Response) => telemetryFromResponse(res), 3],
  ] as const)("%s", async (protocol, read, attempts) => {
    const before = peer.requests.length;
    const failure = await retry(
      async () => {
        const res = await send(peer.base, `/retry/${protocol}`);
        throw await read(res);
      },
      { clock: immediate, maxAttempts: 5 },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isProtocolError(failure)).toBe(true);
    const err = failure as ProtocolError;
    expect(err.protocol).toBe(protocol);
    expect(err.attempts).toBe(attempts);
    expect(peer.requests.length - before).toBe(attempts);
    // The final error, then every link of its cause chain on its own.
    const found = leaks(err).map((leak) => `final error: ${leak}`);
    for (let cause: unknown = err.cause, depth = 0; cause !== undefined && depth < 8; depth++) {
      found.push(...leaks(cause).map((leak) => `cause ${depth}: ${leak}`));
      cause = (cause as { cause?: unknown }).cause;
    }
    expect(found, inspect(err, { depth: 10 })).toEqual([]);
  });
});
