import { describe, expect, it } from "vitest";
import { parseDateRange, presetRange, rangeView, trendBuckets, trendGranularity } from "./date-range";

const NOW = new Date("2026-11-20T15:30:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const parse = (query: string) => parseDateRange(new URLSearchParams(query), NOW);

describe("dashboard date range", () => {
  it("defaults to the last 30 days including today, compared with the 30 days before", () => {
    expect(parse("")).toEqual({
      ok: true,
      range: { preset: "30d", from: day("2026-10-22"), to: day("2026-11-21"), previousFrom: day("2026-09-22"), previousTo: day("2026-10-22") },
    });
  });

  it.each([
    ["7d", "2026-11-14"],
    ["90d", "2026-08-23"],
    ["12m", "2025-11-21"],
  ] as const)("preset %s starts on %s and ends after today", (preset, from) => {
    const range = presetRange(preset, NOW);
    expect(range.from).toEqual(day(from));
    expect(range.to).toEqual(day("2026-11-21"));
    expect(range.previousTo).toEqual(range.from);
    expect(range.from.getTime() - range.previousFrom.getTime()).toBe(range.to.getTime() - range.from.getTime());
  });

  it("reads a custom range with an inclusive end day", () => {
    const result = parse("from=2026-01-01&to=2026-01-31");
    expect(result).toEqual({
      ok: true,
      range: { preset: "custom", from: day("2026-01-01"), to: day("2026-02-01"), previousFrom: day("2025-12-01"), previousTo: day("2026-01-01") },
    });
    expect(parse("from=2026-03-05&to=2026-03-05").range.to).toEqual(day("2026-03-06"));
  });

  it.each([
    ["from=2026-02-30&to=2026-03-01", "Dates must be real days written YYYY-MM-DD"],
    ["from=2026-01-01", "Dates must be real days written YYYY-MM-DD"],
    ["from=01/02/2026&to=2026-03-01", "Dates must be real days written YYYY-MM-DD"],
    ["from=2026-03-01&to=2026-02-01", "The end date is before the start date"],
    ["from=2020-01-01&to=2026-01-01", "Choose at most three years"],
    ["range=5y", "Unknown range 5y"],
  ])("%s falls back to the default with: %s", (query, error) => {
    const result = parse(query);
    expect(result).toMatchObject({ ok: false, error });
    expect(result.range.preset).toBe("30d");
  });

  it("trends weekly up to about three months, monthly beyond", () => {
    expect(trendGranularity(presetRange("90d", NOW))).toBe("week");
    expect(trendGranularity(presetRange("12m", NOW))).toBe("month");
  });
});

describe("trend buckets", () => {
  it.each([
    ["7 days: one week", { from: day("2026-11-14"), to: day("2026-11-21") }, "week", [["0", "2026-11-14"]]],
    ["10 days: a partial second week", { from: day("2026-11-11"), to: day("2026-11-21") }, "week", [["0", "2026-11-11"], ["1", "2026-11-18"]]],
    ["mid-month to mid-month: every month touched", { from: day("2026-01-15"), to: day("2026-03-02") }, "month", [["2026-01", "2026-01"], ["2026-02", "2026-02"], ["2026-03", "2026-03"]]],
    ["across a year end", { from: day("2025-12-01"), to: day("2026-01-01") }, "month", [["2025-12", "2025-12"]]],
  ] as const)("%s", (_label, range, granularity, expected) => {
    expect(trendBuckets(range, granularity).map((b) => [b.key, b.label])).toEqual(expected);
  });
});

describe("rangeView", () => {
  it("shows days with `to` inclusive, and the reason a range was refused", () => {
    const now = new Date("2026-11-29T15:00:00Z");
    expect(rangeView(parseDateRange(new URLSearchParams("from=2026-11-01&to=2026-11-10"), now))).toEqual({
      preset: "custom",
      from: "2026-11-01",
      to: "2026-11-10",
      previousFrom: "2026-10-22",
      previousTo: "2026-10-31",
      error: null,
    });
    expect(rangeView(parseDateRange(new URLSearchParams("from=2026-11-10&to=2026-11-01"), now))).toMatchObject({
      preset: "30d",
      to: "2026-11-29",
      error: "The end date is before the start date",
    });
  });
});

describe("date range bounds", () => {
  it.each([
    // [query, ok, error]: three years are 3 × 366 = 1,098 days, both end days counted
    ["from=2024-01-01&to=2027-01-02", true, null], // 1,098 days
    ["from=2024-01-01&to=2027-01-03", false, "Choose at most three years"], // 1,099 days
    ["to=2026-03-01", false, "Dates must be real days written YYYY-MM-DD"],
    ["from=2026-03-01&to=2026-03-01x", false, "Dates must be real days written YYYY-MM-DD"],
    ["from=x2026-03-01&to=2026-03-01", false, "Dates must be real days written YYYY-MM-DD"],
    ["from=&to=2026-03-01", false, "Dates must be real days written YYYY-MM-DD"],
    // Dates beyond the years 0–9999 round-trip as "+010000-01" / "-000001-01": not days written YYYY-MM-DD.
    ["from=%2B010000-01&to=%2B010000-01", false, "Dates must be real days written YYYY-MM-DD"],
    ["from=-000001-01&to=2026-03-01", false, "Dates must be real days written YYYY-MM-DD"],
    ["range=", false, "Unknown range "],
    [`range=${"y".repeat(30)}`, false, `Unknown range ${"y".repeat(20)}`],
    ["range=7d&from=2026-03-01&to=2026-03-02", true, null], // a custom range wins over a preset
  ])("%s → ok %s (%s)", (query, ok, error) => {
    const result = parse(query);
    if (ok) expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, error, range: presetRange("30d", NOW) });
  });

  it("each preset from the URL", () => {
    for (const preset of ["7d", "30d", "90d", "12m"] as const) expect(parse(`range=${preset}`)).toEqual({ ok: true, range: presetRange(preset, NOW) });
  });

  it.each([
    ["7d", 7],
    ["30d", 30],
    ["90d", 90],
    ["12m", 365],
  ] as const)("preset %s spans %i days, and so does its previous period", (preset, days) => {
    const range = presetRange(preset, NOW);
    expect((range.to.getTime() - range.from.getTime()) / 86_400_000).toBe(days);
    expect((range.previousTo.getTime() - range.previousFrom.getTime()) / 86_400_000).toBe(days);
  });

  it("is weekly up to exactly 100 days, monthly from 101", () => {
    expect(trendGranularity({ preset: "custom", from: day("2026-01-01"), to: day("2026-04-11"), previousFrom: day("2025-01-01"), previousTo: day("2026-01-01") })).toBe("week");
    expect(trendGranularity({ preset: "custom", from: day("2026-01-01"), to: day("2026-04-12"), previousFrom: day("2025-01-01"), previousTo: day("2026-01-01") })).toBe("month");
  });

  it("buckets carry their first instant", () => {
    expect(trendBuckets({ from: day("2026-11-11"), to: day("2026-11-21") }, "week").map((b) => b.start)).toEqual([day("2026-11-11"), day("2026-11-18")]);
    expect(trendBuckets({ from: day("2026-01-15"), to: day("2026-03-01") }, "month").map((b) => b.start)).toEqual([day("2026-01-01"), day("2026-02-01")]);
    expect(trendBuckets({ from: day("2026-01-15"), to: day("2026-01-15") }, "week")).toEqual([]);
  });
});
