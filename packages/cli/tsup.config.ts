import { preset } from "@wirefault/tsup-config";
import { defineConfig } from "tsup";

// shims: the CJS build gets import.meta.url, which the protocol discovery (protocols.ts) reads.
export default defineConfig({ ...preset({ entry: ["src/index.ts", "src/cli.ts"] }), platform: "node", shims: true });
