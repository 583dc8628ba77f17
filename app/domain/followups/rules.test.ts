import { describe, expect, it } from "vitest";
import {
  canBeMarked,
  canMoveTo,
  describeTrigger,
  FOLLOW_UP_KINDS,
  FOLLOW_UP_STATUSES,
  isMarkAction,
  isRecoveryStatus,
  MARK_ACTIONS,
  npsBand,
  RECOVERY_STATUSES,
  recoveryTrigger,
  STATUS_TRANSITIONS,
  type AnswerScores,
} from "./rules";
import { UNHAPPY_AT_MOST } from "../survey/score-bands";

const scores = (nps: number | null, csat: number | null = null, ces: number | null = null): AnswerScores => ({ nps, csat, ces });

describe("recoveryTrigger", () => {
  it.each([
    [scores(0), "nps:0"],
    [scores(6), "nps:6"],
    [scores(7), null],
    [scores(10), null],
    [scores(null, 1), "csat:1"],
    [scores(null, 2), "csat:2"],
    [scores(null, 3), null],
    [scores(null, null, 3), "ces:3"],
    [scores(null, null, 4), null],
    [scores(null, null, 1), "ces:1"],
    [scores(3, 2, 2), "nps:3,csat:2,ces:2"],
    [scores(9, 2), "csat:2"],
    [scores(8, 5, 3), "ces:3"],
    [scores(null), null],
  ])("%o → %s", (answer, expected) => {
    expect(recoveryTrigger(answer)).toBe(expected);
  });
});

describe("describeTrigger", () => {
  it("labels each part and skips what it cannot read", () => {
    expect(describeTrigger("nps:3,csat:2")).toEqual(["NPS 3", "CSAT 2"]);
    expect(describeTrigger("ces:1")).toEqual(["CES 1"]);
    expect(describeTrigger("nps:3,<b>x</b>,ces:12")).toEqual(["NPS 3", "CES 12"]);
    expect(describeTrigger(null)).toEqual([]);
    expect(describeTrigger("")).toEqual([]);
  });

  it.each([
    ["nps:3, csat:2", ["NPS 3", "CSAT 2"]], // spaces around a part are trimmed
    ["nps:10", ["NPS 10"]],
    ["nps:100", []], // at most two digits
    ["nps:", []],
    ["xnps:3", []], // the whole part must be the label…
    ["nps:3x", []], // …to its end
    ["NPS:3", []], // as recoveryTrigger writes it: lower case
    ["moodiness:3", []],
  ])("%j → %j", (trigger, labels) => {
    expect(describeTrigger(trigger)).toEqual(labels);
  });
});

describe("npsBand and canBeMarked", () => {
  it.each([
    [0, "detractor"],
    [6, "detractor"],
    [7, "passive"],
    [8, "passive"],
    [9, "promoter"],
    [10, "promoter"],
    [null, null],
  ] as const)("NPS %s is %s", (nps, band) => {
    expect(npsBand(nps)).toBe(band);
  });

  it.each([
    [scores(7), true],
    [scores(10, 5, 7), true],
    [scores(9, 3, 4), true],
    [scores(6), false],
    [scores(null, 5), false],
    [scores(9, 2), false],
    [scores(8, null, 3), false],
  ])("%o can be marked: %s", (answer, expected) => {
    expect(canBeMarked(answer)).toBe(expected);
  });
});

describe("canMoveTo", () => {
  const table: Record<string, Record<string, boolean>> = {
    open: { open: true, contacted: true, resolved: true },
    contacted: { open: true, contacted: true, resolved: true },
    resolved: { open: true, contacted: false, resolved: true },
  };
  for (const from of RECOVERY_STATUSES) {
    for (const to of RECOVERY_STATUSES) {
      it(`${from} → ${to}: ${table[from]?.[to]}`, () => {
        expect(canMoveTo(from, to)).toBe(table[from]?.[to]);
      });
    }
  }
});

describe("the vocabularies", () => {
  it("lists the statuses, kinds and actions the forms and the database use", () => {
    expect(RECOVERY_STATUSES).toEqual(["open", "contacted", "resolved"]);
    expect(MARK_ACTIONS).toEqual(["thank-you", "review-request"]);
    expect(FOLLOW_UP_KINDS).toEqual(["recovery", "thank-you", "review-request"]);
    expect(FOLLOW_UP_STATUSES).toEqual(["open", "contacted", "resolved", "marked"]);
    expect(UNHAPPY_AT_MOST).toEqual({ nps: 6, csat: 2, ces: 3 });
    expect(STATUS_TRANSITIONS).toEqual({ open: ["contacted", "resolved"], contacted: ["open", "resolved"], resolved: ["open"] });
  });

  it.each([
    ["open", true, false],
    ["contacted", true, false],
    ["resolved", true, false],
    ["marked", false, false],
    ["thank-you", false, true],
    ["review-request", false, true],
    ["recovery", false, false],
    ["Open", false, false],
    ["", false, false],
    [null, false, false],
    [["open"], false, false],
  ])("%j: a recovery status %s, a mark action %s", (value, status, action) => {
    expect(isRecoveryStatus(value)).toBe(status);
    expect(isMarkAction(value)).toBe(action);
  });
});
