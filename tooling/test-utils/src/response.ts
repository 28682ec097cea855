/**
 * A Response whose body is cut off after a few bytes by a connection reset,
 * as undici reports one (a TypeError "terminated" caused by UND_ERR_SOCKET).
 */
export function cutOffResponse(status: number): { readonly response: Response; readonly reset: TypeError } {
  const reset = new TypeError("terminated", {
    cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
  });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"err'));
      controller.error(reset);
    },
  });
  return { response: new Response(stream, { status }), reset };
}

/** A body stream of 1-byte chunks: what a reader sees of a peer that writes a byte at a time. */
export function byteAtATime(data: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at < data.byteLength) controller.enqueue(data.slice(at, ++at));
      else controller.close();
    },
  });
}
