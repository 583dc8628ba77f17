import { describe, expect, it } from "vitest";
import { tierProgress } from "./rewards-view";

describe("tierProgress", () => {
  it.each([
    { value: 0, from: 0, threshold: 25_000, expected: 0 },
    { value: 12_500, from: 0, threshold: 25_000, expected: 0.5 },
    { value: 40_000, from: 25_000, threshold: 100_000, expected: 0.2 },
    { value: 24_999, from: 0, threshold: 25_000, expected: 0.99996 },
    // a stale tier (the value dropped below its threshold after a refund) shows no progress, never a negative one
    { value: 10_000, from: 25_000, threshold: 100_000, expected: 0 },
    // past the threshold before the tier was recomputed: full
    { value: 120_000, from: 25_000, threshold: 100_000, expected: 1 },
    // a degenerate span cannot divide by zero
    { value: 5, from: 5, threshold: 5, expected: 1 },
  ])("$value between $from and $threshold → $expected", ({ value, from, threshold, expected }) => {
    expect(tierProgress({ value, from, threshold })).toBeCloseTo(expected, 6);
  });
});
