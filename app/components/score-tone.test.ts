import { describe, expect, it } from "vitest";
import { scoreTone } from "./score-tone";

describe("scoreTone", () => {
  it.each([
    ["nps", 0, "critical"],
    ["nps", 6, "critical"],
    ["nps", 7, "attention"],
    ["nps", 8, "attention"],
    ["nps", 9, "success"],
    ["csat", 2, "critical"],
    ["csat", 3, undefined],
    ["csat", 4, "success"],
    ["ces", 3, "critical"],
    ["ces", 4, undefined],
    ["ces", 5, "success"],
  ] as const)("%s %i → %s", (question, score, tone) => {
    expect(scoreTone(question, score)).toBe(tone);
  });
  it("the survey answers list and the comments card use the same tones (one rule for every score badge)", () => {
    expect([0, 6, 7, 8, 9, 10].map((n) => scoreTone("nps", n))).toEqual(["critical", "critical", "attention", "attention", "success", "success"]);
  });
});
