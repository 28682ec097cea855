// @wirefault/core from the registry: an error's meaning, and retry() acting on it.
import { isRetryable, ProtocolError, retry } from "@wirefault/core";

const busy = new ProtocolError({
  protocol: "rehearsal",
  code: "busy",
  message: "busy, try again",
  retryable: "yes",
  action: "retry",
  known: true,
});
if (!isRetryable(busy)) throw new Error("a retryable error is not retryable");
let calls = 0;
const value = await retry(
  async () => {
    calls += 1;
    if (calls === 1) throw busy;
    return "done";
  },
  { maxDelayMs: 0 },
);
if (value !== "done" || calls !== 2) throw new Error(`retry: ${value} after ${calls} calls`);
console.log(`core: retried ${busy.code} once`);
