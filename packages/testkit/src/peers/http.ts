// Fault injection for the HTTP peers (Teale local API, telemetry, CKG Relay).
import type { ServerResponse } from "node:http";
import type { Fault, PeerCore } from "./shared.js";

/** One HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly body: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How one request of a protocol is answered, normally and under each fault. */
export interface HttpAnswers<C> {
  /** The normal answer; may change the peer's state (store a block, deliver an event). */
  process(): Answer | Promise<Answer>;
  /** The documented error answer for `code`. */
  error(code: C, message?: string): Answer;
  /** A rate-limit answer carrying `Retry-After: seconds`. */
  retryAfter(seconds: number): Answer;
  /** The protocol's size cap on a body, which `oversized` exceeds. */
  readonly cap: number;
}

/** A JSON answer. */
export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(value),
  headers: { "content-type": "application/json", ...headers },
});

/** Writes an answer in full. */
export function send(res: ServerResponse, answer: Answer): void {
  const body = typeof answer.body === "string" ? Buffer.from(answer.body) : answer.body;
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(body.byteLength) });
  res.end(body);
}

const SAMPLE = json(200, { partial: "x".repeat(256), note: "this body is cut in the middle" });

/** Sends the headers of `full` (promising its whole length) and the first half of its body. */
function writeHalf(res: ServerResponse, full: Answer, then?: () => void): void {
  const body = typeof full.body === "string" ? Buffer.from(full.body) : full.body;
  res.writeHead(full.status, { ...full.headers, "content-length": String(body.byteLength) });
  res.write(body.subarray(0, Math.max(1, body.byteLength >> 1)), then);
}

/** Answers one request, normally when `fault` is undefined, else with the fault. */
export async function answer<C>(
  core: PeerCore<Fault<C>>,
  res: ServerResponse,
  fault: Fault<C> | undefined,
  answers: HttpAnswers<C>,
): Promise<void> {
  if (fault === undefined || fault.kind === "none") return send(res, await answers.process());
  switch (fault.kind) {
    case "error":
      return send(res, answers.error(fault.code, fault.message));
    case "retry-after":
      return send(res, answers.retryAfter(fault.seconds));
    case "slow":
      core.later(fault.delayMs, () => void answer(core, res, fault.then, answers).catch(() => res.destroy()));
      return;
    case "hang":
      if (fault.partial) writeHalf(res, SAMPLE);
      return;
    case "drop": {
      // Headers promise the whole body; half of it arrives, then the connection dies.
      writeHalf(res, fault.after ? await answers.process() : SAMPLE, () => res.socket?.destroy());
      return;
    }
    case "garbage":
      return send(res, {
        status: 500,
        body: core.garbage(fault.bytes),
        headers: { "content-type": "application/octet-stream" },
      });
    case "oversized": {
      const size = fault.bytes ?? answers.cap * 2;
      const filler = "x".repeat(size);
      return send(res, json(500, { error: { code: "internal_error", message: filler } }));
    }
    case "close":
      res.socket?.destroy();
      return;
  }
}
