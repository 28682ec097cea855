// Size entry: the whole public API of @wirefault/telemetry-server (core and zod/mini included).
import * as telemetryServer from "@wirefault/telemetry-server";

console.log(telemetryServer);
