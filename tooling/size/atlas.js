// Size entry: the whole public API of @wirefault/atlas (core and zod/mini included).
export * from "@wirefault/atlas";
