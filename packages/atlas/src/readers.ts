// What is peculiar to Atlas's wire: its two payload shapes, a `zone.error`
// message and a wire `ErrorMessage`. Everything else (caps, classification,
// local errors) is core's.

import type { Reader } from "@wirefault/core/protocol";
import { field, NUMBER, pick, TEXT } from "@wirefault/core/protocol";
import { isU32 } from "./wire.js";

/**
 * An optional text field of either shape: absent or nil (a Rust-style encoder
 * writes a missing one as nil) is undefined; another type is `false`.
 */
function optionalText(value: unknown, key: string): string | undefined | false {
  const text = field(value, key) ?? undefined;
  return text === undefined || typeof text === "string" ? text : false;
}

const notText = (kind: string, key: string) => `${kind}: "${key}" must be a string when present`;

/**
 * An AtlasMessage body, which has a `type`: a `zone.error` message is a zone
 * error; any other type is a message that is not an error.
 */
const readZone: Reader = (value) => {
  const type = field(value, "type");
  if (type === undefined) return undefined;
  if (type !== "zone.error") {
    // Quoted, never JSON.stringify'd: its escapes (`\n` for a line break) would hide a
    // `Bearer\n<token>` from the masking; the raw text is masked and escaped as a message.
    const shown = typeof type === "string" ? `"${type.slice(0, 64)}"` : typeof type;
    return `not an Atlas error message: type ${shown}`;
  }
  const code = pick(TEXT, value, "code");
  if (code === undefined) return 'zone.error: "code" must be a string';
  const message = optionalText(value, "message");
  if (message === false) return notText("zone.error", "message");
  const requestId = optionalText(value, "request_id");
  if (requestId === false) return notText("zone.error", "request_id");
  // What the peer said is kept apart from what the catalog explains: `""` for a peer that sent nothing.
  return { surface: "zone", code, message, details: { wireMessage: message ?? "", requestId } };
};

const U32 = 'ErrorMessage: "code" must be a u32';

/** A wire `ErrorMessage`, `{ code: u32, message, ref_msg_id? }`: anything without a `type`. */
const readWire: Reader = (value) => {
  const code = pick(NUMBER, value, "code");
  if (code === undefined) return U32;
  // An absent message still leaves a code worth keeping; one of another type is not an Atlas error.
  const message = optionalText(value, "message");
  if (message === false) return notText("ErrorMessage", "message");
  if (!isU32(code)) return U32;
  const refMsgId = optionalText(value, "ref_msg_id");
  if (refMsgId === false) return notText("ErrorMessage", "ref_msg_id");
  return { surface: "wire", code, message, details: { wireMessage: message ?? "", refMsgId } };
};

/** Atlas's readers, in the order they are tried. */
export const readers: readonly Reader[] = [readZone, readWire];
