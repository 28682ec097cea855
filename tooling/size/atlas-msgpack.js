// Size entry: @wirefault/atlas with its MessagePack codec subpath.
import * as atlas from "@wirefault/atlas";
import * as msgpack from "@wirefault/atlas/msgpack";

console.log(atlas, msgpack);
