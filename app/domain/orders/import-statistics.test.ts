import { describe, expect, it } from "vitest";
import { nextStatisticsRefresh, STATISTICS_FIRST } from "./import-statistics";

describe("nextStatisticsRefresh", () => {
  it("is the first threshold before any order, and until it is reached", () => {
    expect(STATISTICS_FIRST).toBe(1_000);
    expect(nextStatisticsRefresh(0)).toBe(1_000);
    expect(nextStatisticsRefresh(999)).toBe(1_000);
  });

  it("doubles once a threshold is reached: reaching it exactly counts", () => {
    expect(nextStatisticsRefresh(1_000)).toBe(2_000);
    expect(nextStatisticsRefresh(1_999)).toBe(2_000);
    expect(nextStatisticsRefresh(2_000)).toBe(4_000);
  });

  it("resumes where a crashed import left off, not from the start", () => {
    expect(nextStatisticsRefresh(500_000)).toBe(512_000);
    expect(nextStatisticsRefresh(1_000_000)).toBe(1_024_000);
  });
});
