// Size entry: the whole public API of @wirefault/teale-relay (core and zod/mini included).
import * as tealeRelay from "@wirefault/teale-relay";

console.log(tealeRelay);
