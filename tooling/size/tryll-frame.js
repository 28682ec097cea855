// Size entry: @wirefault/tryll with its FlatBuffers frame subpath.
import * as tryll from "@wirefault/tryll";
import * as frame from "@wirefault/tryll/frame";

console.log(tryll, frame);
