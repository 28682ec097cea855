import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "core", setupFiles: ["@wirefault/test-utils/fast-check-seed"] } });
