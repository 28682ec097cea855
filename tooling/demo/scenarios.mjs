// The demo's scenarios: for each protocol, real errors from a loopback peer,
// handled with the public API only, as an application would. Each pushes its
// rows into `rows` as they finish, so the demo can show them live.
import { decode, encode } from "@msgpack/msgpack";
import { ERROR_MESSAGE_FRAME_TYPE } from "@wirefault/atlas";
import { parseError as parseAtlas } from "@wirefault/atlas/msgpack";
import { fromResponse as ckgFromResponse, userMessage, validateEvent } from "@wirefault/ckg-relay";
import { isProtocolError, isRetryable, retry } from "@wirefault/core";
import { isErrorFrame, parseError as parseTeale, fromResponse as tealeFromResponse } from "@wirefault/teale-relay";
import { isAlreadyRegistered, mustRegister, readBatchResponse, seqsToResend } from "@wirefault/telemetry-server";
import { atlasFrame, createTelemetryDevice, TryllClient, WsClient } from "@wirefault/testkit";
import { decodeFrame } from "@wirefault/tryll/frame";

/**
 * A clock whose sleeps take `factor` of the real time, so the demo shows the
 * real policy delays (2 s, 4 s…) without waiting for them.
 */
export const scaledClock = (factor) => ({
  setTimeout: (callback, ms) => setTimeout(callback, ms * factor),
  clearTimeout: (handle) => clearTimeout(handle),
});
const FAST = scaledClock(0.001);

/** Runs `fn` under retry(), recording the last error and the total (virtual) wait. */
async function attempt(fn, options = {}) {
  let last;
  let waitedMs = 0;
  const onRetry = ({ error, delayMs }) => {
    last = error;
    waitedMs += delayMs;
  };
  try {
    return { value: await retry(fn, { clock: FAST, jitter: "none", ...options, onRetry }), error: last, waitedMs };
  } catch (error) {
    return { error, waitedMs };
  }
}

/** `fn` with a count of the attempts made through it. */
function counted(fn) {
  let n = 0;
  const wrapped = async (i) => {
    n = i;
    return fn(i);
  };
  wrapped.count = () => n;
  return wrapped;
}

// What the table shows for a platform failure: no protocol code, so it says
// "network error" before the system's own code (ECONNRESET, UND_ERR_SOCKET…).
const platformCode = (error) => {
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++)
    if (typeof e.code === "string") return `network error ${e.code}`;
  return `network error ${error?.name ?? ""}`.trim();
};

/** One scenario's result, as the summary table shows it. */
const row = (protocol, scenario, expected, error, attempts, waitedMs, outcome, ok) => ({
  protocol,
  scenario,
  code: error === undefined ? "-" : isProtocolError(error) ? String(error.code) : platformCode(error),
  action: error === undefined ? "-" : isProtocolError(error) ? error.action : isRetryable(error) ? "retry" : "-",
  attempts,
  waitedMs,
  outcome,
  expected,
  ok,
});

async function httpJson(url, body, headers = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

export async function tealeRelay(peers, rows = []) {
  // 1. A rate limit honoured: the relay's real discover limit, and its retryAfterSeconds.
  const ws = await WsClient.open(peers.tealeRelay.url);
  ws.ws.send(
    JSON.stringify({ register: { nodeID: "demo-node", publicKey: "pk", capabilities: [], signature: "sig" } }),
  );
  await ws.next();
  ws.ws.send(JSON.stringify({ discover: {} }));
  await ws.next();
  const discover = counted(async () => {
    ws.ws.send(JSON.stringify({ discover: {} }));
    const event = await ws.next();
    if (event.type === "message" && isErrorFrame(event.data)) throw parseTeale(event.data);
    return JSON.parse(String(event.data));
  });
  // The relay's interval is 200 ms of real time here; its hint says 1 s, which the scaled clock sleeps in 250 ms.
  let r = await attempt(discover, { clock: scaledClock(0.25) });
  rows.push(
    row(
      "teale-relay",
      "rate limit honoured",
      "discover answered after waiting retryAfterSeconds",
      r.error,
      discover.count(),
      r.waitedMs,
      r.value?.discoverResponse ? `discovered after the relay's ${r.error?.retryAfterMs / 1000} s hint` : "failed",
      r.value?.discoverResponse !== undefined &&
        r.error?.code === "rate_limited" &&
        r.waitedMs === r.error.retryAfterMs,
    ),
  );
  // 2. A transient failure retried to success: the local API's 500.
  peers.tealeApi.plan({ kind: "error", code: "internal_error" });
  const chat = counted(async () => {
    const res = await httpJson(`${peers.tealeApi.url}/v1/chat/completions`, {
      model: "m",
      messages: [{ role: "user", content: "hi" }],
    });
    if (!res.ok) throw await tealeFromResponse(res);
    return res.json();
  });
  r = await attempt(chat);
  rows.push(
    row(
      "teale-relay",
      "transient failure retried",
      "completion after one retry",
      r.error,
      chat.count(),
      r.waitedMs,
      r.value?.choices ? "completion returned" : "failed",
      r.value?.choices !== undefined && chat.count() === 2,
    ),
  );
  // 3. A non-retryable error surfaced: a bad API key.
  peers.tealeApi.plan({ kind: "error", code: "unauthorized" });
  const denied = counted(chat);
  r = await attempt(denied);
  rows.push(
    row(
      "teale-relay",
      "non-retryable error surfaced",
      "stop at once and tell the user",
      r.error,
      denied.count(),
      r.waitedMs,
      `user sees: "${r.error?.message}"`,
      r.error?.code === "unauthorized" && denied.count() === 1,
    ),
  );
  // 4. A frame decoded from bytes: the relay's peer_not_found, as a ws Buffer.
  ws.ws.send(JSON.stringify({ relayOpen: { toNodeID: "gone-node" } }));
  const event = await ws.next();
  const err = event.type === "message" ? parseTeale(event.data) : undefined;
  rows.push(
    row(
      "teale-relay",
      "frame decoded from bytes",
      "peer_not_found with its peer id",
      err,
      1,
      0,
      `the relay says peer "${err?.peerNodeId}" is not connected: discover peers again`,
      err?.code === "peer_not_found" && err.peerNodeId === "gone-node",
    ),
  );
  ws.ws.close();
  return rows;
}

export async function telemetryServer(peers, rows = []) {
  const device = createTelemetryDevice("demo-sensor");
  const send = (blocks) => httpJson(`${peers.telemetry.url}/v1/telemetry`, { blocks });
  // 1. Re-register, then resend: telemetry for an unknown device is a 207, never a 404.
  const blocks = [device.block(1), device.block(2)];
  let answer = await readBatchResponse(await send(blocks), { sent: blocks.length });
  const first = answer.errors[0];
  let registered = false;
  if (mustRegister(answer)) {
    const res = await httpJson(`${peers.telemetry.url}/v1/devices`, device.registration);
    registered = isAlreadyRegistered(res.status);
  }
  const resend = seqsToResend(answer).map((seq) => blocks.find((b) => b.seq === seq));
  answer = await readBatchResponse(await send(resend), { sent: resend.length });
  rows.push(
    row(
      "telemetry-server",
      "re-register, then resend",
      "both blocks stored once",
      first,
      2,
      0,
      `registered, resent ${resend.length}, accepted ${answer.accepted}`,
      first?.code === "DEVICE_NOT_FOUND" && registered && answer.accepted === 2 && peers.telemetry.stored.size === 2,
    ),
  );
  // 2. A rate limit honoured: a 500 with Retry-After.
  peers.telemetry.plan({ kind: "retry-after", seconds: 3 });
  const batch = counted(async () => {
    const result = await readBatchResponse(await send([device.block(3)]), { sent: 1 });
    if (result.error) throw result.error;
    return result;
  });
  let r = await attempt(batch);
  rows.push(
    row(
      "telemetry-server",
      "server's Retry-After honoured",
      "accepted after the server's Retry-After",
      r.error,
      batch.count(),
      r.waitedMs,
      r.value ? `accepted ${r.value.accepted} after ${r.waitedMs / 1000} s` : "failed",
      r.value?.accepted === 1 && r.waitedMs === 3000,
    ),
  );
  // 3. A transient failure retried to success: a connection reset before the answer.
  peers.telemetry.plan({ kind: "close" });
  const again = counted(async () => {
    const result = await readBatchResponse(await send([device.block(4)]), { sent: 1 });
    if (result.error) throw result.error;
    return result;
  });
  r = await attempt(again);
  rows.push(
    row(
      "telemetry-server",
      "transient failure retried (connection reset)",
      "accepted after the reset",
      r.error,
      again.count(),
      r.waitedMs,
      r.value
        ? `accepted on the retry and stored once: the server holds ${peers.telemetry.stored.size} blocks, no duplicate`
        : "failed",
      r.value?.accepted === 1 && peers.telemetry.stored.size === 4 && isRetryable(r.error),
    ),
  );
  // 4. A non-retryable error surfaced: a block with a bad signature is reported, never resent.
  answer = await readBatchResponse(await send([device.block(5, { badSignature: true })]), { sent: 1 });
  const bad = answer.errors[0];
  rows.push(
    row(
      "telemetry-server",
      "non-retryable error surfaced",
      "reported, not resent",
      bad,
      1,
      0,
      `block ${bad?.seq} reported: "${bad?.message}"; ${seqsToResend(answer).length} blocks to resend`,
      bad?.code === "INVALID_SIGNATURE" && seqsToResend(answer).length === 0,
    ),
  );
  return rows;
}

export async function ckgRelay(peers, rows = []) {
  let n = 0;
  const event = () => ({
    type: "event",
    event_id: `evt_${++n}`,
    agent_id: "athena",
    thread_id: "t1",
    payload: { text: "hi" },
  });
  const post = counted(async () => {
    const res = await fetch(`${peers.ckgRelay.url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: validateEvent(event()),
    });
    if (!res.ok) throw await ckgFromResponse(res);
    return res.json();
  });
  // 1. A rate limit honoured: 429 with Retry-After.
  peers.ckgRelay.plan({ kind: "retry-after", seconds: 12 });
  let r = await attempt(post);
  rows.push(
    row(
      "ckg-relay",
      "rate limit honoured",
      "delivered after Retry-After",
      r.error,
      post.count(),
      r.waitedMs,
      r.value ? `delivered after ${r.waitedMs / 1000} s` : "failed",
      r.value !== undefined && r.waitedMs === 12_000,
    ),
  );
  // 2. A transient failure retried to success: the agent offline twice; the page's 2 s, 4 s.
  peers.ckgRelay.plan({ kind: "error", code: "AGENT_OFFLINE" }, { kind: "error", code: "AGENT_OFFLINE" });
  const offline = counted(post);
  r = await attempt(offline);
  rows.push(
    row(
      "ckg-relay",
      "transient failure retried",
      "delivered on attempt 3 after 2 s + 4 s",
      r.error,
      offline.count(),
      r.waitedMs,
      r.value ? `delivered after ${r.waitedMs / 1000} s` : "failed",
      r.value !== undefined && r.waitedMs === 6000 && offline.count() === 3,
    ),
  );
  // 3. A non-retryable error surfaced with its user message.
  peers.ckgRelay.plan({ kind: "error", code: "NOT_ALLOWED" });
  const denied = counted(post);
  r = await attempt(denied);
  const text = r.error ? userMessage(r.error, { agentName: "Athena" }) : "";
  rows.push(
    row(
      "ckg-relay",
      "non-retryable error surfaced",
      "stop at once, show the page's user text",
      r.error,
      denied.count(),
      r.waitedMs,
      `user sees: "${text}"`,
      r.error?.code === "NOT_ALLOWED" && denied.count() === 1 && text.length > 0,
    ),
  );
  // 4. Refused before sending: a payload over 64 KB never leaves the client.
  let refused;
  try {
    validateEvent({ ...event(), payload: { text: "é".repeat(40_000) } });
  } catch (error) {
    refused = error;
  }
  rows.push(
    row(
      "ckg-relay",
      "refused before sending",
      "PAYLOAD_TOO_LARGE, nothing sent",
      refused,
      0,
      0,
      String(refused?.message ?? "sent"),
      refused?.code === "PAYLOAD_TOO_LARGE",
    ),
  );
  return rows;
}

export async function atlas(peers, rows = []) {
  const ws = await WsClient.open(peers.atlas.url);
  let id = 0;
  const send = counted(async () => {
    ws.ws.send(atlasFrame(0x01, encode({ msg_id: `msg_${++id}` })));
    const event = await ws.next();
    if (event.type !== "message") throw new Error(`closed ${event.code}`);
    const bytes = new Uint8Array(event.data);
    if (bytes[0] === ERROR_MESSAGE_FRAME_TYPE) throw parseAtlas(bytes.subarray(1));
    const reply = decode(bytes.subarray(1));
    if (reply?.type === "zone.error") throw parseAtlas(reply);
    return reply;
  });
  // 1. A rate limit honoured: ERR_RATE_LIMITED (4001) in a 0xE0 MessagePack frame.
  peers.atlas.plan({ kind: "error", code: 4001 });
  let r = await attempt(send);
  rows.push(
    row(
      "atlas",
      "rate limit honoured (MessagePack 0xE0)",
      "acked after backing off",
      r.error,
      send.count(),
      r.waitedMs,
      r.value?.type === "ack" ? `acked after ${r.waitedMs / 1000} s (${r.error?.codeName})` : "failed",
      r.value?.type === "ack" && r.error?.code === 4001 && r.error.action === "throttle",
    ),
  );
  // 2. A transient failure retried to success: ERR_INTERNAL (5001).
  peers.atlas.plan({ kind: "error", code: 5001 });
  const internal = counted(send);
  r = await attempt(internal);
  rows.push(
    row(
      "atlas",
      "transient failure retried",
      "acked on attempt 2",
      r.error,
      internal.count(),
      r.waitedMs,
      r.value?.type === "ack" ? "acked" : "failed",
      r.value?.type === "ack" && internal.count() === 2,
    ),
  );
  // 3. A non-retryable error surfaced: a zone ban.
  peers.atlas.plan({ kind: "error", code: "banned" });
  const banned = counted(send);
  r = await attempt(banned);
  rows.push(
    row(
      "atlas",
      "non-retryable error surfaced (zone.error)",
      "stop at once, a person must act",
      r.error,
      banned.count(),
      r.waitedMs,
      `user sees: "${r.error?.message}"`,
      r.error?.code === "banned" && r.error.action === "user-action" && banned.count() === 1,
    ),
  );
  ws.ws.close();
  return rows;
}

export async function tryll(peers, rows = []) {
  const client = await TryllClient.connect(peers.tryll.port);
  const turn = counted(async () => {
    client.request();
    const event = await client.next();
    if (event.type !== "frame") throw new Error("connection ended");
    const error = decodeFrame(event.frame);
    if (error) throw error;
    return "turn complete";
  });
  // 1. A frame decoded across TCP chunks: AgentBusy (3004) arrives split.
  peers.tryll.plan({ kind: "error", code: 3004 });
  let r = await attempt(turn, { maxAttempts: 1 });
  rows.push(
    row(
      "tryll",
      "binary frame decoded from a split stream",
      "AgentBusy: wait for TurnComplete",
      r.error,
      turn.count(),
      0,
      `${r.error?.codeName} reassembled from ${client.chunks} TCP chunks`,
      r.error?.code === 3004 && r.error.action === "wait" && client.chunks > 1,
    ),
  );
  // 2. A transient failure retried to success: DownloadFailed (6001).
  peers.tryll.plan({ kind: "error", code: 6001 });
  const download = counted(turn);
  r = await attempt(download);
  rows.push(
    row(
      "tryll",
      "transient failure retried",
      "turn completes on attempt 2",
      r.error,
      download.count(),
      r.waitedMs,
      r.value ?? "failed",
      r.value === "turn complete" && download.count() === 2,
    ),
  );
  // 3. A non-retryable error surfaced: a protocol version mismatch stops everything.
  peers.tryll.plan({ kind: "error", code: 5004 });
  const mismatch = counted(turn);
  r = await attempt(mismatch);
  rows.push(
    row(
      "tryll",
      "non-retryable error surfaced",
      "abort: log and investigate",
      r.error,
      mismatch.count(),
      r.waitedMs,
      `log: ${r.error?.code} ${r.error?.codeName}`,
      r.error?.code === 5004 && r.error.action === "abort" && mismatch.count() === 1,
    ),
  );
  client.close();
  return rows;
}

export const PROTOCOLS = {
  "teale-relay": tealeRelay,
  "telemetry-server": telemetryServer,
  "ckg-relay": ckgRelay,
  atlas,
  tryll,
};
