// Size entry: the whole public API of @wirefault/core.
import * as core from "@wirefault/core";

console.log(core);
