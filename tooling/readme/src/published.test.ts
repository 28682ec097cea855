import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const REPO = "https://github.com/wirefault/wirefault";

// npm shows only the package's README and package.json: both must lead to the
// rest of the documentation on their own.
const published = readdirSync(join(root, "packages"))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) }))
  .filter(({ pkg }) => pkg.private !== true);

describe("every published package", () => {
  it("is found", () => {
    expect(published.map(({ pkg }) => pkg.name)).toContain("@wirefault/core");
  });

  it.each(published.map(({ dir, pkg }) => [pkg.name as string, dir, pkg] as const))(
    "%s has homepage and bugs, and its README links to the API and error references",
    (name, dir, pkg) => {
      expect(pkg.repository.url).toBe(`git+${REPO}.git`);
      expect(pkg.homepage).toBe(`${REPO}/tree/main/packages/${dir}#readme`);
      expect(pkg.bugs).toEqual({ url: `${REPO}/issues` });
      const readme = readFileSync(join(root, "packages", dir, "README.md"), "utf8");
      expect(readme).toContain(`${REPO}/blob/main/docs/api/${name}/README.md`);
      expect(readme).toContain(`${REPO}/blob/main/docs/errors.md`);
      // The links point at files that exist in the repository.
      expect(readdirSync(join(root, "docs/api", name))).toContain("README.md");
    },
  );
});
