// What the process emits during each test: the hooks listen before every test
// of the enclosing describe and stop after it, so one test's events never reach another's.
import { afterEach, beforeEach } from "vitest";

/** The warnings (`process.on("warning")`) emitted during the current test. */
export function processEvents(event: "warning"): Error[];
/** The reasons of rejections nobody handled (`process.on("unhandledRejection")`) during the current test. */
export function processEvents(event: "unhandledRejection"): unknown[];
export function processEvents(event: "warning" | "unhandledRejection"): unknown[] {
  const seen: unknown[] = [];
  const record = (value: unknown) => {
    seen.push(value);
  };
  beforeEach(() => {
    seen.length = 0;
    process.on(event, record);
  });
  afterEach(() => {
    process.off(event, record);
  });
  return seen;
}
