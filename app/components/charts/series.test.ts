import { describe, expect, it } from "vitest";
import { axisMoney, barSeries, lineSeries, partialNote, pointKey, type ChartPoint } from "./series";

const point = (label: string, value: number | null, period?: ChartPoint["period"]): ChartPoint => ({ label, value, period, description: label });

describe("chart series: a partial period is never drawn as a full point", () => {
  it("pointKey labels a period in progress 'so far' and one the range covers in part 'part'", () => {
    expect(pointKey(point("Dec 1", 3, "in-progress"))).toBe("Dec 1 (so far)");
    expect(pointKey(point("Dec '25", 3, "cut"))).toBe("Dec '25 (part)");
    expect(pointKey(point("Nov 24", 3, "complete"))).toBe("Nov 24");
    expect(pointKey(point("Nov 24", 3))).toBe("Nov 24");
    expect(partialNote({ period: "in-progress" })).toMatch(/so far/);
    expect(partialNote({ period: "complete" })).toBe("");
  });

  it("lineSeries: the solid line leaves the partial point out; a dashed series joins it to its whole neighbour", () => {
    const [solid, dashed, extra] = lineSeries("NPS", [point("Nov 10", 40), point("Nov 17", 45), point("Nov 24", 50), point("Dec 1", 10, "in-progress")]);
    expect(extra).toBeUndefined();
    expect(solid!.data).toEqual([
      { key: "Nov 10", value: 40 },
      { key: "Nov 17", value: 45 },
      { key: "Nov 24", value: 50 },
      { key: "Dec 1 (so far)", value: null },
    ]);
    expect(dashed!.name).toBe("NPS, partial period");
    expect(dashed!.styleOverride?.line?.strokeDasharray).toBeTruthy();
    expect(dashed!.data.map((d) => d.value)).toEqual([null, null, 50, 10]);
  });

  it("lineSeries: a cut first month and an in-progress last one both go dashed; without partial periods there is one series", () => {
    const [solid, dashed] = lineSeries("CSAT", [point("Dec '25", 80, "cut"), point("Jan '26", 82), point("Feb '26", 84), point("Mar '26", 70, "in-progress")]);
    expect(solid!.data.map((d) => d.value)).toEqual([null, 82, 84, null]);
    expect(dashed!.data.map((d) => d.value)).toEqual([80, 82, 84, 70]);
    expect(lineSeries("CES", [point("a", 5), point("b", 6)])).toHaveLength(1);
  });

  it("barSeries: a partial bar moves to the lighter second series, at the same key", () => {
    const [whole, partial] = barSeries("Refunded", [point("Oct", 1000), point("Nov", 2000), point("Dec", 300, "in-progress")]);
    expect(whole!.data).toEqual([
      { key: "Oct", value: 1000 },
      { key: "Nov", value: 2000 },
      { key: "Dec (so far)", value: null },
    ]);
    expect(partial!.data).toEqual([
      { key: "Oct", value: null },
      { key: "Nov", value: null },
      { key: "Dec (so far)", value: 300 },
    ]);
    expect(partial!.color).not.toBe(whole!.color);
    expect(barSeries("Refunded", [point("Oct", 1)])).toHaveLength(1);
  });
});

describe("axisMoney", () => {
  it("writes a money axis label short, from minor units in the currency's exponent", () => {
    expect(axisMoney(10_000_000, "USD")).toBe("$100K");
    expect(axisMoney(123_456, "USD")).toBe("$1.2K");
    expect(axisMoney(0, "USD")).toBe("$0");
    expect(axisMoney(1_500_000, "JPY")).toBe("¥1.5M");
    expect(axisMoney(-250_000, "EUR")).toBe("-€2.5K");
  });
});
