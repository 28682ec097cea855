// Size entry: core with the ./protocol subpath, as protocol packages use it.
export * from "@wirefault/core";
export * from "@wirefault/core/protocol";
