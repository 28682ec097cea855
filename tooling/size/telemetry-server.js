// Size entry: the whole public API of @wirefault/telemetry-server (core and zod/mini included).
export * from "@wirefault/telemetry-server";
