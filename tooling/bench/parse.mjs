// Figure 1: parse cost against the floor, per example payload of every page.
import { Bench } from "tinybench";
import { floor, PAYLOADS } from "./payloads.mjs";

// Each task call runs a batch, so that timer overhead does not swamp
// sub-microsecond work; results are reported per single call.
const BATCH = 200;

const perCall = (task) => {
  const latency = task.result.latency;
  return { ns: (latency.p50 * 1e6) / BATCH, madPct: latency.p50 ? (100 * latency.mad) / latency.p50 : 0 };
};

async function binaryEncoders(options) {
  const { encodeErrorMessage, decodeErrorMessage } = await import("@wirefault/atlas/msgpack");
  const { parseError: parseTryll } = await import("@wirefault/tryll");
  const { encodeErrorFrame, decodeFrame } = await import("@wirefault/tryll/frame");
  const { parseError: parseAtlas } = await import("@wirefault/atlas");
  const atlasErr = parseAtlas({ code: 4001, message: "rate limit exceeded", ref_msg_id: "msg_01JX..." });
  const tryllErr = parseTryll({ code: 3004, message: "agent busy", request_id: 7, agent_id: 42 });
  const msgpack = encodeErrorMessage(atlasErr);
  const frame = encodeErrorFrame(tryllErr);
  const bench = new Bench(options);
  const batch = (fn) => () => {
    for (let i = 0; i < BATCH; i++) fn();
  };
  bench.add(
    "atlas encodeErrorMessage",
    batch(() => encodeErrorMessage(atlasErr)),
  );
  bench.add(
    "atlas decodeErrorMessage",
    batch(() => decodeErrorMessage(msgpack)),
  );
  bench.add(
    "tryll encodeErrorFrame",
    batch(() => encodeErrorFrame(tryllErr)),
  );
  bench.add(
    "tryll decodeFrame",
    batch(() => decodeFrame(frame)),
  );
  await bench.run();
  return bench.tasks.map((task) => ({
    name: task.name,
    bytes: task.name.startsWith("atlas") ? msgpack.byteLength : frame.byteLength,
    ...perCall(task),
  }));
}

export async function measure({ time }) {
  const options = { time, warmupTime: Math.max(1, time / 4), iterations: 8 };
  const rows = [];
  for (const payload of PAYLOADS) {
    const { parseError } = await import(`@wirefault/${payload.protocol}`);
    const object = JSON.parse(payload.text);
    const err = parseError(payload.text, payload.context);
    if (!err.known) throw new Error(`${payload.protocol} ${payload.name}: parsed as unknown (${String(err.code)})`);
    const bench = new Bench(options);
    const batch = (fn) => () => {
      for (let i = 0; i < BATCH; i++) fn();
    };
    bench.add(
      "floor(text)",
      batch(() => floor(payload.text)),
    );
    bench.add(
      "parseError(text)",
      batch(() => parseError(payload.text, payload.context)),
    );
    bench.add(
      "check(object)",
      batch(() => payload.check(object)),
    );
    bench.add(
      "parseError(object)",
      batch(() => parseError(object, payload.context)),
    );
    bench.add(
      "toWire()",
      batch(() => err.toWire()),
    );
    await bench.run();
    const [floorText, parseText, checkObject, parseObject, toWire] = bench.tasks.map(perCall);
    rows.push({
      protocol: payload.protocol,
      payload: payload.name,
      floorNs: floorText.ns,
      parseTextNs: parseText.ns,
      textRatio: parseText.ns / floorText.ns,
      checkNs: checkObject.ns,
      parseObjectNs: parseObject.ns,
      objectRatio: parseObject.ns / checkObject.ns,
      toWireNs: toWire.ns,
      madPct: Math.max(floorText.madPct, parseText.madPct),
    });
  }
  return { rows, binary: await binaryEncoders(options) };
}
