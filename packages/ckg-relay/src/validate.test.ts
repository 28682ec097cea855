import { utf8Length } from "@wirefault/core/protocol";
import { describe, expect, it } from "vitest";
import { MAX_EVENT_BYTES } from "./catalog.js";
import { CkgRelayError } from "./error.js";
import { validateEvent } from "./validate.js";

const base = { type: "event", agent_id: "athena", thread_id: "thread-1", payload: { text: "" } };

// An event whose JSON is exactly `size` bytes of UTF-8: 4-, 3- and 2-byte characters, then ASCII.
function eventOfSize(size: number) {
  const room = size - utf8Length(JSON.stringify(base));
  const blocks = Math.floor(room / 9);
  return { ...base, payload: { text: "😀€é".repeat(blocks) + "x".repeat(room - 9 * blocks) } };
}

function failure(event: unknown): CkgRelayError {
  try {
    validateEvent(event);
  } catch (error) {
    expect(error).toBeInstanceOf(CkgRelayError);
    return error as CkgRelayError;
  }
  return expect.unreachable("validateEvent should have thrown");
}

describe("validateEvent: the 64 KB limit, in UTF-8 bytes", () => {
  it("accepts exactly 65,536 bytes", () => {
    const event = eventOfSize(65_536);
    const json = validateEvent(event);
    expect(json).toBe(JSON.stringify(event));
    expect(utf8Length(json)).toBe(MAX_EVENT_BYTES);
    expect(json.includes("😀€é")).toBe(true);
    expect(json.length).toBeLessThan(40_000);
  });

  it("refuses 65,537 bytes, saying by how many", () => {
    const event = eventOfSize(65_537);
    // Far fewer characters than bytes: counting characters would let it through.
    expect(JSON.stringify(event).length).toBeLessThan(40_000);
    const error = failure(event);
    expect(error).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      status: 413,
      retryable: "no",
      action: "fix-request",
      known: true,
      message: "event is 65537 bytes of UTF-8 JSON, 1 over the 65536-byte limit",
    });
    expect(error.raw).toBe(event);
  });

  it("counts the whole event, not only the payload", () => {
    const event = { ...eventOfSize(65_536), event_id: "evt_1" };
    expect(failure(event)).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      eventId: "evt_1",
      message: "event is 65555 bytes of UTF-8 JSON, 19 over the 65536-byte limit",
    });
  });
});

describe("validateEvent: fields", () => {
  it("returns the JSON of a valid event, extra fields kept", () => {
    const event = { ...base, event_id: "e", app_id: "app", session_key: "relay:app:thread-1", payload: { n: 1 } };
    expect(JSON.parse(validateEvent(event))).toEqual(event);
    expect(validateEvent({ agent_id: "a", thread_id: "t", payload: Object.create(null) })).toBe(
      '{"type":"event","agent_id":"a","thread_id":"t","payload":{}}',
    );
  });

  it('adds "type":"event" first when the event has no type, as the relay expects', () => {
    const { type: _type, ...untyped } = { ...base, event_id: "evt-1" };
    const json = validateEvent(untyped);
    expect(json.startsWith('{"type":"event",')).toBe(true);
    expect(JSON.parse(json)).toEqual({ ...base, event_id: "evt-1" });
    // Counted with the type it will be sent with: 15 more bytes than the event given.
    expect(utf8Length(json)).toBe(utf8Length(JSON.stringify(untyped)) + '"type":"event",'.length);
  });

  it.each([
    [{ ...base, agent_id: "" }, "agent_id must be a non-empty string"],
    [{ ...base, agent_id: "   " }, "agent_id must be a non-empty string"],
    [{ ...base, agent_id: null }, "agent_id must be a non-empty string"],
    [{ thread_id: "t", payload: {} }, "agent_id must be a non-empty string"],
    [{ ...base, thread_id: 7 }, "thread_id must be a non-empty string"],
    [{ ...base, thread_id: undefined }, "thread_id must be a non-empty string"],
    [{ ...base, payload: undefined }, "payload must be a plain object"],
    [{ ...base, payload: "text" }, "payload must be a plain object"],
    [{ ...base, payload: [1, 2] }, "payload must be a plain object"],
    [{ ...base, payload: new Map() }, "payload must be a plain object"],
    [{ ...base, payload: new Date(0) }, "payload must be a plain object"],
    [{ ...base, type: "reply" }, 'event.type must be "event" when present'],
    [null, "event must be a plain object"],
    ["{}", "event must be a plain object"],
    [[base], "event must be a plain object"],
  ])("%#: %j is INVALID_MESSAGE: %s", (event, message) => {
    expect(failure(event)).toMatchObject({
      code: "INVALID_MESSAGE",
      status: 400,
      retryable: "no",
      action: "fix-request",
      known: true,
      message,
    });
  });

  it("reads own fields only", () => {
    const event = Object.assign(Object.create({ agent_id: "a" }) as object, { thread_id: "t", payload: {} });
    expect(failure(event).message).toBe("event must be a plain object");
  });
});

describe("validateEvent: values JSON cannot carry", () => {
  it("a cyclic payload, naming where the cycle closes", () => {
    const payload: Record<string, unknown> = { a: [1, {}] };
    (payload.a as unknown[])[1] = { back: payload };
    expect(failure({ ...base, payload }).message).toBe(
      "event.payload.a[1].back refers back to an enclosing object (a cycle)",
    );
  });

  it("a shared, non-cyclic reference is fine", () => {
    const shared = { x: 1 };
    expect(JSON.parse(validateEvent({ ...base, payload: { a: shared, b: [shared, shared] } })).payload.b).toEqual([
      { x: 1 },
      { x: 1 },
    ]);
  });

  it("BigInt values", () => {
    expect(failure({ ...base, payload: { count: 10n } })).toMatchObject({
      code: "INVALID_MESSAGE",
      message: "event.payload.count is a BigInt, which JSON cannot carry",
    });
  });

  it("non-plain objects deep in the payload", () => {
    class Task {
      id = 1;
    }
    expect(failure({ ...base, payload: { items: [new Map()] } }).message).toBe(
      "event.payload.items[0] is a Map, not a plain object or array",
    );
    expect(failure({ ...base, payload: { task: new Task() } }).message).toBe(
      "event.payload.task is a Task, not a plain object or array",
    );
    expect(failure({ ...base, payload: { s: new Set([1]) } }).message).toBe(
      "event.payload.s is a Set, not a plain object or array",
    );
  });

  it("functions and symbols, which JSON would drop silently", () => {
    expect(failure({ ...base, payload: { f: () => 1 } }).message).toBe(
      "event.payload.f is a function, which JSON cannot carry",
    );
    expect(failure({ ...base, payload: { s: Symbol("x") } }).message).toBe(
      "event.payload.s is a symbol, which JSON cannot carry",
    );
  });

  it("values with toJSON, such as dates, are serialized as JSON does", () => {
    const json = validateEvent({ ...base, payload: { at: new Date(0), none: undefined } });
    expect(JSON.parse(json).payload).toEqual({ at: "1970-01-01T00:00:00.000Z" });
  });

  it("getters that throw and hostile proxies", () => {
    const payload = {
      get boom(): string {
        throw new Error("gotcha");
      },
    };
    const error = failure({ ...base, payload });
    expect(error).toMatchObject({ code: "INVALID_MESSAGE", message: "event cannot be serialized to JSON" });
    expect((error.cause as Error).message).toBe("gotcha");
    const trap = () => {
      throw new Error("trap");
    };
    const proxy = new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap });
    expect(failure(proxy).code).toBe("INVALID_MESSAGE");
    expect(failure({ ...base, payload: proxy }).message).toBe("payload must be a plain object");
  });

  it("keeps long keys out of the message", () => {
    const key = "k".repeat(1000);
    expect(failure({ ...base, payload: { [key]: 1n } }).message).toBe(
      `event.payload.${"k".repeat(64)}… is a BigInt, which JSON cannot carry`,
    );
  });
});
