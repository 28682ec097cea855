import { describe, expect, it } from "vitest";
import { stackProblems } from "./stack.js";

const shape = { entry: "parseError", caller: "callersFrame" };
const head = "TealeRelayError: Model not loaded";
const entry = "    at parseError (/repo/packages/core/dist/chunk-AB12.js:10:5)";
const caller = "    at callersFrame (/repo/app/main.ts:3:10)";
const user = (n: number) => Array.from({ length: n }, (_, i) => `    at frame${i} (/repo/app/main.ts:${i}:1)`);
const stack = (...lines: string[]) => [head, ...lines].join("\n");

describe("stackProblems", () => {
  it("holds for the entry, then the caller, as many frames as the limit", () => {
    expect(stackProblems(stack(entry, caller, ...user(8)), shape, 10)).toEqual([]);
    expect(
      stackProblems(
        stack("    at Object.parseError (/x/node_modules/@wirefault/core/dist/index.js:1:1)", caller, ...user(8)),
        shape,
        10,
      ),
    ).toEqual([]);
  });

  it("fails a stack that starts at the caller (the entry's frame left out)", () => {
    expect(stackProblems(stack(caller, ...user(9)), shape, 10)).toContainEqual(expect.stringMatching(/^first frame/));
  });

  it("fails a stack with core's own frames before or after the entry", () => {
    const inner = "    at parseSafely (/repo/packages/core/src/parse.ts:1:1)";
    const create = "    at create (/repo/packages/teale-relay/src/protocol.ts:29:1)";
    expect(stackProblems(stack(create, entry, caller, ...user(7)), shape, 10)).toContainEqual(
      expect.stringMatching(/^first frame/),
    );
    const after = stackProblems(stack(entry, inner, caller, ...user(7)), shape, 10);
    expect(after).toContainEqual(expect.stringMatching(/^second frame/));
    expect(after).toContainEqual(expect.stringMatching(/^wirefault's own frame/));
  });

  it("fails a user's own function of the entry's name, and an eleventh frame", () => {
    expect(
      stackProblems(stack("    at parseError (/repo/app/main.ts:1:1)", caller, ...user(8)), shape, 10),
    ).toContainEqual(expect.stringMatching(/^first frame/));
    expect(stackProblems(stack(entry, caller, ...user(9)), shape, 10)).toEqual([
      "11 frames, not the 10 of Error.stackTraceLimit",
    ]);
  });

  it("lets only the event loop's frames come between an awaited entry and its caller", () => {
    const awaited = { entry: "fromResponse", caller: "async callersFrame", awaited: true };
    const from = "    at fromResponse (/repo/packages/core/src/http.ts:70:5)";
    const loop = "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)";
    const later = "    at async callersFrame (/repo/app/main.ts:3:10)";
    expect(stackProblems(stack(from, loop, later), awaited)).toEqual([]);
    expect(
      stackProblems(stack(from, "    at fromBody (/repo/packages/core/src/http.ts:80:1)", later), awaited),
    ).not.toEqual([]);
    expect(stackProblems(stack(loop, later), awaited)).not.toEqual([]);
  });
});
