// Size entry: the whole public API of @wirefault/atlas (core and zod/mini included).
import * as atlas from "@wirefault/atlas";

console.log(atlas);
