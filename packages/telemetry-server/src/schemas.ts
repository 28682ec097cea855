/**
 * The telemetry server's request bodies as zod schemas, for server authors:
 * validate with them and answer `validationErrorBody(result.error)`, and the
 * 400 is byte for byte the reference server's. zod is an optional peer
 * dependency (`^3.25 || ^4`); only this entry imports it.
 * @module @wirefault/telemetry-server/schemas
 */
// The reference server runs zod 3. `zod/v3` is zod 3 under zod 3.25+ and under zod 4,
// so the issues (their codes, keys, key order and messages) are zod 3's under both.
import { z } from "zod/v3";

/** A disposition: 0, 1 or 2. */
const disposition = z.number().int().min(0).max(2);

/** One sensor's privacy rule. */
const sensorPolicy = z.object({
  default_disposition: disposition,
  per_destination: z.record(disposition).default({}),
});

/**
 * The body of `POST /v1/devices` as the reference server validates it: the same
 * checks, on the same fields, declared in the same order, so zod reports the same
 * issues in the same order. `safeParse` it; on failure, answer
 * `400 validationErrorBody(result.error)`.
 */
export const registerDeviceSchema = z.object({
  id: z.string().length(64),
  mac: z.string().length(12),
  ownerPubkey: z.string().length(64),
  ownerName: z.string().optional(),
  name: z.string().min(1),
  type: z.number().int().min(0).max(2).default(0),
  publishTo: z.number().int().min(0).max(2).default(1),
  location: z.number().optional(),
  networks: z.array(z.string()).default([]),
  localServers: z.array(z.string()).default([]),
  privacyPolicy: z
    .object({
      ph: sensorPolicy.optional(),
      ec: sensorPolicy.optional(),
      water_level: sensorPolicy.optional(),
      temp_water: sensorPolicy.optional(),
      temp_ambient: sensorPolicy.optional(),
      humidity: sensorPolicy.optional(),
    })
    .optional(),
  hardware: z.object({ model: z.string(), firmware_version: z.string() }).optional(),
});

/** A registration as the reference server stores it, defaults applied. */
export type RegisterDevice = z.infer<typeof registerDeviceSchema>;
/** A registration as a device sends it: the fields with defaults may be left out. */
export type RegisterDeviceInput = z.input<typeof registerDeviceSchema>;
