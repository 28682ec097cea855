import { beforeAll, describe, expect, it } from "vitest";
import { bundle, expectedSmoke, installRuntimes, runtimes } from "./runtimes.mjs";

const expected = expectedSmoke();

let smoke = "";
beforeAll(() => {
  try {
    installRuntimes();
    smoke = bundle();
  } catch (error) {
    // One line: which step failed, not npm's log.
    const detail =
      String(error.stderr || error.message)
        .trim()
        .split("\n")
        .find((line) => line.trim()) ?? "";
    throw new Error(`runtime matrix could not be set up: ${detail}`);
  }
}, 180_000);

describe("the smoke test on every runtime", { timeout: 90_000 }, () => {
  for (const [name, run] of Object.entries(runtimes)) {
    it(name, async () => {
      let output;
      try {
        output = await run(smoke);
      } catch (error) {
        // One line: what failed to start, not a stack.
        throw new Error(
          `${name} could not run the smoke test: ${
            String(error.stderr || error.message)
              .trim()
              .split("\n")[0]
          }`,
        );
      }
      expect(JSON.parse(String(output).trim().split("\n").pop())).toEqual(expected);
    });
  }
});
