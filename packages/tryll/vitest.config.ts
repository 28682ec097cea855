import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "tryll", setupFiles: ["@wirefault/test-utils/fast-check-seed"] } });
