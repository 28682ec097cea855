import { defineProject } from "vitest/config";

// The timeout only detects a hang: no test here may fail for being slow; the suite's own check runs
// Vitest on its fixtures, which takes seconds on a loaded machine.
export default defineProject({ test: { name: "test-utils", include: ["src/**/*.test.ts"], testTimeout: 300_000 } });
