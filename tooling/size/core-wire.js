// Size entry: core with the ./internal subpath, as protocol packages use it.
export * from "@wirefault/core";
export * from "@wirefault/core/internal";
