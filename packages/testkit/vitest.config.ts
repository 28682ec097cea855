import { defineProject } from "vitest/config";

// Run by `npm run test:reliability`, not by `npm test`: FUZZ_RUNS scales the fuzz suite.
export default defineProject({
  test: {
    name: "reliability",
    setupFiles: ["@wirefault/test-utils/fast-check-seed"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
