// Size entry: the whole public API of @wirefault/teale-relay (core and zod/mini included).
export * from "@wirefault/teale-relay";
