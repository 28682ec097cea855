import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "teale-relay", setupFiles: ["@wirefault/test-utils/fast-check-seed"] } });
