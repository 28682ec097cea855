import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "ckg-relay", setupFiles: ["@wirefault/test-utils/fast-check-seed"] } });
