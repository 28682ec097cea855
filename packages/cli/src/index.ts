/**
 * The wirefault command line as functions: explain, parse and list.
 * @module @wirefault/cli
 */
export { explain, HELP, list, parse, type Result, run } from "./commands.js";
export { ACTIONS, catalogTable, describePolicy } from "./format.js";
export { detectPayload, type Payload } from "./payload.js";
export { PROTOCOLS, type ProtocolModule } from "./protocols.js";
