import { defineProject } from "vitest/config";

// Compiling every block takes one tsc pass per resolution mode; running the
// complete ones starts a node process each: both need more than the default 5 s.
export default defineProject({ test: { name: "readme", testTimeout: 120_000, hookTimeout: 120_000 } });
