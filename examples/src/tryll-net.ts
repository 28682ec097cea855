import { connect } from "node:net";
import { fromSocketError, parseError, TOO_LARGE, type TryllError, TryllErrorCode } from "@wirefault/tryll";
import { decodeFrame, FrameReader } from "@wirefault/tryll/frame";

const framed = (body: Uint8Array): Uint8Array => {
  const frame = new Uint8Array(4 + body.byteLength);
  new DataView(frame.buffer).setUint32(0, body.byteLength, true);
  frame.set(body, 4);
  return frame;
};

// One request on its own connection. Settles with the answer's error (undefined for a successful turn);
// a socket error, a close before the answer and a desynchronised stream all become a TryllError, never a crash.
export function request(port: number, body: Uint8Array): Promise<TryllError | undefined> {
  const reader = new FrameReader();
  const socket = connect({ host: "127.0.0.1", port });
  let connected = false;
  return new Promise((resolve) => {
    const settle = (result: TryllError | undefined) => {
      socket.destroy();
      resolve(result);
    };
    socket.on("connect", () => {
      connected = true;
      socket.write(framed(body));
    });
    socket.on("data", (chunk) => {
      const [frame] = reader.push(chunk);
      if (reader.error)
        settle(reader.error); // a length over 1 MiB, or under a message's: this stream cannot be trusted
      else if (frame) settle(decodeFrame(frame));
    });
    socket.on("error", (err) => settle(fromSocketError(err, { connected })));
    // Closed with no answer (and no error event): the session was dropped. Settling twice is a no-op.
    socket.on("close", () =>
      settle(parseError({ code: TryllErrorCode.ConnectionDropped, message: "Connection closed before the answer" })),
    );
  });
}

// Reconnects after a dropped connection or a desync, as far as the error allows; other errors are the answer.
export async function requestWithReconnect(
  port: number,
  body: Uint8Array,
  attempts = 3,
): Promise<TryllError | undefined> {
  let error: TryllError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    error = await request(port, body);
    const reconnect = error?.code === TOO_LARGE || error?.action === "reconnect";
    if (!reconnect) return error;
  }
  return error;
}
