import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "telemetry-server", setupFiles: ["@wirefault/test-utils/fast-check-seed"] },
});
