import type { Options } from "tsup";
/** The shared tsup preset: ESM + CJS with per-format declarations. */
export declare function preset(options?: { entry?: string[] | Record<string, string> }): Options;
