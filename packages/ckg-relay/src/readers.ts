// What is peculiar to CKG Relay's wire: one message shape, read over the
// WebSocket and over HTTP. Everything else (caps, status fallback,
// classification) is core's.

import { retryHintFromSeconds } from "@wirefault/core";
import type { Reader } from "@wirefault/core/protocol";
import { check, field, NUMBER, pick, TEXT } from "@wirefault/core/protocol";

const CODE = check<string | number>((value) => typeof value === "string" || NUMBER.safeParse(value).success);

/**
 * A relay error message, `{"type":"error",code,message,event_id?}`, or an HTTP
 * body without `type`. The public client puts the text in `error`, and some
 * servers nest an object there with its own `code` and `message`. A message
 * of another `type` (an event, a reply) is not an error.
 */
const readMessage: Reader = (value) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const type = field(value, "type");
  if (type !== undefined && type !== "error")
    return `not an error message (type ${typeof type === "string" ? type.slice(0, 32) : typeof type})`;
  const error = field(value, "error");
  const message = pick(TEXT, value, "message") ?? (typeof error === "string" ? error : pick(TEXT, error, "message"));
  const id = pick(CODE, value, "event_id");
  return {
    surface: "relay",
    code: pick(CODE, value, "code") ?? pick(CODE, error, "code"),
    message,
    // Seconds, by core's hint rule: too large is clamped, not dropped; not a non-negative number is no hint.
    retryAfterMs: retryHintFromSeconds(field(value, "retry_after")),
    details: { eventId: id === undefined ? undefined : String(id) },
  };
};

/** CKG Relay's readers, in the order they are tried. */
export const readers: readonly Reader[] = [readMessage];
