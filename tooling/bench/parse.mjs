// Figure 1: parseError(text) beside the peers' error factories on the same body,
// every payload of every page, the contenders run in turn (turns.mjs).
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import Stripe from "stripe";
import { floor, PAYLOADS } from "./payloads.mjs";
import { inTurn, summary, versus } from "./turns.mjs";

/** The status the peers are given: the payload's own, else 400 (they need one to pick a class). */
export const statusOf = (payload) => payload.context?.status ?? 400;

const headers = new Headers({ "content-type": "application/json" });

/** What each peer's client does with an error body it has decoded: build its error from status, body and headers. */
export const FROM_BODY = {
  openai: (body, status, headers) => OpenAI.APIError.generate(status, body, undefined, headers),
  anthropic: (body, status, headers) => Anthropic.APIError.generate(status, body, undefined, headers),
  // stripe-node's RequestSender: the body's `error` object, given the headers and status, to generate().
  stripe: (body, status, headers) => {
    const raw =
      typeof body.error === "object" && body.error !== null ? body.error : { message: body.error ?? body.message };
    raw.headers = headers;
    raw.statusCode = status;
    return Stripe.errors.StripeError.generate(raw);
  },
};

/** The same from the body text, JSON parse included, as parseError(text) does. */
export const PEERS = {
  openai: (text, status) => FROM_BODY.openai(JSON.parse(text), status, headers),
  anthropic: (text, status) => FROM_BODY.anthropic(JSON.parse(text), status, headers),
  stripe: (text, status) => FROM_BODY.stripe(JSON.parse(text), status, headers),
};

async function binaryCodecs(options) {
  const { encodeErrorMessage, decodeErrorMessage } = await import("@wirefault/atlas/msgpack");
  const { parseError: parseTryll } = await import("@wirefault/tryll");
  const { encodeErrorFrame, decodeFrame } = await import("@wirefault/tryll/frame");
  const { parseError: parseAtlas } = await import("@wirefault/atlas");
  const atlasErr = parseAtlas({ code: 4001, message: "rate limit exceeded", ref_msg_id: "msg_01JX..." });
  const tryllErr = parseTryll({ code: 3004, message: "agent busy", request_id: 7, agent_id: 42 });
  const msgpack = encodeErrorMessage(atlasErr);
  const frame = encodeErrorFrame(tryllErr);
  const ns = await inTurn(
    [
      { name: "atlas encodeErrorMessage", fn: () => encodeErrorMessage(atlasErr) },
      { name: "atlas decodeErrorMessage", fn: () => decodeErrorMessage(msgpack) },
      { name: "tryll encodeErrorFrame", fn: () => encodeErrorFrame(tryllErr) },
      { name: "tryll decodeFrame", fn: () => decodeFrame(frame) },
    ],
    options,
  );
  return Object.entries(ns).map(([name, values]) => ({
    name,
    bytes: name.startsWith("atlas") ? msgpack.byteLength : frame.byteLength,
    ns: summary(values).median,
  }));
}

export async function measure({ rounds, batch }) {
  const options = { rounds, batch };
  const rows = [];
  for (const payload of PAYLOADS) {
    const { parseError } = await import(`@wirefault/${payload.protocol}`);
    const { text, context } = payload;
    const status = statusOf(payload);
    const err = parseError(text, context);
    // The same parse with `stack: false` (issue 31: bulk and classify-only paths).
    const bare = { ...context, stack: false };
    if (!err.known) throw new Error(`${payload.protocol} ${payload.name}: parsed as unknown (${String(err.code)})`);
    const ns = await inTurn(
      [
        { name: "ours", fn: () => parseError(text, context) },
        { name: "noStack", fn: () => parseError(text, bare) },
        { name: "openai", fn: () => PEERS.openai(text, status) },
        { name: "anthropic", fn: () => PEERS.anthropic(text, status) },
        { name: "stripe", fn: () => PEERS.stripe(text, status) },
        { name: "floor", fn: () => floor(text) },
      ],
      options,
    );
    // Every ratio is against openai's generate on the same body, in the same round.
    const { ns: medians, ratios } = versus(ns, "openai", ["ours", "noStack", "anthropic", "stripe", "floor"]);
    rows.push({ protocol: payload.protocol, payload: payload.name, status, ns: medians, vsOpenai: ratios });
  }
  return { rounds, batch, rows, binary: await binaryCodecs(options) };
}
