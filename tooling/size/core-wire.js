// Size entry: core with the ./wire subpath, as protocol packages use it.
import * as core from "@wirefault/core";
import * as wire from "@wirefault/core/wire";

console.log(core, wire);
