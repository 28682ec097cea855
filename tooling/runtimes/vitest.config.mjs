import { defineConfig } from "vitest/config";

// Not a turbo `test` task: `npm run test:runtimes` runs it on its own.
export default defineConfig({ test: { name: "runtimes", include: ["runtimes.test.mjs"], fileParallelism: false } });
