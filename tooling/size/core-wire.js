// Size entry: core with the ./wire subpath, as protocol packages use it.
export * from "@wirefault/core";
export * from "@wirefault/core/wire";
