// @wirefault/ckg-relay from the registry: an error message off the socket.
import { CkgRelayError, parseError } from "@wirefault/ckg-relay";

const err = parseError('{"type":"error","code":"AGENT_OFFLINE","message":"Agent not currently connected"}');
if (!(err instanceof CkgRelayError) || err.code !== "AGENT_OFFLINE")
  throw new Error(`ckg-relay: ${JSON.stringify(err)}`);
console.log(`ckg-relay: ${err.code}, ${err.action}`);
