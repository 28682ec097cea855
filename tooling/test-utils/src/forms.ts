/**
 * One WebSocket message in every form a WebSocket library hands it over in:
 * a string, a Buffer, an ArrayBuffer, typed arrays of every element width, a
 * DataView, ws's `binaryType: "fragments"` Buffer[], and the decoded value.
 * The text is padded with JSON whitespace so every element width divides it.
 */
export function dataForms(text: string): [form: string, data: unknown][] {
  return [...byteForms(text), ["decoded", JSON.parse(text)]];
}

/** {@link dataForms} without the decoded value: for text that is not JSON, such as server-sent events. */
export function byteForms(text: string): [form: string, data: unknown][] {
  const padded = text + " ".repeat((8 - (Buffer.byteLength(text) % 8)) % 8);
  const bytes = new TextEncoder().encode(padded);
  const buffer = () => bytes.slice().buffer;
  const third = Math.floor(bytes.length / 3);
  return [
    ["string", text],
    ["Buffer", Buffer.from(text)],
    ["ArrayBuffer", buffer()],
    ["Uint8Array", bytes.slice()],
    ["Int8Array", new Int8Array(buffer())],
    ["Uint8ClampedArray", new Uint8ClampedArray(buffer())],
    ["Uint16Array", new Uint16Array(buffer())],
    ["Float32Array", new Float32Array(buffer())],
    ["Float64Array", new Float64Array(buffer())],
    ["BigUint64Array", new BigUint64Array(buffer())],
    ["DataView", new DataView(buffer())],
    // A view into the middle of a larger buffer: byteOffset must be honoured.
    ["offset view", new Uint8Array(new Uint8Array([0x7b, ...bytes, 0x7d]).buffer, 1, bytes.length)],
    [
      "Buffer[] (fragments)",
      [
        Buffer.from(bytes.subarray(0, third)),
        Buffer.from(bytes.subarray(third, 2 * third)),
        Buffer.from(bytes.subarray(2 * third)),
      ],
    ],
  ];
}
