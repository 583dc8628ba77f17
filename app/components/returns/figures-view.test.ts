import { describe, expect, it } from "vitest";
import { bucketLabel, changeText, rateChangeText, returnRate } from "./figures-view";

describe("return figures arithmetic", () => {
  it.each([
    [0, 0, null],
    [0, 10, 0],
    [1, 3, 33.3],
    [2, 3, 66.7],
    [1, 8, 12.5],
    [7, 7, 100],
  ])("returnRate(%i refunded of %i orders) = %s", (refunded, orders, rate) => {
    expect(returnRate(refunded, orders)).toBe(rate);
  });

  it.each([
    [12.5, 10, "▲ 2.5 points vs previous period"],
    [10, 12.5, "▼ 2.5 points vs previous period"],
    [10, 10, "→ same as the previous period"],
    [10, null, "No orders to compare with in the previous period"],
    [null, 3, "No orders to compare with in the previous period"],
  ])("rateChangeText(%s, %s)", (current, previous, text) => {
    expect(rateChangeText(current, previous)).toBe(text);
  });

  it.each([
    [120, 100, "▲ 20% vs previous period"],
    [50, 200, "▼ 75% vs previous period"],
    [0, 0, "→ same as the previous period"],
    [10, 0, "Nothing in the previous period"],
    [1001, 1000, "→ about the same as the previous period"],
  ])("changeText(%i, %i)", (current, previous, text) => {
    expect(changeText(current, previous)).toBe(text);
  });

  it("labels weeks by their first day and months with their year, short enough for the chart's axis", () => {
    expect(bucketLabel("2026-03-04", "week")).toBe("Mar 4");
    expect(bucketLabel("2026-03", "month")).toBe("Mar '26");
    expect(bucketLabel("2025-11", "month")).not.toBe(bucketLabel("2026-11", "month"));
    expect(bucketLabel("2026-12", "month").length).toBeLessThanOrEqual(7);
  });
});
