// Size entry: the whole public API of @wirefault/tryll (core and zod/mini included).
import * as tryll from "@wirefault/tryll";

console.log(tryll);
