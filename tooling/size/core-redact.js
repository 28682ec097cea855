// Size entry: `redactSecrets` alone, with what it needs of core (the masking tables, no error class).
export { redactSecrets } from "@wirefault/core";
