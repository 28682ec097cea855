// A small client application, run in its own `node` process by abort.test.ts:
// it aborts a call mid-backoff, mid-request, mid-body and mid-frame (TCP and
// WebSocket), prints how fast each rejected, and then simply returns. It never
// calls process.exit: the process ends only if no timer or socket is left.
import { connect } from "node:net";
import { fromResponse as ckgFromResponse } from "@wirefault/ckg-relay";
import { retry } from "@wirefault/core";
import { fromResponse as tealeFromResponse } from "@wirefault/teale-relay";
import { decodeFrame, FrameReader } from "@wirefault/tryll/frame";
import WebSocket from "ws";

const config = JSON.parse(process.argv[2] ?? "{}");
const ABORT_AFTER_MS = 100;

/** Runs `body(signal)`, aborts after `afterMs` (or when `arm` says so), and measures abort-to-rejection. */
async function measure(name, body, { afterMs = ABORT_AFTER_MS, arm } = {}) {
  const controller = new AbortController();
  let abortedAt;
  const abort = () => {
    abortedAt = performance.now();
    controller.abort();
  };
  const timer = arm ? undefined : setTimeout(abort, afterMs);
  const started = performance.now();
  try {
    await body(controller.signal, () => setTimeout(abort, afterMs));
    return { name, rejected: false, error: "resolved instead of rejecting" };
  } catch (error) {
    clearTimeout(timer);
    const now = performance.now();
    return {
      name,
      rejected: true,
      errorName: error?.name,
      latencyMs: abortedAt === undefined ? undefined : now - abortedAt,
      totalMs: now - started,
    };
  }
}

// Mid-backoff: the relay answers AGENT_OFFLINE; retry() sleeps 1-2 s (real clock) and is aborted in the sleep.
const midBackoff = measure(
  "mid-backoff",
  (signal, armAbort) =>
    retry(
      async () => {
        const res = await fetch(`${config.ckgUrl}/v1/events`, {
          method: "POST",
          body: JSON.stringify({ agent_id: "athena", thread_id: "t", payload: {} }),
          signal,
        });
        if (!res.ok) throw await ckgFromResponse(res);
        return res.json();
      },
      { signal, onRetry: () => armAbort() },
    ),
  { arm: true, afterMs: 20 },
);

// Mid-request: the local API never answers.
const midRequest = () =>
  measure("mid-request", (signal) =>
    retry(
      async () => {
        const res = await fetch(`${config.tealeApiUrl}/v1/chat/completions`, { method: "POST", body: "{}", signal });
        if (!res.ok) throw await tealeFromResponse(res);
        return res.json();
      },
      { signal },
    ),
  );

// Mid-body: headers and half the body arrive, then nothing.
const midBody = () =>
  measure("mid-body", async (signal) => {
    const res = await fetch(`${config.tealeApiUrl}/v1/chat/completions`, { method: "POST", body: "{}", signal });
    return res.text();
  });

// Mid-frame over TCP: half a Tryll frame arrives, then nothing.
const midFrameTcp = () =>
  measure("mid-frame-tcp", (signal) => {
    return new Promise((resolve, reject) => {
      const reader = new FrameReader();
      const socket = connect({ host: "127.0.0.1", port: config.tryllPort });
      const onAbort = () => {
        socket.destroy();
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      socket.on("error", reject);
      socket.on("connect", () => {
        const body = new TextEncoder().encode("SendMessageRequest");
        const frame = new Uint8Array(4 + body.byteLength);
        new DataView(frame.buffer).setUint32(0, body.byteLength, true);
        frame.set(body, 4);
        socket.write(frame);
      });
      socket.on("data", (chunk) => {
        for (const f of reader.push(chunk)) {
          signal.removeEventListener("abort", onAbort);
          socket.destroy();
          const err = decodeFrame(f);
          return err ? reject(err) : resolve(f);
        }
      });
    });
  });

// Mid-frame over WebSocket: a frame header and half an Atlas payload arrive, then nothing.
const midFrameWs = () =>
  measure("mid-frame-ws", (signal) => {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(config.atlasUrl);
      const onAbort = () => {
        ws.terminate();
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      ws.on("error", () => {});
      ws.on("open", () => ws.send(new Uint8Array([0x01, 0x81, 0xa6, 0x6d, 0x73, 0x67, 0x5f, 0x69, 0x64, 0xa1, 0x31])));
      ws.on("message", (data) => {
        signal.removeEventListener("abort", onAbort);
        ws.terminate();
        resolve(data);
      });
    });
  });

const results = [await midBackoff, await midRequest(), await midBody(), await midFrameTcp(), await midFrameWs()];
// stdio pipes and TTYs are the process's own; anything else left here must be unref'd or closing.
const resources = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap" && r !== "PipeWrap");
console.log(JSON.stringify({ results, resources, endedAt: Date.now() }));
