// A Vitest setup file: every fast-check property in the run uses one seed, so
// a failure seen once is seen again. `FC_SEED=<n>` replays a reported seed;
// `FC_SEED=random` explores with a fresh one (printed, like any failure's).
import fc from "fast-check";
import { afterEach } from "vitest";

/** The run's default seed: fixed, so that `npm test` is the same on every machine. */
export const DEFAULT_SEED = 20_261_204;

/** Reads `FC_SEED`: unset → {@link DEFAULT_SEED}, `random` → a fresh 32-bit seed, else an integer. */
export function fastCheckSeed(env: string | undefined = process.env.FC_SEED): number {
  if (env === undefined || env === "") return DEFAULT_SEED;
  if (env === "random") return (Math.random() * 2 ** 32) | 0;
  const seed = Number(env);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`FC_SEED must be an integer or "random", got ${env}`);
  return seed;
}

const seed = fastCheckSeed();
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });

afterEach((context) => {
  if (context.task.result?.state === "fail") {
    console.error(`fast-check seed of this run: ${seed}; replay with FC_SEED=${seed}`);
  }
});
