import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_SURVEY_CONFIG, type SurveyConfig } from "~/domain/survey/questions";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { surveyResponseRate } from "~/services/survey-response-rate.server";
import { recordSeen } from "~/services/survey-seen.server";
import { restOrder } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * The Survey page's response rate and drop-off (decision 041) against an independent computation: random shops
 * (the run's seed) of orders, seen records and answer sets given step by step, some before the survey first reported
 * being seen; the expected figures are computed here from the scenario itself, never read back from the database.
 */
vi.setConfig({ testTimeout: 120_000 });

const HOUR = 3600_000;
const START = Date.parse("2026-11-01T00:00:00Z");
const at = (hours: number) => new Date(START + hours * HOUR);
/** The period the figures cover: [from, to). */
const FROM = at(24);
const TO = at(24 * 8);

/** Four questions: NPS, CSAT, a custom rating, the comment (attribution off). */
const CONFIG: SurveyConfig = (() => {
  const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
  config.questions.attribution.enabled = false;
  config.custom = [{ id: "q-stars", type: "rating_1_5", text: { en: "Packaging?" }, options: [], shuffle: false, allowOther: false, allowNone: false }];
  return config;
})();
const KEYS = ["nps", "csat", "q-stars", "comment"] as const;
const answerOf = (key: (typeof KEYS)[number], value: number) =>
  key === "q-stars" ? { custom: { "q-stars": 1 + (value % 5) } } : key === "comment" ? { comment: `c${value}` } : key === "nps" ? { nps: value % 11 } : { csat: 1 + (value % 5) };

interface OrderCase {
  placedHour: number;
  test: boolean;
  /** Surfaces the survey was shown on, with the hour. */
  seen: Array<{ surface: "thank-you" | "order-status"; hour: number }>;
  /** Per question of KEYS in order, as far as the shopper went: the value answered, or null for a question passed. */
  steps: Array<number | null>;
  reachedCount: number;
  complete: boolean;
}

const orderCase: fc.Arbitrary<OrderCase> = fc
  .record({
    placedHour: fc.integer({ min: 0, max: 24 * 9 }),
    testFlag: fc.integer({ min: 0, max: 9 }),
    seenHours: fc.array(fc.record({ surface: fc.constantFrom("thank-you" as const, "order-status" as const), delay: fc.integer({ min: 0, max: 30 }) }), { maxLength: 2 }),
    steps: fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }), { maxLength: KEYS.length }),
    extraReached: fc.integer({ min: 0, max: 1 }),
    complete: fc.boolean(),
  })
  .map((r) => ({
    placedHour: r.placedHour,
    test: r.testFlag === 0,
    // once per order and surface: a repeat on the same surface keeps the first time, so the scenario has none
    seen: r.seenHours.filter((s, i) => r.seenHours.findIndex((t) => t.surface === s.surface) === i).map((s) => ({ surface: s.surface, hour: r.placedHour + s.delay })),
    steps: r.steps,
    reachedCount: Math.min(KEYS.length, r.steps.length + r.extraReached),
    complete: r.complete && r.steps.length === KEYS.length,
  }));

let shopCounter = 0;

async function seedShop(shop: string, orders: OrderCase[]) {
  for (const [i, o] of orders.entries()) {
    const id = 100 + i;
    const placed = at(o.placedHour).toISOString();
    const body = { ...restOrder({ id, created_at: placed, processed_at: placed, updated_at: placed, test: o.test }), customer: null };
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
    for (const s of o.seen) await recordSeen(shop, String(id), s.surface, at(s.hour));
    const answers: Record<string, unknown> = {};
    o.steps.forEach((value, k) => {
      if (value === null) return;
      const part = answerOf(KEYS[k]!, value) as Record<string, unknown>;
      if (part.custom) answers.custom = { ...(answers.custom as object), ...(part.custom as object) };
      else Object.assign(answers, part);
    });
    if (!Object.keys(answers).length) continue;
    const when = at(o.placedHour + 1);
    const submission = { orderId: `gid://shopify/Order/${id}`, locale: "en", answers, orderNumericId: String(id), reached: KEYS.slice(0, Math.max(1, o.reachedCount)), ...(o.complete ? {} : { complete: false }) };
    expect((await recordSurveyAnswer(shop, submission, { surface: "thank-you", now: when })).outcome).toBe("created");
  }
}

/** The figures, computed from the scenario alone. */
function expected(orders: OrderCase[]) {
  const seenHours = orders.flatMap((o) => o.seen.map((s) => s.hour));
  const firstSeen = seenHours.length ? at(Math.min(...seenHours)) : null;
  const inPeriod = (d: Date) => d >= FROM && d < TO;
  const hasAnswers = (o: OrderCase) => o.steps.some((s) => s !== null);
  const seenOrders = orders.filter((o) => !o.test && o.seen.some((s) => inPeriod(at(s.hour))));
  const before = orders.filter(
    (o) => !o.test && !o.seen.length && at(o.placedHour) >= FROM && at(o.placedHour) < (firstSeen && firstSeen < TO ? firstSeen : TO),
  );
  const seen = seenOrders.length;
  const answered = seenOrders.filter(hasAnswers).length + before.filter(hasAnswers).length;
  const outOf = seen + before.length;
  const basis = seen > 0 && before.length > 0 ? "both" : seen > 0 ? "seen" : "orders";
  const questions = KEYS.map((key, index) => {
    const sets = seenOrders.filter(hasAnswers);
    const answeredIt = sets.filter((o) => o.steps[index] !== undefined && o.steps[index] !== null).length;
    const reachedIt = sets.filter((o) => index < Math.max(1, o.reachedCount)).length;
    const reached = Math.max(reachedIt, answeredIt, index === 0 ? seen : 0);
    return { key, reached, answered: answeredIt, answeredShare: reached ? answeredIt / reached : null };
  });
  return {
    firstSeenAt: firstSeen?.toISOString() ?? null,
    seen,
    completed: seenOrders.filter((o) => hasAnswers(o) && o.complete).length,
    rate: { basis, answered, outOf, rate: outOf ? answered / outOf : null },
    questions,
  };
}

describe("response rate and drop-off", () => {
  it("match an independent computation over random shops", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(orderCase, { minLength: 1, maxLength: 14 }), async (orders) => {
        shopCounter += 1;
        const shop = `rate-${shopCounter}.myshopify.com`;
        await seedShop(shop, orders);
        const view = await surveyResponseRate(shop, { from: FROM.toISOString().slice(0, 10), to: new Date(TO.getTime() - 1).toISOString().slice(0, 10) }, CONFIG);
        const want = expected(orders);
        expect({
          from: view.from,
          to: view.to,
          firstSeenAt: view.firstSeenAt,
          seen: view.seen,
          completed: view.completed,
          rate: view.rate,
          questions: view.questions.map(({ key, reached, answered, answeredShare }) => ({ key, reached, answered, answeredShare })),
        }).toEqual({ from: FROM.toISOString(), to: TO.toISOString(), ...want });
      }),
      { numRuns: 12 },
    );
  });

  it("a worked example: 4 seen (one on both pages), 2 answered, one left after the first question; before seen data, 1 of 2 orders", async () => {
    const shop = "rate-example.myshopify.com";
    const stars = (v: number | null) => v;
    const orders: OrderCase[] = [
      // before the first seen record: two orders, one answered (sent whole, by an older client)
      { placedHour: 30, test: false, seen: [], steps: [9, 4, stars(3), 1], reachedCount: 0, complete: true },
      { placedHour: 31, test: false, seen: [], steps: [], reachedCount: 0, complete: false },
      // seen: a complete set, a shopper who left after the first question, two who answered nothing
      { placedHour: 60, test: false, seen: [{ surface: "thank-you", hour: 60 }, { surface: "order-status", hour: 70 }], steps: [10, 5, 5, 7], reachedCount: 4, complete: true },
      { placedHour: 61, test: false, seen: [{ surface: "thank-you", hour: 61 }], steps: [2], reachedCount: 2, complete: false },
      { placedHour: 62, test: false, seen: [{ surface: "thank-you", hour: 62 }], steps: [], reachedCount: 0, complete: false },
      { placedHour: 63, test: false, seen: [{ surface: "order-status", hour: 80 }], steps: [], reachedCount: 0, complete: false },
      // a test order, seen and answered: counted nowhere
      { placedHour: 64, test: true, seen: [{ surface: "thank-you", hour: 64 }], steps: [1], reachedCount: 1, complete: false },
    ];
    await seedShop(shop, orders);
    // a seen record for an order this shop never received counts nowhere
    await recordSeen(shop, "999999", "thank-you", at(65));
    const view = await surveyResponseRate(shop, { from: "2026-11-02", to: "2026-11-08" }, CONFIG);
    expect(view.rate).toEqual({ basis: "both", answered: 3, outOf: 6, rate: 0.5 });
    expect([view.seen, view.completed, view.firstSeenAt]).toEqual([4, 1, at(60).toISOString()]);
    expect(view.questions).toEqual([
      { key: "nps", label: "Net Promoter Score (NPS)", reached: 4, answered: 2, answeredShare: 0.5 },
      { key: "csat", label: "Customer satisfaction (CSAT)", reached: 2, answered: 1, answeredShare: 0.5 },
      { key: "q-stars", label: "Packaging?", reached: 1, answered: 1, answeredShare: 1 },
      { key: "comment", label: "Comment", reached: 1, answered: 1, answeredShare: 1 },
    ]);
  });
});
