// Protocol-agnostic fast-check arbitraries for the fuzz suite: JSON-ish trees
// built from a protocol's own vocabulary, the forms a parser can be handed
// (object, JSON text, UTF-8 bytes, ArrayBuffer), prototype-pollution payloads,
// hostile objects (throwing getters, proxies, exotic leaves) and byte mutations.
import fc from "fast-check";

/** The words of one protocol, so that generated values reach deep parser paths. */
export interface Vocabulary {
  /** Field names the protocol uses anywhere (top level or nested). */
  readonly keys: readonly string[];
  /** Codes: the catalog's, aliases, near misses. */
  readonly codes: readonly (string | number)[];
  /** Other strings the parser looks at: types, message templates. */
  readonly strings: readonly string[];
}

/** The marker every pollution payload tries to plant on `Object.prototype`. */
export const POLLUTION_KEY = "polluted";

/**
 * A hostile input, built on demand. fast-check inspects every generated
 * value (`cloneMethod in value`) and prints counterexamples, which proxies
 * and throwing getters would break; so arbitraries yield this recipe and the
 * harness builds the value afresh for each attempt, outside fast-check.
 */
export class Lazy {
  constructor(
    readonly build: () => unknown,
    readonly label: string,
  ) {}

  [fc.toStringMethod](): string {
    return `Lazy(${this.label})`;
  }
}

/** The value itself, or a Lazy input built. */
export const resolve = (value: unknown): unknown => (value instanceof Lazy ? value.build() : value);

/** `resolve` for a generated tuple: Lazy elements of a top-level array are built too. */
export const resolveTuple = (value: unknown): unknown =>
  Array.isArray(value) && value.some((v) => v instanceof Lazy) ? value.map(resolve) : resolve(value);

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** An ArrayBuffer holding exactly the bytes given. */
export const arrayBufferOf = (bytes: Uint8Array): ArrayBuffer => {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
};

const bigintsAsText = (_key: string, value: unknown): unknown => (typeof value === "bigint" ? `${value}` : value);

/** JSON text of a value; never throws (bigints become decimal strings, anything unserializable `null`). */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, bigintsAsText) ?? "null";
  } catch {
    return "null";
  }
}

/** Numbers at the edges of what the protocols accept: u32, safe integers, -0, NaN, infinities. */
export const edgeNumber: fc.Arbitrary<number> = fc.constantFrom(
  0,
  -0,
  -1,
  1,
  0.5,
  1.5,
  1000,
  1006,
  4001,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
);

/** A JSON-safe leaf drawn mostly from the protocol's vocabulary. */
export function leaf(vocab: Vocabulary): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...vocab.codes) },
    { weight: 3, arbitrary: fc.constantFrom(...vocab.strings) },
    { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
    { weight: 2, arbitrary: edgeNumber },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/** A JSON-safe tree whose keys are the protocol's field names (and a few strangers). */
export function tree(vocab: Vocabulary): fc.Arbitrary<unknown> {
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...vocab.keys) },
    { weight: 1, arbitrary: fc.constantFrom("constructor", "prototype", "toString", "valueOf", "hasOwnProperty") },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  const leaves = leaf(vocab);
  const { node } = fc.letrec<{ node: unknown; obj: Record<string, unknown>; arr: unknown[] }>((tie) => ({
    node: fc.oneof({ depthSize: "small", maxDepth: 4 }, leaves, tie("obj"), tie("arr")),
    obj: fc.dictionary(key, tie("node"), { maxKeys: 5 }),
    arr: fc.array(tie("node"), { maxLength: 4 }),
  }));
  return node;
}

/** Mostly `good`, sometimes any leaf or subtree: a field that may have the wrong type. */
export function slot<T>(good: fc.Arbitrary<T>, vocab: Vocabulary): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: good },
    { weight: 1, arbitrary: leaf(vocab) },
    { weight: 1, arbitrary: tree(vocab) },
  );
}

// ---------------------------------------------------------------------------
// Structural helpers over JSON-ish values

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A deep copy of a JSON value; own `__proto__` keys survive (JSON.parse defines them as data). */
export const cloneJson = (value: unknown): unknown => JSON.parse(jsonText(value));

/** One transformation of an object node: the node number `pick` (modulo the node count) becomes `fn(node)`. */
export interface NodeStep {
  readonly pick: number;
  readonly fn: (node: Record<string, unknown>) => unknown;
}

/**
 * Copies `value` and applies each step to one of its object nodes (numbered
 * depth-first, the root first). A value with no object node is wrapped in one
 * first, so every step lands. Nodes are collected once, before any step, so
 * a step may turn a node into a proxy without hiding the others.
 */
export function transformNodes(value: unknown, steps: readonly NodeStep[]): unknown {
  const copy = cloneJson(value);
  const root: unknown = isRecord(copy) || Array.isArray(copy) ? copy : { value: copy };
  const slots: { node: Record<string, unknown>; set: (v: unknown) => void }[] = [];
  let top: unknown = root;
  const walk = (node: unknown, set: (v: unknown) => void): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, (v) => {
          node[i] = v;
        });
      });
    } else if (isRecord(node)) {
      slots.push({ node, set });
      for (const key of Object.keys(node))
        walk(node[key], (v) => {
          Object.defineProperty(node, key, { value: v, enumerable: true, writable: true, configurable: true });
        });
    }
  };
  walk(root, (v) => {
    top = v;
  });
  if (slots.length === 0) {
    // An empty array: the first step applies to a fresh object holding it.
    const [first] = steps;
    return first ? first.fn({ value: root }) : root;
  }
  // Deepest nodes first (a child's number is above its parent's), so that a
  // parent frozen or wrapped in a proxy never blocks the step on its child.
  const chosen = new Map<number, NodeStep>();
  for (const step of steps) if (!chosen.has(step.pick % slots.length)) chosen.set(step.pick % slots.length, step);
  for (const [index, step] of [...chosen].sort((a, b) => b[0] - a[0])) {
    const slot = slots[index]!;
    slot.set(step.fn(slot.node));
  }
  return top;
}

// ---------------------------------------------------------------------------
// Prototype pollution

/** How a pollution payload is attached to an object node. */
export type PollutionKind = "__proto__" | "constructor" | "prototype" | "double";

/** A payload that would pollute `Object.prototype` if a parser merged it naively. */
export function pollutionPayload(vocab: Vocabulary): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        code: fc.constantFrom(...vocab.codes),
        message: fc.constantFrom("from the prototype", ...vocab.strings),
        type: fc.constantFrom("error", "zone.error"),
        toString: fc.constantFrom("not a function", 1),
        isAdmin: fc.constant(true),
      },
      { requiredKeys: [] },
    )
    .map((extra) => ({ [POLLUTION_KEY]: 1, ...extra }));
}

function attach(node: Record<string, unknown>, kind: PollutionKind, payload: Record<string, unknown>): void {
  const define = (target: Record<string, unknown>, key: string, value: unknown) =>
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  if (kind === "__proto__") define(node, "__proto__", payload);
  else if (kind === "constructor") define(node, "constructor", { prototype: payload });
  else if (kind === "prototype") define(node, "prototype", payload);
  else {
    const inner = {};
    define(inner, "__proto__", payload);
    define(node, "__proto__", inner);
    const ctor = { prototype: { ...payload } };
    define(ctor, "__proto__", payload);
    define(node, "constructor", ctor);
  }
}

/**
 * JSON text of `value` with pollution payloads planted on the object nodes
 * `picks` names: `{"__proto__":{"polluted":1}}`, `{"constructor":{"prototype":{...}}}`.
 */
export function pollutedText(
  value: unknown,
  kind: PollutionKind,
  payload: Record<string, unknown>,
  picks: readonly number[],
): string {
  const steps = (picks.length === 0 ? [0] : picks).map((pick) => ({
    pick,
    fn: (node: Record<string, unknown>) => {
      attach(node, kind, payload);
      return node;
    },
  }));
  return jsonText(transformNodes(value, steps));
}

/** Pollution attempts in text and decoded form, built on protocol-shaped values. */
export function pollutionInputs(value: fc.Arbitrary<unknown>, vocab: Vocabulary): fc.Arbitrary<unknown> {
  const text = fc
    .tuple(
      value,
      fc.constantFrom<PollutionKind>("__proto__", "constructor", "prototype", "double"),
      pollutionPayload(vocab),
      fc.array(fc.nat(), { maxLength: 3 }),
    )
    .map(([v, kind, payload, picks]) => pollutedText(v, kind, payload, picks));
  return fc.oneof(
    text,
    text.map((t) => JSON.parse(t) as unknown),
    text.map(utf8),
  );
}

// ---------------------------------------------------------------------------
// Hostile objects

const boom = (): never => {
  throw new Error("hostile input: trap or getter called");
};

/** A proxy whose every trap throws. */
export const throwingProxy = (target: object = {}): object =>
  new Proxy(target, {
    get: boom,
    has: boom,
    ownKeys: boom,
    getOwnPropertyDescriptor: boom,
    getPrototypeOf: boom,
    defineProperty: boom,
    set: boom,
    deleteProperty: boom,
    isExtensible: boom,
    preventExtensions: boom,
    setPrototypeOf: boom,
    apply: boom,
    construct: boom,
  });

/** A revoked proxy: any operation on it throws a TypeError. */
export const revokedProxy = (target: object = {}): object => {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
};

/** A proxy that claims to have every key and answers each with `answer`, breaking proxy invariants as it goes. */
export const lyingProxy = (keys: readonly string[], answer: unknown): object =>
  new Proxy(Object.preventExtensions({}), {
    ownKeys: () => [...keys],
    has: () => true,
    get: () => answer,
    getOwnPropertyDescriptor: () => ({ value: answer, enumerable: true, configurable: true, writable: true }),
  });

/** Kinds of values no wire decoder produces. */
export type ExoticKind =
  | "bigint"
  | "symbol"
  | "function"
  | "date"
  | "invalid-date"
  | "map"
  | "set"
  | "typed-array"
  | "throwing-toString"
  | "throwing-toPrimitive"
  | "throwing-proxy"
  | "revoked-proxy"
  | "null-prototype"
  | "boxed-string"
  | "deep-array"
  | "weakref";

export const exoticKind: fc.Arbitrary<ExoticKind> = fc.constantFrom<ExoticKind>(
  "bigint",
  "symbol",
  "function",
  "date",
  "invalid-date",
  "map",
  "set",
  "typed-array",
  "throwing-toString",
  "throwing-toPrimitive",
  "throwing-proxy",
  "revoked-proxy",
  "null-prototype",
  "boxed-string",
  "deep-array",
  "weakref",
);

/** Builds a value of an exotic kind, for the slots of decoded objects. */
export function makeExotic(kind: ExoticKind): unknown {
  switch (kind) {
    case "bigint":
      return 2n ** 64n + 1n;
    case "symbol":
      return Symbol("code");
    case "function":
      return () => "AGENT_OFFLINE";
    case "date":
      return new Date(0);
    case "invalid-date":
      return new Date(Number.NaN);
    case "map":
      return new Map([["code", "AGENT_OFFLINE"]]);
    case "set":
      return new Set(["code"]);
    case "typed-array":
      return new Float64Array([4001, Number.NaN]);
    case "throwing-toString":
      return { toString: boom, valueOf: boom };
    case "throwing-toPrimitive":
      return { [Symbol.toPrimitive]: boom };
    case "throwing-proxy":
      return throwingProxy();
    case "revoked-proxy":
      return revokedProxy();
    case "null-prototype":
      return Object.assign(Object.create(null) as object, { code: 1, message: "no prototype" });
    case "boxed-string":
      return Object("AGENT_OFFLINE");
    case "deep-array": {
      let deep: unknown = [];
      for (let i = 0; i < 2000; i++) deep = [deep];
      return deep;
    }
    default:
      return new WeakRef({});
  }
}

/** Exotic values as whole inputs or contexts, built lazily. */
export const exoticValue: fc.Arbitrary<Lazy> = exoticKind.map((kind) => new Lazy(() => makeExotic(kind), kind));

/** Ways of making an object node hostile. */
export type HostileKind =
  | "throwing-getter"
  | "flip-flop-getter"
  | "throwing-proxy"
  | "revoked-proxy"
  | "lying-proxy"
  | "null-prototype"
  | "inherited-fields"
  | "error-instance"
  | "array-with-fields"
  | "frozen"
  | "throwing-toJSON"
  | "exotic-field";

const HOSTILE_KINDS: readonly HostileKind[] = [
  "throwing-getter",
  "flip-flop-getter",
  "throwing-proxy",
  "revoked-proxy",
  "lying-proxy",
  "null-prototype",
  "inherited-fields",
  "error-instance",
  "array-with-fields",
  "frozen",
  "throwing-toJSON",
  "exotic-field",
];

/** Makes one object node hostile in the way `kind` says; `key` is the field attacked, `other` a second value. */
export function makeHostile(
  node: Record<string, unknown>,
  kind: HostileKind,
  key: string,
  answer: unknown,
  keys: readonly string[],
): unknown {
  switch (kind) {
    case "throwing-getter":
      Object.defineProperty(node, key, { get: boom, enumerable: true, configurable: true });
      return node;
    case "flip-flop-getter": {
      // Checked once, then read again: a parser that reads twice sees another type.
      let calls = 0;
      const first = node[key];
      Object.defineProperty(node, key, {
        get: () => (calls++ % 2 === 0 ? first : answer),
        enumerable: true,
        configurable: true,
      });
      return node;
    }
    case "throwing-proxy":
      return throwingProxy(node);
    case "revoked-proxy":
      return revokedProxy(node);
    case "lying-proxy":
      return lyingProxy(keys, answer);
    case "null-prototype":
      return Object.assign(Object.create(null) as object, node);
    case "inherited-fields":
      return Object.create(node) as object;
    case "error-instance":
      return Object.assign(new Error(typeof answer === "string" ? answer : "hostile"), node);
    case "array-with-fields":
      return Object.assign([], node);
    case "frozen":
      return Object.freeze(node);
    case "throwing-toJSON":
      Object.defineProperty(node, "toJSON", { value: boom, enumerable: false, configurable: true });
      return node;
    default:
      Object.defineProperty(node, key, { value: answer, enumerable: true, writable: true, configurable: true });
      return node;
  }
}

/** Protocol-shaped values with one or two nodes made hostile. */
export function hostileInputs(value: fc.Arbitrary<unknown>, vocab: Vocabulary): fc.Arbitrary<unknown> {
  const step = fc.record({
    kind: fc.constantFrom(...HOSTILE_KINDS),
    key: fc.constantFrom(...vocab.keys),
    answer: fc.oneof(
      leaf(vocab).map((v) => ({ leaf: v })),
      exoticKind.map((k) => ({ exotic: k })),
    ),
    pick: fc.nat(),
  });
  return fc.tuple(value, fc.array(step, { minLength: 1, maxLength: 2 })).map(
    ([v, steps]) =>
      new Lazy(
        () =>
          transformNodes(
            v,
            steps.map(({ kind, key, answer, pick }) => ({
              pick,
              fn: (node: Record<string, unknown>) =>
                makeHostile(node, kind, key, "exotic" in answer ? makeExotic(answer.exotic) : answer.leaf, vocab.keys),
            })),
          ),
        `${steps.map((s) => `${s.kind} on ${s.key} at node ${s.pick}, answer ${jsonText(s.answer)}`).join("; ")} of ${jsonText(v)}`,
      ),
  );
}

// ---------------------------------------------------------------------------
// Byte and text mutations

/** One edit of a byte string; positions are taken modulo the length. */
export type Mutation =
  | { readonly op: "set"; readonly at: number; readonly value: number }
  | { readonly op: "flip"; readonly at: number; readonly bit: number }
  | { readonly op: "insert"; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: "delete"; readonly at: number; readonly length: number }
  | { readonly op: "truncate"; readonly at: number }
  | { readonly op: "duplicate"; readonly at: number; readonly length: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

/** Applies the mutations in order to a copy of `bytes`. */
export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    const n = out.length;
    const at = n === 0 ? 0 : m.at % (n + (m.op === "insert" ? 1 : 0));
    switch (m.op) {
      case "set":
        if (n > 0) out[at] = m.value;
        break;
      case "flip":
        if (n > 0) out[at] = (out[at] ?? 0) ^ (1 << m.bit);
        break;
      case "insert": {
        const next = new Uint8Array(n + m.bytes.length);
        next.set(out.subarray(0, at));
        next.set(m.bytes, at);
        next.set(out.subarray(at), at + m.bytes.length);
        out = next;
        break;
      }
      case "delete": {
        const next = new Uint8Array(Math.max(0, n - Math.min(m.length, n - at)));
        next.set(out.subarray(0, at));
        next.set(out.subarray(Math.min(n, at + m.length)), at);
        out = next;
        break;
      }
      case "truncate":
        out = out.slice(0, at);
        break;
      default: {
        const piece = out.slice(at, at + m.length);
        const next = new Uint8Array(n + piece.length);
        next.set(out.subarray(0, at + piece.length));
        next.set(piece, at + piece.length);
        next.set(out.subarray(at + piece.length), at + 2 * piece.length);
        out = next;
      }
    }
  }
  return out;
}

const decoder = new TextDecoder();

/** Byte-mutated JSON text of protocol values, as text and as bytes. */
export function mutatedJsonInputs(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const bytes = fc
    .tuple(value, fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([v, ms]) => mutate(utf8(jsonText(v)), ms));
  return fc.oneof(
    bytes,
    bytes.map((b) => decoder.decode(b)),
  );
}

/** Long repetitions of fragments that stress scanners and regular expressions. */
export function repeatedInputs(fragments: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(
        "[",
        '{"a":',
        '{"error":',
        "\\u0000",
        " ",
        "\t\n",
        '"',
        "\\",
        "Bearer ",
        "Bearer\t",
        "sk-",
        "?token=",
        "&api_key=",
        "\u00a0",
        "\ud800",
        "🙂",
        ...fragments,
      ),
      fc.integer({ min: 1, max: 20_000 }),
      fc.string({ maxLength: 8 }),
    )
    .map(([fragment, count, tail]) => fragment.repeat(count) + tail);
}

/** Input that owes nothing to the protocol. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.json({ maxDepth: 3 }),
  fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  exoticValue,
);

/**
 * Every form a parser takes, built from protocol-shaped values: decoded
 * objects, JSON text, UTF-8 bytes, ArrayBuffers, pollution payloads, hostile
 * objects, byte-mutated JSON, long repetitions and plain junk.
 */
export function parserInputs(value: fc.Arbitrary<unknown>, vocab: Vocabulary): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: value },
    { weight: 3, arbitrary: value.map(jsonText) },
    { weight: 2, arbitrary: value.map((v) => utf8(jsonText(v))) },
    { weight: 1, arbitrary: value.map((v) => arrayBufferOf(utf8(jsonText(v)))) },
    { weight: 3, arbitrary: pollutionInputs(value, vocab) },
    { weight: 3, arbitrary: hostileInputs(value, vocab) },
    { weight: 2, arbitrary: mutatedJsonInputs(value) },
    { weight: 1, arbitrary: repeatedInputs([...vocab.strings.slice(0, 6)]) },
    { weight: 1, arbitrary: junk },
  );
}

/** A parser's optional context: mostly well-formed, sometimes hostile. */
export const parseContext: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        status: fc.oneof(fc.integer({ min: 100, max: 599 }), edgeNumber),
        retryAfterMs: fc.oneof(fc.nat(), edgeNumber),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.oneof(exoticValue, fc.anything({ maxDepth: 1 })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new Lazy(() => throwingProxy(), "throwing proxy"),
      new Lazy(() => revokedProxy(), "revoked proxy"),
      new Lazy(() => lyingProxy(["status", "retryAfterMs"], 503), "lying proxy"),
    ),
  },
);
