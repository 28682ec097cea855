// Size entry: the whole public API of @wirefault/tryll (core and zod/mini included).
export * from "@wirefault/tryll";
