import { describe, expect, it } from "vitest";
import { dropOff, responseRate } from "./response-rate";

describe("responseRate: answered ÷ seen, answered ÷ orders before seen data existed", () => {
  it.each([
    ["seen data only", { seen: 40, seenAnswered: 10, ordersBefore: 0, ordersBeforeAnswered: 0 }, { basis: "seen", answered: 10, outOf: 40, rate: 0.25 }],
    ["before seen data only", { seen: 0, seenAnswered: 0, ordersBefore: 50, ordersBeforeAnswered: 5 }, { basis: "orders", answered: 5, outOf: 50, rate: 0.1 }],
    ["a period across the first seen", { seen: 30, seenAnswered: 12, ordersBefore: 20, ordersBeforeAnswered: 3 }, { basis: "both", answered: 15, outOf: 50, rate: 0.3 }],
    ["nothing at all", { seen: 0, seenAnswered: 0, ordersBefore: 0, ordersBeforeAnswered: 0 }, { basis: "orders", answered: 0, outOf: 0, rate: null }],
    ["every seen order answered", { seen: 3, seenAnswered: 3, ordersBefore: 0, ordersBeforeAnswered: 0 }, { basis: "seen", answered: 3, outOf: 3, rate: 1 }],
  ] as const)("%s", (_label, counts, expected) => {
    expect(responseRate(counts)).toEqual(expected);
  });
});

describe("dropOff: per question, reached and answered, in the survey's order", () => {
  const questions = [
    { key: "nps", label: "NPS" },
    { key: "q-why", label: "Why?" },
    { key: "comment", label: "Comment" },
  ];
  it("every seen order reached the first question; a question answered was reached; none reached: no share", () => {
    const reach = [
      { key: "nps", reached: 6, answered: 5 },
      // a client that did not report what it showed: answered counts as reached
      { key: "q-why", reached: 1, answered: 3 },
      { key: "gone-question", reached: 4, answered: 4 },
    ];
    expect(dropOff(questions, reach, 10)).toEqual([
      { key: "nps", label: "NPS", reached: 10, answered: 5, answeredShare: 0.5 },
      { key: "q-why", label: "Why?", reached: 3, answered: 3, answeredShare: 1 },
      { key: "comment", label: "Comment", reached: 0, answered: 0, answeredShare: null },
    ]);
  });
  it("the first question's reach is the larger of seen and what the sets report", () => {
    expect(dropOff(questions.slice(0, 1), [{ key: "nps", reached: 7, answered: 2 }], 4)).toEqual([
      { key: "nps", label: "NPS", reached: 7, answered: 2, answeredShare: 2 / 7 },
    ]);
    expect(dropOff([], [{ key: "nps", reached: 7, answered: 2 }], 4)).toEqual([]);
  });
});
