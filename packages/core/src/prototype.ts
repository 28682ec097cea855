// What a class sets on its own prototype, from a static field a bundler can drop with an unused class.

/** What {@link setPrototype} puts on a prototype: non-enumerable, so no instance shows it as a field. */
export interface PrototypeFacts {
  /** The class's name, kept through minification. */
  readonly name: string;
  /** Other keys (a brand, the inspect hook), each with its descriptor. */
  readonly define?: readonly (readonly [key: symbol, descriptor: PropertyDescriptor])[];
}

/**
 * Sets `facts` on `target.prototype` and returns the name. A class calls it from
 * a static field marked `@__PURE__`: a static block, or a computed symbol key,
 * would keep the class (and all it uses) in every bundle that imports one of
 * its module's functions, as `retry` alone did.
 */
export function setPrototype(target: { prototype: object }, facts: PrototypeFacts): string {
  const prototype = target.prototype as { name?: string };
  prototype.name = facts.name;
  for (const [key, descriptor] of facts.define ?? []) Object.defineProperty(prototype, key, descriptor);
  return facts.name;
}
