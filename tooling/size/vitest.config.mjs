import { defineProject } from "vitest/config";

// The timeout only detects a hang; no test here may fail for being slow on a loaded machine.
export default defineProject({ test: { name: "size", testTimeout: 120_000 } });
