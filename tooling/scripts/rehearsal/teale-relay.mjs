// @wirefault/teale-relay from the registry: a fetch Response read into an error.
import { fromResponse, TealeRelayError } from "@wirefault/teale-relay";

const body = { error: { message: "Model m is not loaded", type: "model_not_loaded", code: "model_not_loaded" } };
const err = await fromResponse(new Response(JSON.stringify(body), { status: 503 }));
if (!(err instanceof TealeRelayError) || err.code !== "model_not_loaded" || err.status !== 503 || !err.known)
  throw new Error(`teale-relay: ${JSON.stringify(err)}`);
console.log(`teale-relay: ${err.code} (${err.status}), ${err.action}`);
