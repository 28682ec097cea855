// @wirefault/telemetry-server from the registry: a 207 batch answer, typed per block.
import { mustRegister, parseBatchResponse, seqsToResend } from "@wirefault/telemetry-server";

const body = JSON.stringify({ accepted: 1, errors: [{ seq: "2", error: "Device not found: ab12" }] });
const result = parseBatchResponse(207, body, { sent: 2 });
const [entry] = result.errors;
if (entry?.code !== "DEVICE_NOT_FOUND" || entry.deviceId !== "ab12" || !mustRegister(result))
  throw new Error(`telemetry-server: ${JSON.stringify(result)}`);
console.log(`telemetry-server: ${entry.code} for ${entry.deviceId}, resend ${seqsToResend(result).join(",")}`);
