// The forms WebSocket libraries hand a message over in, beyond a string and
// one buffer: `ws`'s `binaryType: "fragments"` (Buffer[]) and a browser's
// default Blob, which only an async read can open.

/** The chunks of `ws`'s `binaryType: "fragments"` data: a non-empty array of byte arrays; else undefined. */
export function fragmentsOf(input: unknown): readonly Uint8Array[] | undefined {
  try {
    if (!Array.isArray(input) || input.length === 0) return undefined;
    // A copy: a hostile array (getters, a Proxy) cannot change under the size check.
    const parts = Array.from(input as unknown[]);
    return parts.every((part) => part instanceof Uint8Array) ? (parts as Uint8Array[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The chunks joined into one array. */
export function joinFragments(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** True for a Blob (a File included), the default `binaryType` of a browser WebSocket. */
export function isBlob(input: unknown): input is Blob {
  try {
    if (typeof Blob === "function" && input instanceof Blob) return true;
    const tag = Object.prototype.toString.call(input);
    return tag === "[object Blob]" || tag === "[object File]";
  } catch {
    return false;
  }
}

/** The size of a Blob, or undefined for anything else; never throws. */
export function blobSize(input: unknown): number | undefined {
  try {
    return isBlob(input) && Number.isFinite(input.size) ? input.size : undefined;
  } catch {
    return undefined;
  }
}

/** What the synchronous parser says about a Blob it cannot open, naming the async one that can. */
export function blobMessage(asyncName: string): string {
  return `A Blob can only be read asynchronously: use await ${asyncName}(data), or set ws.binaryType = "arraybuffer"`;
}

/**
 * A Blob's bytes, read when it is within `maxBytes`; any other input (an
 * oversize Blob included, which the parser then refuses by size) is handed
 * back as it is. Never rejects.
 */
export async function readBlob(input: unknown, maxBytes: number): Promise<unknown> {
  const size = blobSize(input);
  if (size === undefined || size > maxBytes) return input;
  try {
    return new Uint8Array(await (input as Blob).arrayBuffer());
  } catch {
    return input;
  }
}
