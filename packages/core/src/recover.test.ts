import { manualClock, recordingClock } from "@wirefault/test-utils";
import { describe, expect, it } from "vitest";
import { RECOVERY_ACTIONS } from "./actions.js";
import type { RetryPolicy } from "./catalog.js";
import { ProtocolError, type RecoveryAction, type Retryable } from "./error.js";
import type { GiveUpEvent } from "./give-up.js";
import type { RateLimiter } from "./rate-limiter.js";
import { RECOVERY_PLAN, type RecoverHandlers } from "./recover.js";
import { retry } from "./retry.js";
import { retryBudget } from "./retry-budget.js";

interface Row {
  action: RecoveryAction;
  retryable?: Retryable;
  policy?: RetryPolicy;
  retryAfterMs?: number;
}

const errorOf = ({ action, retryable = "yes", policy, retryAfterMs }: Row) =>
  new ProtocolError({
    protocol: "tryll",
    code: `${action}-code`,
    message: action,
    retryable,
    action,
    known: true,
    ...(policy && { policy }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });

/** A run of retry() that records everything in order: attempts, handlers, hooks, sleeps. */
function scenario(row: Row, failures = 1) {
  const log: string[] = [];
  const clock = recordingClock();
  const sleepingClock = {
    setTimeout(callback: () => void, ms: number) {
      log.push(`sleep ${ms}`);
      return clock.setTimeout(callback, ms);
    },
    clearTimeout: clock.clearTimeout,
  };
  const handlers: RecoverHandlers = {
    reconnect: (_e, { attempt }) => log.push(`reconnect after ${attempt}`),
    reset: (_e, { attempt }) => log.push(`reset after ${attempt}`),
    wait: (_e, { attempt }) => log.push(`wait after ${attempt}`),
  };
  const gaveUp: GiveUpEvent[] = [];
  const fn = (attempt: number) => {
    log.push(`attempt ${attempt}`);
    if (attempt <= failures) throw errorOf(row);
    return "ok";
  };
  const base = {
    clock: sleepingClock,
    jitter: "none" as const,
    onRetry: () => log.push("onRetry"),
    onGiveUp: (event: GiveUpEvent) => gaveUp.push(event),
  };
  return { log, handlers, gaveUp, fn, base };
}

const outcome = (promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe("the recovery table: every cell, on the injectable clock", () => {
  describe("retry: no handler, back off and try again", () => {
    it("backs off and tries again, whatever handlers are given", async () => {
      const s = scenario({ action: "retry" });
      expect(await outcome(retry(s.fn, { ...s.base, recover: s.handlers }))).toEqual({ value: "ok" });
      expect(s.log).toEqual(["attempt 1", "onRetry", "sleep 1000", "attempt 2"]);
    });
  });

  describe("throttle: no handler, wait as hinted or computed; the limiter slows every caller", () => {
    it("waits as hinted", async () => {
      const s = scenario({ action: "throttle", retryAfterMs: 250 });
      await retry(s.fn, { ...s.base, recover: s.handlers });
      expect(s.log).toEqual(["attempt 1", "onRetry", "sleep 250", "attempt 2"]);
    });

    it("backs off as computed without a hint or a limiter", async () => {
      const s = scenario({ action: "throttle" });
      await retry(s.fn, s.base);
      expect(s.log).toEqual(["attempt 1", "onRetry", "sleep 1000", "attempt 2"]);
    });

    it("tells the shared limiter, which paces the next attempt instead of the backoff", async () => {
      const s = scenario({ action: "throttle" });
      const calls: string[] = [];
      const limiter: RateLimiter = {
        rate: 1,
        acquire: async () => {
          calls.push("acquire");
          return calls.length;
        },
        succeeded: (ticket) => calls.push(`succeeded ${ticket}`),
        throttled: (ticket, hint) => calls.push(`throttled ${ticket} ${hint}`),
      };
      await retry(s.fn, { ...s.base, limiter });
      expect(calls).toEqual(["acquire", "throttled 1 undefined", "acquire", "succeeded 3"]);
      expect(s.log).toEqual(["attempt 1", "onRetry", "attempt 2"]);
      // With a hint, the limiter is told it (clamped) and the caller sleeps it too.
      const hinted = scenario({ action: "throttle", retryAfterMs: 90_000 });
      calls.length = 0;
      await retry(hinted.fn, { ...hinted.base, limiter });
      expect(calls[1]).toBe("throttled 1 60000");
      expect(hinted.log).toContain("sleep 60000");
    });
  });

  describe("reconnect", () => {
    it("with its handler: backs off, runs recover.reconnect, then tries again", async () => {
      const s = scenario({ action: "reconnect" });
      await retry(s.fn, { ...s.base, recover: s.handlers });
      expect(s.log).toEqual(["attempt 1", "onRetry", "sleep 1000", "reconnect after 1", "attempt 2"]);
    });

    it("with its handler: tries again even when the row says retryable no (the reconnect was missing)", async () => {
      const s = scenario({ action: "reconnect", retryable: "no" });
      expect(await outcome(retry(s.fn, { ...s.base, recover: s.handlers }))).toEqual({ value: "ok" });
    });

    it("without it: retried as today, since fn may reconnect itself", async () => {
      const s = scenario({ action: "reconnect" });
      await retry(s.fn, s.base);
      expect(s.log).toEqual(["attempt 1", "onRetry", "sleep 1000", "attempt 2"]);
      const no = scenario({ action: "reconnect", retryable: "no" });
      await outcome(retry(no.fn, no.base));
      expect(no.gaveUp).toMatchObject([{ reason: "not-retryable", attempts: 1, recoveries: 0 }]);
    });
  });

  describe("reset", () => {
    it("with its handler: runs recover.reset at once, then tries again, even when the row says retryable no", async () => {
      const s = scenario({ action: "reset", retryable: "no" });
      expect(await outcome(retry(s.fn, { ...s.base, recover: s.handlers }))).toEqual({ value: "ok" });
      expect(s.log).toEqual(["attempt 1", "onRetry", "reset after 1", "attempt 2"]);
    });

    it("with its handler and a server hint: waits as hinted, then runs recover.reset", async () => {
      const s = scenario({ action: "reset", retryAfterMs: 3000 });
      await retry(s.fn, { ...s.base, recover: s.handlers });
      expect(s.log).toEqual(["attempt 1", "onRetry", "sleep 3000", "reset after 1", "attempt 2"]);
    });

    it("without it: gives up, reason no-handler; the same request cannot succeed", async () => {
      const s = scenario({ action: "reset", retryable: "yes" });
      const { error } = (await outcome(retry(s.fn, s.base))) as { error: ProtocolError };
      expect(error).toMatchObject({ action: "reset", attempts: 1 });
      expect(s.log).toEqual(["attempt 1"]);
      expect(s.gaveUp).toEqual([{ error, attempts: 1, recoveries: 0, reason: "no-handler" }]);
    });
  });

  describe("wait, the row with its own policy (a poll, e.g. Atlas full)", () => {
    const full = { action: "wait", retryable: "maybe", policy: { baseMs: 5000, capMs: 60_000 } } as const;

    it("with its handler: runs recover.wait, then tries again", async () => {
      const s = scenario(full);
      await retry(s.fn, { ...s.base, recover: s.handlers });
      expect(s.log).toEqual(["attempt 1", "onRetry", "wait after 1", "attempt 2"]);
    });

    it("without it: waits as the row's policy says, then tries again", async () => {
      const s = scenario(full);
      await retry(s.fn, s.base);
      expect(s.log).toEqual(["attempt 1", "onRetry", "sleep 5000", "attempt 2"]);
    });
  });

  describe("wait, the row without a policy (an event, e.g. Tryll 3004, 6004)", () => {
    const busy = { action: "wait", retryable: "maybe" } as const;

    it("with its handler: runs recover.wait (until that agent's TurnComplete), then tries again", async () => {
      const s = scenario(busy);
      await retry(s.fn, { ...s.base, recover: s.handlers });
      expect(s.log).toEqual(["attempt 1", "onRetry", "wait after 1", "attempt 2"]);
    });

    it("without it: gives up, reason no-handler: never re-sent blindly", async () => {
      const s = scenario(busy);
      await outcome(retry(s.fn, s.base));
      expect(s.log).toEqual(["attempt 1"]);
      expect(s.gaveUp).toMatchObject([{ reason: "no-handler", attempts: 1 }]);
    });
  });

  describe("fix-request, user-action, abort: no handler runs", () => {
    for (const action of ["fix-request", "user-action", "abort"] as const) {
      it(`${action}: gives up, reason not-retryable, even with every handler and retryable yes`, async () => {
        const s = scenario({ action, retryable: "yes" });
        await outcome(retry(s.fn, { ...s.base, recover: s.handlers }));
        expect(s.log).toEqual(["attempt 1"]);
        expect(s.gaveUp).toMatchObject([{ reason: "not-retryable", attempts: 1, recoveries: 0 }]);
      });
    }
  });
});

describe("the rules around the table", () => {
  it("shouldRetry replaces the decision; the action's handler still runs before the next attempt", async () => {
    const handled = scenario({ action: "reset" });
    await retry(handled.fn, { ...handled.base, recover: handled.handlers, shouldRetry: () => true });
    expect(handled.log).toEqual(["attempt 1", "onRetry", "reset after 1", "attempt 2"]);
    // It may send a reset or an event-wait again without a handler: the caller decided.
    const forced = scenario({ action: "wait" });
    await retry(forced.fn, { ...forced.base, shouldRetry: () => true });
    expect(forced.log).toEqual(["attempt 1", "onRetry", "sleep 1000", "attempt 2"]);
    // And it may refuse what the table would do: no handler runs.
    const refused = scenario({ action: "reset" });
    await outcome(retry(refused.fn, { ...refused.base, recover: refused.handlers, shouldRetry: () => false }));
    expect(refused.log).toEqual(["attempt 1"]);
    expect(refused.gaveUp).toMatchObject([{ reason: "not-retryable" }]);
  });

  it("a throwing shouldRetry gives up, reason hook-failed, its failure attached", async () => {
    const s = scenario({ action: "retry" });
    const failure = new Error("predicate bug");
    const { error } = await outcome(
      retry(s.fn, {
        ...s.base,
        shouldRetry: () => {
          throw failure;
        },
      }),
    );
    expect(error).toMatchObject({ action: "retry", shouldRetryError: failure });
    expect(s.gaveUp).toMatchObject([{ reason: "hook-failed" }]);
  });

  it("a handler's run is not an attempt, and at most maxRecoveries run per call (default 3)", async () => {
    const s = scenario({ action: "reset", retryable: "no" }, 100);
    await outcome(retry(s.fn, { ...s.base, recover: s.handlers, maxAttempts: 10 }));
    expect(s.log.filter((line) => line.startsWith("reset"))).toHaveLength(3);
    expect(s.log.filter((line) => line.startsWith("attempt"))).toHaveLength(4);
    expect(s.gaveUp).toMatchObject([{ reason: "exhausted", attempts: 4, recoveries: 3 }]);
    const none = scenario({ action: "reset", retryable: "no" }, 100);
    await outcome(retry(none.fn, { ...none.base, recover: none.handlers, maxRecoveries: 0 }));
    expect(none.log).toEqual(["attempt 1"]);
    expect(none.gaveUp).toMatchObject([{ reason: "exhausted", attempts: 1, recoveries: 0 }]);
  });

  it("the attempt after a handler counts as usual: a 'maybe' wait gets one more attempt", async () => {
    const s = scenario({ action: "wait", retryable: "maybe" }, 100);
    await outcome(retry(s.fn, { ...s.base, recover: s.handlers }));
    expect(s.log).toEqual(["attempt 1", "onRetry", "wait after 1", "attempt 2"]);
    expect(s.gaveUp).toMatchObject([{ reason: "exhausted", attempts: 2, recoveries: 1 }]);
  });

  it("each handler run draws on the budget, beside the retry's own token", async () => {
    const poor = scenario({ action: "reset" });
    const budget = retryBudget({ capacity: 1 });
    await outcome(retry(poor.fn, { ...poor.base, recover: poor.handlers, budget }));
    expect(poor.log).toEqual(["attempt 1"]);
    expect(poor.gaveUp).toMatchObject([{ reason: "budget", recoveries: 0 }]);
    const enough = scenario({ action: "reset" });
    const two = retryBudget({ capacity: 2 });
    expect(await outcome(retry(enough.fn, { ...enough.base, recover: enough.handlers, budget: two }))).toEqual({
      value: "ok",
    });
    expect(two.tokens).toBeCloseTo(0.1);
    // Without a handler the table's own verdict comes first: a reset is not worth a token.
    const free = retryBudget({ capacity: 1 });
    const bare = scenario({ action: "reset" });
    await outcome(retry(bare.fn, { ...bare.base, budget: free }));
    expect([free.tokens, bare.gaveUp[0]?.reason]).toEqual([1, "no-handler"]);
  });

  it("a failing handler ends the retry with the protocol error, its failure attached, reason handler-failed", async () => {
    for (const reset of [
      () => {
        throw new Error("register failed");
      },
      async () => {
        throw new Error("register failed");
      },
    ]) {
      const s = scenario({ action: "reset" });
      const { error } = await outcome(retry(s.fn, { ...s.base, recover: { reset } }));
      expect(error).toMatchObject({ action: "reset", attempts: 1, recoverError: { message: "register failed" } });
      expect(s.gaveUp).toMatchObject([{ reason: "handler-failed", attempts: 1, recoveries: 1 }]);
    }
  });

  it("handlers run under the caller's signal; an abort during one rejects with the signal's reason", async () => {
    const controller = new AbortController();
    const clock = manualClock();
    const gaveUp: GiveUpEvent[] = [];
    const seen: AbortSignal[] = [];
    const failure = errorOf({ action: "reset" });
    const pending = retry(
      () => {
        throw failure;
      },
      {
        signal: controller.signal,
        clock,
        onGiveUp: (event) => gaveUp.push(event),
        recover: {
          reset: (_error, { signal }) => {
            seen.push(signal);
            return new Promise(() => {});
          },
        },
      },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([controller.signal]);
    controller.abort(new Error("shutting down"));
    await expect(pending).rejects.toThrow("shutting down");
    // The last protocol error reaches the caller through onGiveUp, as fetch keeps the reason as the rejection.
    expect(gaveUp).toEqual([{ error: failure, attempts: 1, recoveries: 1, reason: "aborted" }]);
  });

  it("an abort during a reconnect's backoff never runs the handler", async () => {
    const controller = new AbortController();
    const clock = manualClock();
    const ran: number[] = [];
    const pending = retry(
      () => {
        throw errorOf({ action: "reconnect" });
      },
      { signal: controller.signal, clock, recover: { reconnect: (_e, { attempt }) => ran.push(attempt) } },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pending).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    clock.advance(60_000);
    expect(ran).toEqual([]);
  });

  it("onGiveUp is called once per give-up, and its own failure never replaces the error", async () => {
    let calls = 0;
    const failure = errorOf({ action: "fix-request" });
    for (const onGiveUp of [
      () => {
        calls++;
        throw new Error("logger down");
      },
      async () => {
        calls++;
        throw new Error("logger down");
      },
    ]) {
      await expect(
        retry(
          () => {
            throw failure;
          },
          { onGiveUp },
        ),
      ).rejects.toBe(failure);
    }
    expect(calls).toBe(2);
  });

  it("an abort before any attempt failed tells onGiveUp the signal's reason", async () => {
    const gaveUp: GiveUpEvent[] = [];
    const signal = AbortSignal.abort(new Error("gone"));
    await expect(retry(() => 1, { signal, onGiveUp: (e) => gaveUp.push(e) })).rejects.toThrow("gone");
    expect(gaveUp).toEqual([{ error: signal.reason, attempts: 0, recoveries: 0, reason: "aborted" }]);
  });

  it("a throwing onRetry gives up, reason hook-failed", async () => {
    const s = scenario({ action: "retry" });
    await outcome(
      retry(s.fn, {
        ...s.base,
        onRetry: () => {
          throw new Error("hook");
        },
      }),
    );
    expect(s.gaveUp).toMatchObject([{ reason: "hook-failed" }]);
  });

  it("running out of attempts gives up, reason exhausted", async () => {
    const s = scenario({ action: "retry" }, 100);
    await outcome(retry(s.fn, { ...s.base, maxAttempts: 3 }));
    expect(s.gaveUp).toMatchObject([{ reason: "exhausted", attempts: 3, recoveries: 0 }]);
  });
});

describe("RECOVERY_PLAN and RECOVERY_ACTIONS", () => {
  it("cover the eight actions, and each text says what retry() does", () => {
    const actions = Object.keys(RECOVERY_ACTIONS).sort();
    expect(Object.keys(RECOVERY_PLAN).sort()).toEqual(actions);
    expect(actions).toHaveLength(8);
    for (const text of Object.values(RECOVERY_ACTIONS)) expect(text).toContain("retry()");
    for (const [action, step] of Object.entries(RECOVERY_PLAN))
      if (step.handler) expect(RECOVERY_ACTIONS[action as RecoveryAction]).toContain(`recover.${step.handler}`);
  });
});

// Every cell of the table under every rule around it: the rows as data, one expectation per cell.
describe("the table × the rules: every cell with shouldRetry, on abort, against the budget and maxRecoveries", () => {
  const rows: {
    label: string;
    row: Row;
    handler?: "reconnect" | "reset" | "wait";
    without: "again" | "no-handler" | "not-retryable";
  }[] = [
    { label: "retry", row: { action: "retry" }, without: "again" },
    { label: "throttle", row: { action: "throttle" }, without: "again" },
    { label: "reconnect", row: { action: "reconnect" }, handler: "reconnect", without: "again" },
    { label: "reset", row: { action: "reset" }, handler: "reset", without: "no-handler" },
    { label: "wait (poll)", row: { action: "wait", policy: { baseMs: 5000 } }, handler: "wait", without: "again" },
    { label: "wait (event)", row: { action: "wait" }, handler: "wait", without: "no-handler" },
    { label: "fix-request", row: { action: "fix-request" }, without: "not-retryable" },
    { label: "user-action", row: { action: "user-action" }, without: "not-retryable" },
    { label: "abort", row: { action: "abort" }, without: "not-retryable" },
  ];
  const cells = rows.flatMap((r) => [true, false].map((withHandler) => ({ ...r, withHandler })));
  const name = (c: (typeof cells)[number]) => `${c.label}, ${c.withHandler ? "with" : "without"} handlers`;
  // What the table does in a cell: send again (and whether a handler runs), or give up for a reason.
  const verdict = (c: (typeof cells)[number]) => {
    if (c.handler && c.withHandler) return { again: true, handler: true };
    return c.without === "again" ? { again: true, handler: false } : { again: false, reason: c.without };
  };
  const ran = (log: string[]) => log.filter((line) => /^(reconnect|reset|wait) /.test(line)).length;

  it.each(cells.map((c) => [name(c), c] as const))("%s: the table's own verdict", async (_, c) => {
    const s = scenario(c.row);
    const result = await outcome(retry(s.fn, { ...s.base, ...(c.withHandler && { recover: s.handlers }) }));
    const v = verdict(c);
    if (v.again) expect(result).toEqual({ value: "ok" });
    else expect(s.gaveUp).toMatchObject([{ reason: v.reason, attempts: 1 }]);
    expect(ran(s.log)).toBe(v.handler ? 1 : 0);
  });

  it.each(cells.map((c) => [name(c), c] as const))(
    "%s: shouldRetry true sends again, the handler still runs",
    async (_, c) => {
      const s = scenario(c.row);
      const result = await outcome(
        retry(s.fn, { ...s.base, shouldRetry: () => true, ...(c.withHandler && { recover: s.handlers }) }),
      );
      expect(result).toEqual({ value: "ok" });
      expect(ran(s.log)).toBe(c.handler && c.withHandler ? 1 : 0);
    },
  );

  it.each(cells.map((c) => [name(c), c] as const))("%s: shouldRetry false gives up, no handler runs", async (_, c) => {
    const s = scenario(c.row);
    await outcome(retry(s.fn, { ...s.base, shouldRetry: () => false, ...(c.withHandler && { recover: s.handlers }) }));
    expect(s.gaveUp).toMatchObject([{ reason: "not-retryable", attempts: 1, recoveries: 0 }]);
    expect(ran(s.log)).toBe(0);
  });

  it.each(cells.map((c) => [name(c), c] as const))(
    "%s: an abort rejects with the signal's reason, onGiveUp gets the error",
    async (_, c) => {
      const s = scenario(c.row);
      const controller = new AbortController();
      const reason = new Error("caller gone");
      let failure: unknown;
      const fn = (attempt: number) => {
        s.log.push(`attempt ${attempt}`);
        controller.abort(reason);
        failure = errorOf(c.row);
        throw failure;
      };
      const result = await outcome(
        retry(fn, { ...s.base, signal: controller.signal, ...(c.withHandler && { recover: s.handlers }) }),
      );
      expect(result).toEqual({ error: reason });
      expect(s.gaveUp).toEqual([{ error: failure, attempts: 1, recoveries: 0, reason: "aborted" }]);
      expect(ran(s.log)).toBe(0);
    },
  );

  it.each(cells.map((c) => [name(c), c] as const))(
    "%s: an empty budget stops what would be sent again",
    async (_, c) => {
      const s = scenario(c.row);
      const budget = retryBudget({ capacity: 0 });
      await outcome(retry(s.fn, { ...s.base, budget, ...(c.withHandler && { recover: s.handlers }) }));
      const v = verdict(c);
      expect(s.gaveUp).toMatchObject([{ reason: v.again ? "budget" : v.reason, attempts: 1, recoveries: 0 }]);
      expect(ran(s.log)).toBe(0);
    },
  );

  it.each(cells.map((c) => [name(c), c] as const))(
    "%s: maxRecoveries 0 stops a handler, nothing else",
    async (_, c) => {
      const s = scenario(c.row);
      const result = await outcome(
        retry(s.fn, { ...s.base, maxRecoveries: 0, ...(c.withHandler && { recover: s.handlers }) }),
      );
      const v = verdict(c);
      if (v.handler) expect(s.gaveUp).toMatchObject([{ reason: "exhausted", attempts: 1, recoveries: 0 }]);
      else if (v.again) expect(result).toEqual({ value: "ok" });
      else expect(s.gaveUp).toMatchObject([{ reason: v.reason }]);
      expect(ran(s.log)).toBe(0);
    },
  );
});
