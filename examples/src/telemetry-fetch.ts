import { type BatchResult, mustRegister, readBatchResponse, seqsToResend } from "@wirefault/telemetry-server";

interface Block {
  readonly seq: string;
}

// Uploads blocks; a device the server does not know is registered, then its blocks are sent again.
export async function upload(base: string, blocks: readonly Block[], registration: object): Promise<BatchResult> {
  const post = (path: string, body: object) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const result = await readBatchResponse(await post("/v1/telemetry", { blocks }), { sent: blocks.length });
  if (result.error) throw result.error; // the whole request failed: 400, 500…
  if (!mustRegister(result)) return result;
  await post("/v1/devices", registration); // 201, or 409: already registered, carry on
  const resend = new Set(seqsToResend(result));
  const again = blocks.filter((block) => resend.has(block.seq));
  return readBatchResponse(await post("/v1/telemetry", { blocks: again }), { sent: again.length });
}
