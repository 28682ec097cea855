// Size entry: `retry` alone, with what it needs of core (no masking, no error class).
export { retry } from "@wirefault/core";
