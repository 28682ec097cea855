import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "cli", setupFiles: ["@wirefault/test-utils/fast-check-seed"] } });
