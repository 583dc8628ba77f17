import { describe, expect, it } from "vitest";
import { presetRange } from "./date-range";
import { periodEnd, periodState } from "./partial-period";

const at = (iso: string) => new Date(iso);

describe("periodState: a bucket is partial while its UTC period runs, or when the range covers part of it", () => {
  const week = { from: at("2026-11-27T00:00:00Z"), to: at("2026-12-04T00:00:00Z") };

  it("a week is in progress up to the last millisecond of its seventh UTC day, complete at UTC midnight after it", () => {
    expect(periodState(week.from, "week", week, at("2026-11-27T00:00:00Z"))).toBe("in-progress");
    expect(periodState(week.from, "week", week, at("2026-12-03T23:59:59.999Z"))).toBe("in-progress");
    expect(periodState(week.from, "week", week, at("2026-12-04T00:00:00Z"))).toBe("complete");
  });

  it("a month is in progress until UTC midnight of the 1st of the next month (whatever the shop's zone)", () => {
    const year = { from: at("2026-01-01T00:00:00Z"), to: at("2027-01-01T00:00:00Z") };
    expect(periodState(at("2026-11-01T00:00:00Z"), "month", year, at("2026-11-30T23:59:59.999Z"))).toBe("in-progress");
    expect(periodState(at("2026-11-01T00:00:00Z"), "month", year, at("2026-12-01T00:00:00Z"))).toBe("complete");
    expect(periodState(at("2026-12-01T00:00:00Z"), "month", year, at("2026-12-01T00:00:00Z"))).toBe("in-progress");
    // A bucket that has not started yet (a custom range reaching into the future) is not complete either.
    expect(periodState(at("2026-12-01T00:00:00Z"), "month", year, at("2026-10-15T00:00:00Z"))).toBe("in-progress");
  });

  it("a month the range starts or ends inside is cut; the months between are complete", () => {
    const range = { from: at("2025-12-04T00:00:00Z"), to: at("2026-03-10T00:00:00Z") };
    const now = at("2026-06-01T00:00:00Z");
    expect(periodState(at("2025-12-01T00:00:00Z"), "month", range, now)).toBe("cut");
    expect(periodState(at("2026-01-01T00:00:00Z"), "month", range, now)).toBe("complete");
    expect(periodState(at("2026-02-01T00:00:00Z"), "month", range, now)).toBe("complete");
    expect(periodState(at("2026-03-01T00:00:00Z"), "month", range, now)).toBe("cut");
  });

  it("the last 30 days: four whole weeks, then a two-day week holding today, which is in progress", () => {
    const now = at("2026-12-03T15:00:00Z");
    const range = presetRange("30d", now);
    const starts = [0, 7, 14, 21, 28].map((d) => new Date(range.from.getTime() + d * 86_400_000));
    expect(starts.map((s) => periodState(s, "week", range, now))).toEqual(["complete", "complete", "complete", "complete", "in-progress"]);
    // The next day the same range, seen afterwards (a custom range), ends with a cut week instead.
    expect(periodState(starts[4]!, "week", range, at("2026-12-20T00:00:00Z"))).toBe("cut");
  });

  it("periodEnd: 7 days for a week; the 1st of the next month for a month, across a year end", () => {
    expect(periodEnd(at("2026-12-28T00:00:00Z"), "week").toISOString()).toBe("2027-01-04T00:00:00.000Z");
    expect(periodEnd(at("2026-12-01T00:00:00Z"), "month").toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(periodEnd(at("2026-02-01T00:00:00Z"), "month").toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });
});
