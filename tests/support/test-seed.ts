import { randomInt } from "node:crypto";

/**
 * One seed per test run for everything random in the tests: fast-check's property tests (set as its global seed
 * in tests/support/setup.ts) and the seeded generators tests build with `mulberry32(testSeed())`.
 * Set AFTERGLOW_TEST_SEED to repeat a run exactly; unset, the global setup picks one and prints it, and a failing
 * run prints it again at the end, so any failure is reproduced with one variable.
 */
export const TEST_SEED_VARIABLE = "AFTERGLOW_TEST_SEED";

/** The seed given in the environment, or a fresh one. Throws on a value that is not a 32-bit integer. */
export function chooseTestSeed(env: Record<string, string | undefined> = process.env): number {
  const given = env[TEST_SEED_VARIABLE];
  if (given === undefined || given === "") return randomInt(0, 2 ** 31);
  if (!/^-?\d{1,10}$/.test(given) || !Number.isSafeInteger(Number(given)) || Math.abs(Number(given)) >= 2 ** 31) {
    throw new Error(`${TEST_SEED_VARIABLE} must be an integer between -2^31 and 2^31, got ${JSON.stringify(given)}`);
  }
  return Number(given);
}

/** How to repeat this run: printed at the start and with a failure. */
export const reproduceWith = (seed: number) => `${TEST_SEED_VARIABLE}=${seed}`;
