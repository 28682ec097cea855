import { defineProject } from "vitest/config";

// The timeout only detects a hang: a property test can take seconds on a loaded
// 2-core machine, and no test here may fail for being slow.
export default defineProject({
  test: { name: "cli", setupFiles: ["@wirefault/test-utils/fast-check-seed"], testTimeout: 60_000 },
});
