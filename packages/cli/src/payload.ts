import { decodeInput } from "@wirefault/core/protocol";

/** A captured payload, as far as its bytes tell. */
export type Payload =
  | { readonly kind: "empty" }
  | { readonly kind: "json"; readonly value: unknown }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "hex" | "base64"; readonly text: string; readonly bytes: Uint8Array }
  | { readonly kind: "binary"; readonly bytes: Uint8Array };

const decoder = new TextDecoder("utf-8", { fatal: true });
// Text never holds C0 controls other than tab and line breaks; a frame's length prefix almost always does.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const HEX_TOKEN = /^(?:[0-9a-f]{2})+$/i;
const BASE64_LINE = /^[A-Za-z0-9+/_-]+$/;
const BASE64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// `xxd -p` and hand-typed dumps: whitespace only between whole bytes. A digit is
// required, so that words spelled in a-f ("cafe", "deadbeef") stay text.
function hex(text: string): Uint8Array | undefined {
  const tokens = text.split(/\s+/);
  if (!/[0-9]/.test(text) || !tokens.every((token) => HEX_TOKEN.test(token))) return undefined;
  const compact = tokens.join("");
  const bytes = new Uint8Array(compact.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(compact.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

// Standard or URL-safe base64, wrapped in lines (as `base64` prints it) but
// never split by spaces, padded correctly and canonical: an encoder leaves the
// unused low bits of the last digit zero, which most words do not. Decoded by
// hand, because atob throws on input it dislikes and this must not throw.
function base64(text: string): Uint8Array | undefined {
  const lines = text.split(/\r?\n/);
  const last = lines.length - 1;
  const body: string[] = [];
  let padding = 0;
  for (const [i, line] of lines.entries()) {
    const unpadded = i === last ? line.replace(/={1,2}$/, "") : line;
    if (!BASE64_LINE.test(unpadded)) return undefined;
    padding = line.length - unpadded.length;
    body.push(unpadded);
  }
  const digits = body.join("").replaceAll("-", "+").replaceAll("_", "/");
  const rest = digits.length % 4;
  if (rest === 1 || (padding > 0 && rest + padding !== 4)) return undefined;
  const bytes = new Uint8Array(Math.floor((digits.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let at = 0;
  for (const digit of digits) {
    buffer = (buffer << 6) | BASE64_DIGITS.indexOf(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (buffer >> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  return buffer === 0 ? bytes : undefined;
}

/**
 * The bytes a text spells if it is well-formed hex or base64, by syntax
 * alone: a word like "cafe" is both text and base64. Never throws.
 */
export function decodeText(text: string): { kind: "hex" | "base64"; bytes: Uint8Array } | undefined {
  const hexBytes = hex(text);
  if (hexBytes) return { kind: "hex", bytes: hexBytes };
  const base64Bytes = base64(text);
  return base64Bytes && base64Bytes.length > 0 ? { kind: "base64", bytes: base64Bytes } : undefined;
}

// Letters of one case only: a word or an acronym far more often than base64,
// which mixes cases and digits in all but the shortest inputs.
const WORD = /^(?:[a-z]+|[A-Z]+)$/;

/**
 * Tells JSON from hex, base64, raw binary (MessagePack, a Tryll frame) and
 * plain text (an HTML error page, a proxy's message). Hex and base64 are
 * only what is well-formed as such and not a plain word; the caller still
 * decides whether the decoded bytes mean anything. JSON is parsed only up to
 * `maxJsonBytes`, and only when it nests at most core's `MAX_DEPTH` levels (a
 * parse of hostile nesting costs far more than a read); anything else stays
 * text. Never throws.
 */
export function detectPayload(input: Uint8Array, maxJsonBytes = Number.POSITIVE_INFINITY): Payload {
  let text: string;
  try {
    text = decoder.decode(input).trim();
  } catch {
    return { kind: "binary", bytes: input };
  }
  if (text === "") return { kind: "empty" };
  if (CONTROL.test(text)) return { kind: "binary", bytes: input };
  if (/^[[{"]/.test(text) && input.byteLength <= maxJsonBytes) {
    // Read as every protocol reads JSON: nesting past core's MAX_DEPTH is refused by a linear
    // scan first, where JSON.parse of 15 MiB of "[" took a second. Not JSON (cut off, a look-alike): text.
    const decoded = decodeInput(text, Number.POSITIVE_INFINITY);
    if (decoded.kind === "value") return { kind: "json", value: decoded.value };
  }
  const decoded = WORD.test(text) ? undefined : decodeText(text);
  return decoded ? { ...decoded, text } : { kind: "text", text };
}
