import { type BlockResult, batchResponse, deviceExistsBody, validationErrorBody } from "@wirefault/telemetry-server";
import { registerDeviceSchema } from "@wirefault/telemetry-server/schemas";
import Fastify, { type FastifyInstance } from "fastify";

// The reference server's own domain classes: batchResponse reads any error by its documented code.
class DeviceNotFoundError extends Error {
  code = "DEVICE_NOT_FOUND";
  constructor(hex: string) {
    super(`Device not found: ${hex}`);
  }
}

interface Block {
  readonly deviceId: string;
  readonly seq: string | number;
}

// A telemetry server answering POST /v1/telemetry with the package's builder: 200, 207 or Fastify's 500;
// and POST /v1/devices validated as the reference server validates it, so its 400 is the reference's, byte for byte.
export function telemetryServer(devices: Set<string>): FastifyInstance {
  const app = Fastify();
  app.post("/v1/devices", async (req, reply) => {
    const parsed = registerDeviceSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(validationErrorBody(parsed.error));
    if (devices.has(parsed.data.id)) return reply.code(409).send(deviceExistsBody());
    devices.add(parsed.data.id);
    return reply.code(201).send({ device: parsed.data });
  });
  app.post<{ Body: { blocks: Block[] } }>("/v1/telemetry", async (req, reply) => {
    const results: BlockResult[] = req.body.blocks.map((block) => {
      try {
        if (typeof block.deviceId !== "string") throw new TypeError("block.deviceId must be a string");
        if (!devices.has(block.deviceId)) throw new DeviceNotFoundError(block.deviceId);
        return { seq: block.seq };
      } catch (error) {
        return { seq: block.seq, error };
      }
    });
    const { status, body } = batchResponse(results);
    if (status === 500) req.log.error({ results }, "telemetry batch failed"); // the body never carries the thrown message
    return reply.code(status).send(body);
  });
  return app;
}
