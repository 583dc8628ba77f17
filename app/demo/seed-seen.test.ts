import { describe, expect, it } from "vitest";
import { validateSubmission } from "~/domain/survey/answer";
import { DEMO_SURVEY_CONFIG, generateDemoAnswers } from "./seed-answers";
import { generateDemoHistory } from "./seed-data";
import { asGiven, generateDemoSeen, SEEN_SINCE_DAYS } from "./seed-seen";

const now = new Date("2026-05-01T12:34:56.789Z");
const events = generateDemoHistory({ now });
const answers = generateDemoAnswers(events, { now }).map(asGiven);
const seen = generateDemoSeen(events, answers, now);
const DAY = 24 * 3_600_000;

describe("the demo survey as shoppers met it", () => {
  it("is deterministic", () => {
    expect(generateDemoAnswers(events, { now }).map(asGiven)).toEqual(answers);
    expect(generateDemoSeen(events, answers, now)).toEqual(seen);
  });

  it("about one answer set in eight was left after the first question; each step is a valid submission", () => {
    const partial = answers.filter((a) => a.submission.complete === false);
    expect(partial.length / answers.length).toBeGreaterThan(0.08);
    expect(partial.length / answers.length).toBeLessThan(0.16);
    for (const a of partial) {
      expect(Object.keys(a.submission.answers)).toEqual(["attribution"]);
      expect(a.submission.reached).toEqual(["attribution", "nps"]);
    }
    for (const a of answers) {
      const { orderId, locale, answers: given, complete, reached } = a.submission;
      expect(validateSubmission({ orderId, locale, answers: given, ...(complete === false ? { complete } : {}), reached }, DEMO_SURVEY_CONFIG)).toEqual({ ok: true, value: a.submission });
    }
  });

  it("seen records start SEEN_SINCE_DAYS before now: every answered order of that period, about half the others, once each", () => {
    const since = now.getTime() - SEEN_SINCE_DAYS * DAY;
    const ids = seen.map((s) => s.orderNumericId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(seen.every((s) => s.at.getTime() >= since && s.at.getTime() <= now.getTime())).toBe(true);
    const recentAnswers = answers.filter((a) => seen.some((s) => s.orderNumericId === a.submission.orderNumericId));
    expect(recentAnswers.length).toBeGreaterThan(0);
    for (const a of recentAnswers) {
      const s = seen.find((x) => x.orderNumericId === a.submission.orderNumericId)!;
      expect(s.surface).toBe(a.surface);
      expect(s.at.getTime()).toBeLessThanOrEqual(a.at.getTime());
    }
    // a believable response rate out of orders seen: above the 35% out of all orders
    const rate = recentAnswers.length / seen.length;
    expect(rate).toBeGreaterThan(0.4);
    expect(rate).toBeLessThan(0.7);
  });

  it("a question asked of first orders only was shown on first orders only", () => {
    const reachedAlmost = answers.filter((a) => a.submission.reached?.includes("almost"));
    expect(reachedAlmost.length).toBeGreaterThan(20);
    expect(reachedAlmost.every((a) => a.firstOrder)).toBe(true);
    expect(answers.filter((a) => !a.firstOrder && a.submission.complete !== false).every((a) => !a.submission.reached?.includes("almost"))).toBe(true);
    expect(answers.some((a) => !a.firstOrder)).toBe(true);
  });
});
