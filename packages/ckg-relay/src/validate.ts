import { field, utf8Length } from "@wirefault/core/protocol";
import { MAX_EVENT_BYTES } from "./catalog.js";
import { CkgRelayError } from "./error.js";
import { protocol } from "./protocol.js";

/** An event as the page sends it; real clients add `event_id`, `app_id`, `session_key`. */
export interface CkgRelayEvent {
  type?: "event";
  agent_id: string;
  thread_id: string;
  payload: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Checks an event before it is sent and returns its JSON, ready for
 * `ws.send()`, with `"type":"event"` first when the event has no `type`. Throws a {@link CkgRelayError}: INVALID_MESSAGE naming the
 * field at fault (a missing id, a payload that is not a plain object, a
 * BigInt, a Map, a cycle), or PAYLOAD_TOO_LARGE saying by how many bytes the
 * JSON is over 65,536.
 */
export function validateEvent(event: unknown): string {
  if (!isPlainObject(event)) throw invalid("event must be a plain object", event);
  const type = field(event, "type");
  if (type !== undefined && type !== "event") throw invalid('event.type must be "event" when present', event);
  for (const key of ["agent_id", "thread_id"]) {
    const value = field(event, key);
    if (typeof value !== "string" || value.trim() === "") throw invalid(`${key} must be a non-empty string`, event);
  }
  if (!isPlainObject(field(event, "payload"))) throw invalid("payload must be a plain object", event);
  // The relay reads `type` to route a message: an event without it is not an event.
  const json = serialize(type === undefined ? { type: "event", ...event } : event);
  const size = utf8Length(json);
  if (size > MAX_EVENT_BYTES)
    throw failure(
      "PAYLOAD_TOO_LARGE",
      `event is ${size} bytes of UTF-8 JSON, ${size - MAX_EVENT_BYTES} over the ${MAX_EVENT_BYTES}-byte limit`,
      event,
    );
  return json;
}

// Another realm's Object.prototype is not ours, but its own prototype is null too.
function isPlainObject(value: unknown): value is object {
  try {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === null || Object.getPrototypeOf(proto) === null;
  } catch {
    return false;
  }
}

/** JSON.stringify that names the path of anything JSON would mangle or choke on. */
function serialize(event: object): string {
  // The holders being serialised, innermost last, with their paths: enough to
  // name where a bad value sits and to tell a cycle from a shared reference.
  const holders: unknown[] = [];
  const paths: string[] = [];
  try {
    return JSON.stringify(event, function (this: unknown, key: string, value: unknown) {
      if (holders.length === 0) {
        holders.push(this);
        paths.push("");
      }
      while (holders.length > 1 && holders[holders.length - 1] !== this) {
        holders.pop();
        paths.pop();
      }
      const parent = paths[paths.length - 1] ?? "";
      const name = key.length > 64 ? `${key.slice(0, 64)}…` : key;
      const path = key === "" ? "event" : Array.isArray(this) ? `${parent}[${name}]` : `${parent}.${name}`;
      const kind = typeof value;
      if (kind === "bigint" || kind === "function" || kind === "symbol")
        throw invalid(`${path} is a ${kind === "bigint" ? "BigInt" : kind}, which JSON cannot carry`, event);
      if (typeof value === "object" && value !== null) {
        if (holders.includes(value)) throw invalid(`${path} refers back to an enclosing object (a cycle)`, event);
        if (!Array.isArray(value) && !isPlainObject(value))
          throw invalid(`${path} is a ${describe(value)}, not a plain object or array`, event);
        holders.push(value);
        paths.push(path);
      }
      return value;
    });
  } catch (cause) {
    if (cause instanceof CkgRelayError) throw cause;
    throw invalid("event cannot be serialized to JSON", event, cause);
  }
}

function describe(value: object): string {
  try {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return typeof name === "string" && name ? name.slice(0, 64) : "non-plain object";
  } catch {
    return "non-plain object";
  }
}

const invalid = (message: string, event: unknown, cause?: unknown) => failure("INVALID_MESSAGE", message, event, cause);

function failure(code: "INVALID_MESSAGE" | "PAYLOAD_TOO_LARGE", message: string, event: unknown, cause?: unknown) {
  const eventId = field(event, "event_id");
  return new CkgRelayError({
    ...protocol.index.classify(code, "relay"),
    code,
    message,
    raw: event,
    cause,
    eventId: typeof eventId === "string" ? eventId : undefined,
  });
}
