// Figure 1: parseError(text) beside the peers' error factories on the same body,
// every payload of every page, the contenders run in turn (turns.mjs).
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import Stripe from "stripe";
import { bodiesOf, floor, GOAL, inputOf, PAYLOADS } from "./payloads.mjs";
import { inTurn, summary, versus } from "./turns.mjs";

/** The status the peers are given: the payload's own, else 400 (they need one to pick a class). */
export const statusOf = (payload) => payload.status ?? payload.context?.status ?? 400;

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

/** A peer on a payload's input: decoded as its client would (JSON, MessagePack), then one error per body. */
function peerOn(payload, generate, status) {
  return (input) => {
    let err;
    for (const body of bodiesOf(payload, input)) err = generate(body, status, headers);
    return err;
  };
}

/** What the figure calls ours: the entry's parseError, or the payload's own reader (a 207 answer's). */
async function oursOn(payload) {
  const mod = await import(`@wirefault/${payload.entry ?? payload.protocol}`);
  return payload.parse ? payload.parse(mod) : mod.parseError;
}

/** Throws unless every error ours read is a documented one: a figure of a fallback path would be no figure. */
function known(payload, result) {
  const errors = Array.isArray(result?.errors) && result.errors.length > 0 ? result.errors : [result];
  const unknown = errors.find((err) => !err?.known);
  if (unknown) throw new Error(`${payload.protocol} ${payload.name}: parsed as unknown (${String(unknown?.code)})`);
}

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
    const parseError = await oursOn(payload);
    const input = inputOf(payload);
    const context = payload.context ?? {};
    const status = statusOf(payload);
    // The same parse with `stack: false` (issue 31: bulk and classify-only paths).
    const bare = { ...context, stack: false };
    known(payload, parseError(input, context));
    known(payload, parseError(input, bare));
    const openai = peerOn(payload, FROM_BODY.openai, status);
    const anthropic = peerOn(payload, FROM_BODY.anthropic, status);
    const stripe = peerOn(payload, FROM_BODY.stripe, status);
    const ns = await inTurn(
      [
        { name: "ours", fn: () => parseError(input, context) },
        { name: "noStack", fn: () => parseError(input, bare) },
        { name: "openai", fn: () => openai(input) },
        { name: "anthropic", fn: () => anthropic(input) },
        { name: "stripe", fn: () => stripe(input) },
        { name: "floor", fn: () => floor(payload, input) },
      ],
      options,
    );
    // Every ratio is against openai's generate on the same body, in the same round.
    const { ns: medians, ratios } = versus(ns, "openai", ["ours", "noStack", "anthropic", "stripe", "floor"]);
    rows.push({
      protocol: payload.protocol,
      payload: payload.name,
      status,
      goal: payload.goal,
      noStackGoal: GOAL.noStack,
      ns: medians,
      vsOpenai: ratios,
    });
  }
  return { rounds, batch, rows, binary: await binaryCodecs(options) };
}
