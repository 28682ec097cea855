import { preset } from "@wirefault/tsup-config";
import { defineConfig } from "tsup";

// `schemas` is its own entry: the only one that imports zod (an optional peer, never bundled).
export default defineConfig(preset({ entry: ["src/index.ts", "src/schemas.ts"] }));
