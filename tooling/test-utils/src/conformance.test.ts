// The conformance suite can fail: run against a core whose body reader drops Retry-After, or whose
// status rule reads 429 as "maybe", it fails those checks and no other; against core as it is, it passes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importsItsSource, STATUS_EXPECTED } from "./conformance.js";

interface Report {
  readonly testResults: readonly {
    readonly name: string;
    readonly assertionResults: readonly { readonly title: string; readonly status: string }[];
  }[];
}

/** Runs the fixtures in a Vitest of their own; what failed, by fixture file. */
function runFixtures(): Record<string, string[]> {
  const root = fileURLToPath(new URL("../fixtures/broken/", import.meta.url));
  const out = join(mkdtempSync(join(tmpdir(), "wirefault-conformance-")), "report.json");
  // The CLI beside the package's manifest: `vitest/vitest.mjs` is not among its exports.
  const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
  spawnSync(
    process.execPath,
    [
      vitest,
      "run",
      "--root",
      root,
      "--config",
      join(root, "vitest.config.ts"),
      "--reporter=json",
      `--outputFile=${out}`,
    ],
    {
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0" },
    },
  );
  const report = JSON.parse(readFileSync(out, "utf8")) as Report;
  const failed: Record<string, string[]> = {};
  for (const file of report.testResults) {
    const name = file.name.slice(root.length);
    failed[name] = file.assertionResults.filter((test) => test.status === "failed").map((test) => test.title);
  }
  return failed;
}

describe("the conformance suite fails against a broken core", () => {
  const failed = runFixtures();

  it("passes against core as it is", () => {
    expect(failed["sound.fixture.ts"]).toEqual([]);
  });

  it("fails when the body reader drops Retry-After", () => {
    expect(failed["drops-retry-after.fixture.ts"]).toEqual([
      "fromResponse reads a body as parseError does, with its status and Retry-After, exactly",
    ]);
  });

  it('fails when the status rule reads 429 as "maybe"', () => {
    expect(failed["status-429-maybe.fixture.ts"]).toContain(
      "an unknown code is kept, known: false; over HTTP its status classifies it",
    );
    expect(failed["status-429-maybe.fixture.ts"]).toContain(
      "a payload that names no code is MALFORMED; over HTTP, its status decides",
    );
  });
});

describe("the suite's own data", () => {
  it("reads 429 as a throttle and a retryable 503, as the pages do", () => {
    expect(STATUS_EXPECTED[429]).toEqual({ retryable: "yes", action: "throttle" });
    expect(STATUS_EXPECTED[503]).toEqual({ retryable: "yes", action: "retry" });
  });

  it("counts a test file as testing its source only when it imports it", () => {
    const dir = mkdtempSync(join(tmpdir(), "wirefault-layout-"));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return new URL(`file://${join(dir, name)}`);
    };
    expect(importsItsSource(write("wire.test.ts", 'import { toWire } from "./wire.js";\n'), "wire")).toBe(true);
    expect(
      importsItsSource(
        write("readers.test.ts", 'import { it } from "vitest";\nit("placeholder", () => {});\n'),
        "readers",
      ),
    ).toBe(false);
  });
});
