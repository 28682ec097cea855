import { preset } from "@wirefault/tsup-config";
import { defineConfig } from "tsup";

// ESM only: the demo runs it with plain Node; nothing here is published.
export default defineConfig({ ...preset(), format: ["esm"], platform: "node" });
