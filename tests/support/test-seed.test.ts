import { describe, expect, it } from "vitest";
import { chooseTestSeed, reproduceWith } from "./test-seed";

describe("chooseTestSeed", () => {
  it("takes the seed from AFTERGLOW_TEST_SEED, negative ones included", () => {
    expect(chooseTestSeed({ AFTERGLOW_TEST_SEED: "12345" })).toBe(12345);
    expect(chooseTestSeed({ AFTERGLOW_TEST_SEED: "-7" })).toBe(-7);
  });

  it("picks a 31-bit seed when none is given", () => {
    const seed = chooseTestSeed({});
    expect(Number.isInteger(seed)).toBe(true);
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(seed).toBeLessThan(2 ** 31);
  });

  it("refuses a value that is not a 32-bit integer instead of running with another seed", () => {
    for (const bad of ["abc", "1.5", "4294967296", "2147483648", " 1"]) {
      expect(() => chooseTestSeed({ AFTERGLOW_TEST_SEED: bad }), bad).toThrow(/AFTERGLOW_TEST_SEED must be an integer/);
    }
  });

  it("tells how to repeat a run", () => {
    expect(reproduceWith(42)).toBe("AFTERGLOW_TEST_SEED=42");
  });
});
