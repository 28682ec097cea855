// Values built to break naive property access, for never-throw tests.

/** A Proxy whose every trap throws: the most hostile object a parser can be handed. */
export function trapProxy(): object {
  return new Proxy(
    {},
    new Proxy(
      {},
      {
        get: () => () => {
          throw new Error("trap");
        },
      },
    ),
  );
}

/** An object whose getters for `keys` throw. */
export function throwingGetters(keys: readonly string[] = ["name", "code", "message", "cause", "retryable"]): object {
  const value = {};
  for (const key of keys) {
    Object.defineProperty(value, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key}`);
      },
    });
  }
  return value;
}

/** A revoked Proxy: every operation on it throws. */
export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An error-like object whose `cause` chain loops back on itself. */
export function cyclicCause(): object {
  const a: { name: string; cause?: unknown } = { name: "Error" };
  a.cause = { name: "Error", cause: a };
  return a;
}
