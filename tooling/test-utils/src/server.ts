import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One canned HTTP answer: a status, a body sent byte for byte, and headers. */
export interface CannedAnswer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** A loopback HTTP server answering every request with `answer(path)`; `undefined` leaves it hanging. */
export interface CannedServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * Starts a loopback HTTP server whose answers are written verbatim, so a test
 * can hand a real client library the exact bytes a real server sends (broken JSON included).
 */
export async function cannedServer(answer: (path: string) => CannedAnswer | undefined): Promise<CannedServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => {
      const canned = answer(req.url ?? "/");
      if (!canned) return;
      const { status, body = "", headers = {} } = canned;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
