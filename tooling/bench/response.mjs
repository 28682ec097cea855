// Figure 2: fromResponse(res) beside `await res.json()` plus each peer's
// generate, on the same HTTP error bodies, the contenders run in turn.
// Every contender builds its own Response in the batch, so that cost is shared.
import { FROM_BODY, statusOf } from "./parse.mjs";
import { PAYLOADS } from "./payloads.mjs";
import { inTurn, versus } from "./turns.mjs";

/** The HTTP error bodies: every payload that came with a status, and ckg's documented body as a 503. */
export const HTTP_PAYLOADS = [
  ...PAYLOADS.filter((p) => p.context?.status !== undefined),
  { ...PAYLOADS.find((p) => p.name === "ws error (documented)"), context: { status: 503 } },
];

const init = (status) => ({ status, headers: { "content-type": "application/json" } });

export async function measure({ rounds, batch }) {
  const rows = [];
  for (const payload of HTTP_PAYLOADS) {
    const { fromResponse } = await import(`@wirefault/${payload.protocol}`);
    const { text } = payload;
    const status = statusOf(payload);
    const err = await fromResponse(new Response(text, init(status)));
    if (!err.known) throw new Error(`${payload.protocol} ${payload.name}: read as unknown (${String(err.code)})`);
    // Each peer reads the body as its client does (res.json()), then builds its error from it.
    const peer = (generate) => async () => {
      const res = new Response(text, init(status));
      return generate(await res.json(), res.status, res.headers);
    };
    const ns = await inTurn(
      [
        { name: "ours", async: true, fn: () => fromResponse(new Response(text, init(status))) },
        { name: "openai", async: true, fn: peer(FROM_BODY.openai) },
        { name: "anthropic", async: true, fn: peer(FROM_BODY.anthropic) },
        { name: "stripe", async: true, fn: peer(FROM_BODY.stripe) },
        { name: "textOnly", async: true, fn: () => new Response(text, init(status)).text() },
      ],
      { rounds, batch: Math.max(1, Math.round(batch / 4)) },
    );
    const { ns: medians, ratios } = versus(ns, "openai", ["ours", "anthropic", "stripe", "textOnly"]);
    rows.push({ protocol: payload.protocol, payload: payload.name, status, ns: medians, vsOpenai: ratios });
  }
  return { rows };
}
