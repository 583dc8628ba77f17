import { describe, expect, it } from "vitest";
import { validateSubmission } from "~/domain/survey/answer";
import { DEFAULT_SURVEY_CONFIG, SUPPORTED_LOCALES } from "~/domain/survey/questions";
import { DEMO_SURVEY_CONFIG, generateDemoAnswers } from "./seed-answers";
import { generateDemoHistory } from "./seed-data";

const now = new Date("2026-05-01T12:34:56.789Z");
const events = generateDemoHistory({ now });
const answers = generateDemoAnswers(events, { now });

const orders = events.filter((e) => e.topic === "orders/create").map((e) => e.payload as { id: number; test: boolean; created_at: string });
const refunded = new Set(events.filter((e) => e.topic === "refunds/create").map((e) => String((e.payload as { order_id: number }).order_id)));
const share = (n: number, of: number) => n / of;
const npsScore = (scores: number[]) =>
  Math.round(100 * (share(scores.filter((s) => s >= 9).length, scores.length) - share(scores.filter((s) => s <= 6).length, scores.length)));

describe("generateDemoAnswers", () => {
  it("is deterministic: the same events and options give the same answers; another seed differs", () => {
    expect(generateDemoAnswers(events, { now })).toEqual(answers);
    expect(generateDemoAnswers(events, { now, seed: 7 })).not.toEqual(answers);
  });

  it("answers about 35% of non-test orders, once each, never a test order", () => {
    const live = orders.filter((o) => !o.test);
    const ids = answers.map((a) => a.submission.orderNumericId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(share(ids.length, live.length)).toBeGreaterThan(0.31);
    expect(share(ids.length, live.length)).toBeLessThan(0.39);
    const testIds = new Set(orders.filter((o) => o.test).map((o) => String(o.id)));
    expect(ids.some((id) => testIds.has(id))).toBe(false);
  });

  it("produces valid submissions, dated after their order and never after now", () => {
    const placed = new Map(orders.map((o) => [String(o.id), Date.parse(o.created_at)]));
    for (const answer of answers) {
      // Checked against the survey the demo publishes, its own questions included.
      const checked = validateSubmission({ orderId: answer.submission.orderId, locale: answer.submission.locale, answers: answer.submission.answers }, DEMO_SURVEY_CONFIG);
      expect(checked).toEqual({ ok: true, value: answer.submission });
      expect(answer.at.getTime()).toBeGreaterThan(placed.get(answer.submission.orderNumericId) ?? Infinity);
      expect(answer.at.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    const times = answers.map((a) => a.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("answers the demo's own questions: most say who the order was for, packaging follows the mood, a few write", () => {
    const custom = answers.map((a) => a.submission.answers.custom ?? {});
    const share = (n: number) => n / answers.length;
    const occasions = custom.flatMap((c) => (c.occasion && typeof c.occasion === "object" && "optionId" in c.occasion ? [c.occasion.optionId] : []));
    expect(share(occasions.length)).toBeGreaterThan(0.7);
    expect(share(occasions.length)).toBeLessThan(0.9);
    expect(new Set(occasions)).toEqual(new Set(["myself", "gift", "work", "other"]));
    expect(occasions.filter((o) => o === "myself").length).toBeGreaterThan(occasions.filter((o) => o === "gift").length);
    const packaging = (min: number, max: number) =>
      answers.filter((a) => (a.submission.answers.nps ?? -1) >= min && (a.submission.answers.nps ?? -1) <= max).map((a) => a.submission.answers.custom?.packaging).filter((p) => typeof p === "number");
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    expect(mean(packaging(9, 10))).toBeGreaterThan(mean(packaging(0, 6)) + 1.5);
    // "What almost stopped you" is asked of first orders only (its audience): only they answer it, a quarter of them.
    const customerOf = new Map(events.filter((e) => e.topic === "orders/create").map((e) => {
      const p = e.payload as { id: number; customer?: { id: number } | null };
      return [String(p.id), p.customer?.id ?? null] as const;
    }));
    const firstOrders = new Set<string>();
    const seen = new Set<number>();
    for (const o of [...orders].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id)) {
      const customer = customerOf.get(String(o.id)) ?? null;
      if (customer === null || !seen.has(customer)) firstOrders.add(String(o.id));
      if (!o.test && customer !== null) seen.add(customer);
    }
    const writers = answers.filter((a) => typeof a.submission.answers.custom?.almost === "string").map((a) => a.submission.orderNumericId);
    expect(writers.filter((id) => !firstOrders.has(id))).toEqual([]);
    const firstAnswered = answers.filter((a) => firstOrders.has(a.submission.orderNumericId)).length;
    expect(firstAnswered).toBeGreaterThan(40);
    expect(firstAnswered).toBeLessThan(answers.length);
    expect(share(writers.length) * (answers.length / firstAnswered)).toBeGreaterThan(0.15);
    expect(share(writers.length) * (answers.length / firstAnswered)).toBeLessThan(0.35);
  });

  it("has a realistic NPS, lower on refunded orders, with CSAT following NPS", () => {
    const happy = answers.filter((a) => !refunded.has(a.submission.orderNumericId)).map((a) => a.submission.answers.nps ?? 0);
    const unhappy = answers.filter((a) => refunded.has(a.submission.orderNumericId)).map((a) => a.submission.answers.nps ?? 0);
    expect(unhappy.length).toBeGreaterThan(10);
    expect(npsScore(happy)).toBeGreaterThan(25);
    expect(npsScore(happy)).toBeLessThan(65);
    expect(npsScore(unhappy)).toBeLessThan(npsScore(happy) - 30);
    const csatOf = (lo: number, hi: number) => {
      const xs = answers.filter((a) => (a.submission.answers.nps ?? -1) >= lo && (a.submission.answers.nps ?? -1) <= hi && a.submission.answers.csat);
      return xs.reduce((n, a) => n + (a.submission.answers.csat ?? 0), 0) / xs.length;
    };
    expect(csatOf(9, 10)).toBeGreaterThan(csatOf(0, 6) + 1);
    expect(answers.some((a) => a.submission.answers.ces !== undefined)).toBe(true);
  });

  it("mixes locales, attribution options from the default survey, and comments on about 20%", () => {
    const locales = new Set(answers.map((a) => a.submission.locale));
    expect([...locales].sort()).toEqual([...SUPPORTED_LOCALES].sort());
    const allowed = new Set([...DEFAULT_SURVEY_CONFIG.questions.attribution.options.map((o) => o.id), "other"]);
    const options = answers.flatMap((a) => (a.submission.answers.attribution ? [a.submission.answers.attribution.optionId] : []));
    expect(options.every((o) => allowed.has(o))).toBe(true);
    expect(new Set(options).size).toBe(allowed.size);
    const commented = share(answers.filter((a) => a.submission.answers.comment).length, answers.length);
    expect(commented).toBeGreaterThan(0.14);
    expect(commented).toBeLessThan(0.28);
    expect(new Set(answers.map((a) => a.surface))).toEqual(new Set(["thank-you", "order-status"]));
  });
});
