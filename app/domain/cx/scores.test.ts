import { describe, expect, it } from "vitest";
import {
  cesFigure,
  csatFigure,
  delta,
  MIN_TRUSTED_SAMPLE,
  npsFigure,
  percent1,
  responseRateFigure,
  roundRatio,
  shareFigure,
} from "./scores";

describe("roundRatio: whole numbers, halves away from zero", () => {
  it.each([
    [5, 2, 3], // 2.5 → 3
    [-5, 2, -3], // −2.5 → −3 (Math.round would give −2)
    [1, 3, 0],
    [-1, 3, 0], // no "−0"
    [2, 3, 1],
    [-2, 3, -1],
    [100, 1, 100],
    [0, 7, 0],
  ])("%i / %i → %i", (num, den, expected) => {
    expect(Object.is(roundRatio(num, den), expected)).toBe(true);
  });

  it("refuses a zero denominator", () => {
    expect(() => roundRatio(1, 0)).toThrow(RangeError);
  });
});

describe("NPS", () => {
  it.each([
    // promoters, passives, detractors → NPS
    { counts: [0, 0, 0], nps: null, label: "no answers" },
    { counts: [0, 10, 0], nps: 0, label: "all passives" },
    { counts: [1, 0, 0], nps: 100, label: "one promoter" },
    { counts: [0, 0, 1], nps: -100, label: "one detractor" },
    { counts: [5, 3, 2], nps: 30, label: "50 % − 20 %" },
    { counts: [1, 6, 1], nps: 0, label: "balanced" },
    // 1 promoter, 1 passive: 50 %: exactly .5 boundaries below
    { counts: [3, 4, 1], nps: 25, label: "37.5 − 12.5" },
    { counts: [1, 198, 0], nps: 1, label: "0.5025 → 1" },
    { counts: [1, 1, 0], nps: 50, label: "half" },
    { counts: [3, 2, 3], nps: 0, label: "3 of each side" },
    { counts: [0, 1, 1], nps: -50, label: "−50" },
    { counts: [1, 197, 2], nps: -1, label: "−0.5 rounds to −1, away from zero" },
    { counts: [3, 196, 1], nps: 1, label: "+1.0" },
    { counts: [1, 198, 1], nps: 0, label: "0" },
  ])("$label", ({ counts: [promoters, passives, detractors], nps }) => {
    const figure = npsFigure({ promoters: promoters!, passives: passives!, detractors: detractors! });
    expect(figure.value).toBe(nps);
    expect(figure.count).toBe(promoters! + passives! + detractors!);
  });

  it("gives the split in percent and its counts", () => {
    const figure = npsFigure({ promoters: 1, passives: 1, detractors: 1 });
    expect(figure.split).toEqual({ promoters: 33.3, passives: 33.3, detractors: 33.3 });
    expect(figure.counts).toEqual({ promoters: 1, passives: 1, detractors: 1 });
    expect(npsFigure({ promoters: 0, passives: 0, detractors: 0 })).toMatchObject({ split: null, margin: null, tooSmall: false });
  });

  it("computes the 95 % margin of error from the score's variance", () => {
    // p = .5, d = .2 → variance = .7 − .09 = .61; n = 400 → 1.96 · √(.61/400) · 100 = 7.65…
    const figure = npsFigure({ promoters: 200, passives: 120, detractors: 80 });
    expect(figure.value).toBe(30);
    expect(figure.margin).toBe(7.7);
    expect(figure.tooSmall).toBe(false);
    // all passives: no variance at all
    expect(npsFigure({ promoters: 0, passives: 50, detractors: 0 }).margin).toBe(0);
  });

  it.each([
    // [promoters, passives, detractors] → margin: 100 · 1.96 · √((p + d − (p − d)²) / n), one decimal
    [[1, 1, 1], 92.4], // p = d = ⅓: variance ⅔, n = 3
    [[10, 0, 10], 43.8], // p = d = ½: variance 1, n = 20 → 196/√20
    [[5, 3, 2], 48.4], // variance .7 − .09 = .61, n = 10
    [[1, 0, 0], 0], // everyone agrees: no spread
    [[0, 0, 5], 0],
  ] as const)("%j has a margin of exactly %s NPS points", ([promoters, passives, detractors], margin) => {
    expect(npsFigure({ promoters, passives, detractors }).margin).toBe(margin);
  });

  it("flags samples under the trusted size", () => {
    expect(MIN_TRUSTED_SAMPLE).toBe(30);
    expect(npsFigure({ promoters: 1, passives: 0, detractors: 0 }).tooSmall).toBe(true);
    expect(npsFigure({ promoters: 29, passives: 0, detractors: 0 }).tooSmall).toBe(true);
    expect(npsFigure({ promoters: 30, passives: 0, detractors: 0 }).tooSmall).toBe(false);
  });

  it("rejects impossible counts", () => {
    expect(() => npsFigure({ promoters: -1, passives: 0, detractors: 0 })).toThrow(RangeError);
    expect(() => npsFigure({ promoters: 1.5, passives: 0, detractors: 0 })).toThrow(RangeError);
  });
});

describe("CSAT and shares", () => {
  it.each([
    [0, 0, null],
    [1, 1, 100],
    [0, 1, 0],
    [2, 3, 66.7],
    [1, 8, 12.5],
    [1, 16, 6.3], // 6.25 → 6.3, half away from zero
  ])("%i satisfied of %i → %s %", (hits, n, value) => {
    expect(csatFigure(hits, n).value).toBe(value);
  });

  it("has a Wilson margin that stays sensible at the extremes", () => {
    // 100 of 100: the normal approximation would say ±0; Wilson does not: 1.96·√(3.8416/40000) / 1.038416 ≈ 1.85 points.
    expect(shareFigure(100, 100).margin).toBe(1.8);
    // 80 of 100: Wilson half-width = 1.96·√(.0016 + 3.8416/40000) / 1.038416 ≈ 7.77 points
    expect(shareFigure(80, 100).margin).toBe(7.8);
    expect(shareFigure(1, 1)).toMatchObject({ value: 100, tooSmall: true });
  });

  it.each([
    // hits, n → Wilson half-width in points: 1.96·√(p(1−p)/n + 1.96²/4n²) / (1 + 1.96²/n), one decimal
    [0, 100, 1.8], // symmetric with 100 of 100
    [0, 1, 39.7],
    [1, 1, 39.7],
    [1, 2, 40.5],
    [5, 10, 26.3],
    [3, 10, 24.8],
    [29, 30, 8],
  ])("%i of %i has a margin of exactly %s points", (hits, n, margin) => {
    expect(shareFigure(hits, n)).toEqual({ value: expect.any(Number) as number, count: n, margin, tooSmall: n < MIN_TRUSTED_SAMPLE });
  });

  it("rejects more hits than answers", () => {
    expect(() => shareFigure(3, 2)).toThrow(RangeError);
  });
});

describe("CES", () => {
  it("gives the mean, its margin, and the share answering 5 or more", () => {
    // answers 7, 5, 3, 1: mean 4, sample variance (49+25+9+1 − 4·16)/3 = 20/3
    const figure = cesFigure({ answers: 4, sum: 16, sumOfSquares: 84, easy: 2 });
    expect(figure.value).toBe(4);
    expect(figure.margin).toBe(2.53); // 1.96 · √((20/3)/4)
    expect(figure.easyShare.value).toBe(50);
    expect(figure.tooSmall).toBe(true);
  });

  it.each([
    // answers, sum, sum of squares → margin: 1.96 · √(s² / n), two decimals
    [{ answers: 2, sum: 8, sumOfSquares: 34, easy: 1 }, 4, 1.96], // 3 and 5: s² = 2 → 1.96·√1
    [{ answers: 3, sum: 15, sumOfSquares: 75, easy: 3 }, 5, 0], // all 5: no spread
  ])("%j → mean %s, margin exactly %s", (counts, value, margin) => {
    expect(cesFigure(counts)).toMatchObject({ value, margin, count: counts.answers, tooSmall: true });
  });

  it("handles one answer and no answers", () => {
    expect(cesFigure({ answers: 1, sum: 6, sumOfSquares: 36, easy: 1 })).toMatchObject({ value: 6, margin: null, count: 1 });
    expect(cesFigure({ answers: 0, sum: 0, sumOfSquares: 0, easy: 0 })).toMatchObject({ value: null, count: 0, easyShare: { value: null } });
  });

  it("rounds the mean to one decimal", () => {
    // 5, 5, 6 → 5.333…
    expect(cesFigure({ answers: 3, sum: 16, sumOfSquares: 86, easy: 3 }).value).toBe(5.3);
  });
});

describe("response rate", () => {
  it.each([
    [0, 0, null],
    [0, 10, 0],
    [3, 10, 30],
    [1, 3, 33.3],
  ])("%i answered of %i orders → %s %", (answered, orders, value) => {
    expect(responseRateFigure(answered, orders).value).toBe(value);
  });

  it("periods with orders but no answers give 0 %, not 'no data'", () => {
    expect(responseRateFigure(0, 250)).toMatchObject({ value: 0, count: 250, tooSmall: false });
  });
});

describe("deltas and percentages", () => {
  it("compares with the previous period only when both have a value", () => {
    expect(delta(30, 25)).toBe(5);
    expect(delta(4.1, 4.3)).toBe(-0.2);
    expect(delta(null, 25)).toBeNull();
    expect(delta(30, null)).toBeNull();
  });

  it("rounds percentages to one decimal", () => {
    expect(percent1(1, 3)).toBe(33.3);
    expect(percent1(2, 3)).toBe(66.7);
    expect(percent1(1, 8)).toBe(12.5);
  });
});

describe("refusals name what was wrong", () => {
  it.each([
    ["a zero denominator", () => roundRatio(1, 0), "denominator must be positive"],
    ["a negative denominator", () => roundRatio(1, -2), "denominator must be positive"],
    ["a negative NPS count", () => npsFigure({ promoters: 0, passives: 0, detractors: -1 }), "counts must be non-negative integers, got -1"],
    ["a fractional NPS count", () => npsFigure({ promoters: 1.5, passives: 0, detractors: 0 }), "counts must be non-negative integers, got 1.5"],
    ["a fractional share", () => shareFigure(1.5, 3), "counts must be non-negative integers, got 1.5"],
    ["a negative sample", () => shareFigure(0, -3), "counts must be non-negative integers, got -3"],
    ["more hits than the sample", () => shareFigure(3, 2), "hits cannot exceed the sample"],
    ["a negative CES sum", () => cesFigure({ answers: 2, sum: -1, sumOfSquares: 1, easy: 0 }), "counts must be non-negative integers, got -1"],
    ["a fractional CES answer count", () => cesFigure({ answers: 2.5, sum: 5, sumOfSquares: 13, easy: 0 }), "counts must be non-negative integers, got 2.5"],
    ["a negative response count", () => responseRateFigure(-1, 10), "counts must be non-negative integers, got -1"],
    ["a negative response count, no orders", () => responseRateFigure(-1, 0), "counts must be non-negative integers, got -1"],
    ["a fractional order count", () => responseRateFigure(1, 2.5), "counts must be non-negative integers, got 2.5"],
  ])("%s", (_what, run, message) => {
    expect(run).toThrow(new RangeError(message));
  });

  it("caps answered orders at the orders (an answer can arrive for an order outside the period)", () => {
    expect(responseRateFigure(12, 10)).toEqual({ value: 100, count: 10, margin: 13.9, tooSmall: true });
    expect(responseRateFigure(0, 0)).toEqual({ value: null, count: 0, margin: null, tooSmall: false });
  });

  it("one CES answer has no margin, two have one", () => {
    expect(cesFigure({ answers: 1, sum: 7, sumOfSquares: 49, easy: 1 })).toEqual({
      value: 7,
      count: 1,
      margin: null,
      tooSmall: true,
      easyShare: { value: 100, count: 1, margin: 39.7, tooSmall: true },
    });
  });
});
