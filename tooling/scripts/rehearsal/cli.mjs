// @wirefault/cli from the registry, as a library: the version it reports is the
// one that was published (the binary itself runs as `npx wirefault`).
import { createRequire } from "node:module";
import { VERSION } from "@wirefault/cli";

const { version } = createRequire(import.meta.url)("@wirefault/cli/package.json");
if (VERSION !== version) throw new Error(`cli: VERSION ${VERSION}, package ${version}`);
console.log(`cli: ${VERSION}`);
