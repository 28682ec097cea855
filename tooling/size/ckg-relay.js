// Size entry: the whole public API of @wirefault/ckg-relay (core and zod/mini included).
import * as ckgRelay from "@wirefault/ckg-relay";

console.log(ckgRelay);
