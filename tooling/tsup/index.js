// One preset so every package builds the same way: ESM + CJS, each with its
// own declarations (.d.ts / .d.cts), no minification (consumers' bundlers do it).
//
// zod/mini is bundled, tree-shaken to the parts a package uses: importing zod
// itself costs ~1.9x a bare Node start (its module graph), the used parts
// ~1.2x. See BENCHMARKS.md, cold start. Its MIT notice ships in LICENSE.
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
    noExternal: ["zod"],
  };
}
