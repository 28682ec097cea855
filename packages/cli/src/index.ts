/**
 * The wirefault command line as functions: explain, parse and list.
 * @module @wirefault/cli
 */
export { HELP, type Io, list, main, type ReadFile, run, VERSION } from "./commands.js";
export { describeFinding, explain, type Finding, findCode } from "./explain.js";
export { ACTIONS, catalogTable, describePolicy, protocolReference } from "./format.js";
export { MAX_INPUT_BYTES, parse } from "./parse.js";
export { detectPayload, type Payload } from "./payload.js";
export { type CliProtocol, discover, PROTOCOLS, type Registry, registry } from "./protocols.js";
export type { Result } from "./result.js";
