import { preset } from "@wirefault/tsup-config";
import { defineConfig } from "tsup";

export default defineConfig(preset({ entry: ["src/index.ts", "src/protocol.ts"] }));
