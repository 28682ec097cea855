import { isErrorFrame, isInferenceError, parseError, type TealeRelayError } from "@wirefault/teale-relay";
import WebSocket from "ws";

// Sends one relay message and settles with the first error frame or traffic the relay answers.
// binaryType "fragments" hands over Buffer[]; wirefault reads every form ws gives.
export function send(url: string, message: object): Promise<TealeRelayError | unknown> {
  const ws = new WebSocket(url);
  ws.binaryType = "fragments";
  return new Promise((resolve, reject) => {
    ws.on("open", () => ws.send(JSON.stringify(message)));
    ws.on("error", reject);
    ws.on("message", (data) => {
      ws.close();
      if (isErrorFrame(data) || isInferenceError(data))
        resolve(parseError(data)); // never throws
      else resolve(JSON.parse(Buffer.concat(data as Buffer[]).toString()));
    });
  });
}
