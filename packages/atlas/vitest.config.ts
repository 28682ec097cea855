import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "atlas", setupFiles: ["@wirefault/test-utils/fast-check-seed"] } });
