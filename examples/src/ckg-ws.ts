import { type CkgRelayError, isErrorMessage, parseError, userMessage } from "@wirefault/ckg-relay";
import WebSocket from "ws";

// Sends one event and settles with the reply, or with the typed error and the text to show the user.
export function sendEvent(
  url: string,
  event: object,
): Promise<{ reply?: unknown; error?: CkgRelayError; text?: string }> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.on("open", () => ws.send(JSON.stringify({ type: "event", ...event })));
    ws.on("error", reject);
    ws.on("message", (data) => {
      ws.close();
      if (!isErrorMessage(data)) return resolve({ reply: JSON.parse(String(data)) });
      const error = parseError(data); // text in `message` or `error`, event_id kept
      resolve({ error, text: userMessage(error) });
    });
  });
}
