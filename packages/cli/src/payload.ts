/** A captured payload, as far as its bytes tell. */
export type Payload =
  | { readonly kind: "empty" }
  | { readonly kind: "json"; readonly value: unknown }
  | { readonly kind: "hex" | "base64" | "binary"; readonly bytes: Uint8Array };

const HEX = /^(?:[0-9a-f]{2})+$/i;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Tells JSON text from hex, base64 or raw binary (MessagePack, a FlatBuffers frame). */
export function detectPayload(input: Uint8Array): Payload {
  let text: string;
  try {
    text = decoder.decode(input).trim();
  } catch {
    return { kind: "binary", bytes: input };
  }
  if (text === "") return { kind: "empty" };
  if (/^[[{"]/.test(text)) {
    try {
      return { kind: "json", value: JSON.parse(text) };
    } catch {
      // not JSON after all: fall through to the byte encodings
    }
  }
  const compact = text.replace(/\s+/g, "");
  if (HEX.test(compact))
    return { kind: "hex", bytes: Uint8Array.from(compact.match(/../g) ?? [], (h) => Number.parseInt(h, 16)) };
  if (BASE64.test(compact) && compact.length % 4 !== 1) {
    const binary = atob(compact.replaceAll("-", "+").replaceAll("_", "/"));
    return { kind: "base64", bytes: Uint8Array.from(binary, (c) => c.charCodeAt(0)) };
  }
  return { kind: "binary", bytes: input };
}
