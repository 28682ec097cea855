import { defineProject } from "vitest/config";

// The timeout only detects a hang: no test here may fail for being slow.
export default defineProject({ test: { name: "test-utils", testTimeout: 60_000 } });
