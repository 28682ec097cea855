import { decode, encode } from "@msgpack/msgpack";
import { type AtlasError, parseError } from "@wirefault/atlas";
import WebSocket from "ws";

const ERROR_FRAME = 0xe0;

// Sends one message ([frame type][MessagePack body]) and settles with the answer: the decoded body,
// or a typed error for an ErrorMessage frame (0xE0) or a zone.error. @msgpack/msgpack decodes; wirefault reads.
export function send(url: string, body: object): Promise<{ answer?: unknown; error?: AtlasError }> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.on("open", () => ws.send(Uint8Array.of(0x01, ...encode(body))));
    ws.on("error", reject);
    ws.on("message", (data) => {
      ws.close();
      const bytes = new Uint8Array(data as Buffer);
      let message: unknown;
      try {
        message = decode(bytes.subarray(1));
      } catch {
        return resolve({ error: parseError(bytes.subarray(1)) }); // not MessagePack: WIREFAULT_MALFORMED, never throws
      }
      const zone = (message as { type?: unknown } | null)?.type === "zone.error";
      if (bytes[0] === ERROR_FRAME || zone) resolve({ error: parseError(message) });
      else resolve({ answer: message });
    });
  });
}
