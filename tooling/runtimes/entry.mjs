// The smoke test as one self-contained module, so that every runtime runs the
// same bytes: bundled by runtimes.test.mjs with esbuild.
import * as atlas from "@wirefault/atlas";
import * as ckgRelay from "@wirefault/ckg-relay";
import * as core from "@wirefault/core";
import * as tealeRelay from "@wirefault/teale-relay";
import * as telemetryServer from "@wirefault/telemetry-server";
import * as tryll from "@wirefault/tryll";
import { smoke } from "../consumers/smoke.mjs";

const modules = {
  "@wirefault/core": core,
  "@wirefault/teale-relay": tealeRelay,
  "@wirefault/telemetry-server": telemetryServer,
  "@wirefault/ckg-relay": ckgRelay,
  "@wirefault/atlas": atlas,
  "@wirefault/tryll": tryll,
};

/** Runs the smoke test; resolves to one "package:code" line per protocol. */
export const run = () => smoke(async (name) => modules[name]);
