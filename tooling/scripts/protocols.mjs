// The protocol packages, found rather than listed: every published package
// under packages/ whose main entry exports a `protocol` built by
// `defineProtocol`. The docs, the dual-package check and the demo iterate over
// these, so a sixth package is picked up without editing a list.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;

/** Every protocol package: its npm name, folder and definition, in the order the CLI lists them. */
export async function protocolPackages() {
  const { PROTOCOLS } = await import("@wirefault/cli");
  const order = [...PROTOCOLS.keys()];
  const found = [];
  for (const folder of readdirSync(join(root, "packages"))) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(root, "packages", folder, "package.json"), "utf8"));
    } catch {
      continue;
    }
    if (pkg.private) continue;
    const mod = await import(pkg.name);
    if (mod.protocol?.parseError) found.push({ name: pkg.name, folder, protocol: mod.protocol, module: mod });
  }
  const rank = (entry) => (order.includes(entry.protocol.name) ? order.indexOf(entry.protocol.name) : order.length);
  return found.sort((a, b) => rank(a) - rank(b));
}
