// Size entry: the whole public API of @wirefault/core.
export * from "@wirefault/core";
