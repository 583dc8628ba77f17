import { describe, expect, it } from "vitest";
import { BAND_RANGES, BANDS_BY_QUESTION, bandRange, SCORE_QUESTIONS, scoreBand, UNHAPPY_AT_MOST } from "./score-bands";

describe("scoreBand", () => {
  it.each([
    ["nps", 0, "detractor"],
    ["nps", 6, "detractor"],
    ["nps", 7, "passive"],
    ["nps", 8, "passive"],
    ["nps", 9, "promoter"],
    ["nps", 10, "promoter"],
    ["csat", 2, "low"],
    ["csat", 3, null],
    ["csat", 4, "high"],
    ["ces", 3, "low"],
    ["ces", 4, null],
    ["ces", 5, "high"],
    ["csat", 1, "low"],
    ["csat", 5, "high"],
    ["csat", 6, null],
    ["ces", 1, "low"],
    ["ces", 7, "high"],
    ["ces", 8, null],
    ["nps", 11, null],
    ["nps", -1, null],
  ] as const)("%s %s → %s", (question, score, band) => {
    expect(scoreBand(question, score)).toBe(band);
  });
});

describe("the bands", () => {
  it("are the questions' score ranges, inclusive", () => {
    expect(SCORE_QUESTIONS).toEqual(["nps", "csat", "ces"]);
    expect(BANDS_BY_QUESTION).toEqual({ nps: ["detractor", "passive", "promoter"], csat: ["low", "high"], ces: ["low", "high"] });
    expect(BAND_RANGES).toEqual({
      nps: { detractor: [0, 6], passive: [7, 8], promoter: [9, 10] },
      csat: { low: [1, 2], high: [4, 5] },
      ces: { low: [1, 3], high: [5, 7] },
    });
  });
});

describe("bandRange", () => {
  it("is the table's range, or undefined for a band the question does not have", () => {
    expect(bandRange("nps", "passive")).toEqual([7, 8]);
    expect(bandRange("ces", "high")).toEqual([5, 7]);
    expect(bandRange("nps", "low")).toBeUndefined();
    expect(bandRange("csat", "promoter")).toBeUndefined();
  });
});

describe("UNHAPPY_AT_MOST", () => {
  it("is the top of the detractor and low bands", () => {
    expect(UNHAPPY_AT_MOST).toEqual({ nps: 6, csat: 2, ces: 3 });
    for (const question of SCORE_QUESTIONS) {
      expect(scoreBand(question, UNHAPPY_AT_MOST[question])).toBe(question === "nps" ? "detractor" : "low");
      expect(scoreBand(question, UNHAPPY_AT_MOST[question] + 1)).not.toBe(question === "nps" ? "detractor" : "low");
    }
  });
});

// Moved from app/domain/cx/scores.test.ts with its dead copy of the NPS bands (npsCategory), now the one table's.
describe("NPS categories of one 0–10 answer", () => {
  it.each([
    [0, "detractor"],
    [6, "detractor"],
    [7, "passive"],
    [8, "passive"],
    [9, "promoter"],
    [10, "promoter"],
  ] as const)("answer %i is a %s", (score, category) => {
    expect(scoreBand("nps", score)).toBe(category);
  });
});
