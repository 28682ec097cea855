// One preset so every package builds the same way: ESM + CJS, each with its
// own declarations (.d.ts / .d.cts), no minification (consumers' bundlers do it).
// No dependency is bundled: each is declared (core, and the codecs' runtimes),
// so that npm dedupes and audits it.
/** @param {{ entry?: string[] | Record<string, string> }} [options] */
export function preset(options = {}) {
  return {
    entry: options.entry ?? ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: false,
    treeshake: true,
    target: "es2022",
    platform: "neutral",
    splitting: true,
  };
}
