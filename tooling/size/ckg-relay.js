// Size entry: the whole public API of @wirefault/ckg-relay (core and zod/mini included).
export * from "@wirefault/ckg-relay";
