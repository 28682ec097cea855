import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { online } from "./online.mjs";

// A command that fails `failures` times with `message` on stderr, then succeeds; it counts its runs in a file.
function flaky(failures, message) {
  const dir = mkdtempSync(join(tmpdir(), "online-"));
  const count = join(dir, "count");
  writeFileSync(count, "0");
  const script = join(dir, "flaky.mjs");
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from "node:fs";
const n = Number(readFileSync(${JSON.stringify(count)}, "utf8")) + 1;
writeFileSync(${JSON.stringify(count)}, String(n));
if (n <= ${failures}) { console.error(${JSON.stringify(message)}); process.exit(1); }
console.log("installed on run " + n);`,
  );
  return { args: [script], runs: () => Number(readFileSync(count, "utf8")) };
}

const quiet = { waits: [0, 0], log: () => {} };

describe("online", () => {
  it("runs a command again after the registry reset the download (what failed CI)", () => {
    const cmd = flaky(
      2,
      "npm error network Invalid response body while trying to fetch https://registry.npmjs.org/@types%2fnode: aborted\nnpm error code ECONNRESET",
    );
    expect(online(process.execPath, cmd.args, quiet)).toBe("installed on run 3\n");
    expect(cmd.runs()).toBe(3);
  });

  it("gives up after the last wait, and says every try failed on the network", () => {
    const cmd = flaky(5, "npm error code EAI_AGAIN");
    expect(() => online(process.execPath, cmd.args, quiet)).toThrow(/after 3 tries, each failing on the network/);
    expect(cmd.runs()).toBe(3);
  });

  it("fails at once when the failure is not the network's", () => {
    const cmd = flaky(
      1,
      "npm error `npm ci` can only install packages when your package.json and package-lock.json are in sync",
    );
    let error;
    try {
      online(process.execPath, cmd.args, quiet);
    } catch (caught) {
      error = caught;
    }
    expect(cmd.runs()).toBe(1);
    expect(error.status).toBe(1);
    expect(error.stderr).toContain("are in sync");
    expect(error.message).not.toContain("network");
  });
});
