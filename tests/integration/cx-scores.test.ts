import { beforeAll, describe, expect, it } from "vitest";
import { parseDateRange } from "~/domain/cx/date-range";
import { validateSubmission } from "~/domain/survey/answer";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { loadCxDashboard } from "~/services/cx-dashboard.server";
import { loadScoreCards } from "~/services/cx-scores.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { restOrder } from "../support/orders";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";
import { mulberry32 as rng } from "~/demo/random";

const SHOP_A = "cx-alpha.myshopify.com";
const SHOP_B = "cx-beta.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

interface Seeded {
  shop: string;
  orderId: number;
  placedAt: Date;
  /** null: guest checkout. */
  customerId: number | null;
  totalMinor: number;
  test?: boolean;
  answer?: { at: Date; nps?: number; csat?: number; ces?: number; attribution?: { optionId: string }; comment?: string };
}

const COMMENTS = ["Lovely packaging", "Late delivery, box crushed", "Great fit", "100% cotton? Felt cheap", "Fast_shipping"];

const seeded: Seeded[] = [];

beforeAll(async () => {
  await installShop(SHOP_A);
  await installShop(SHOP_B);
  const random = rng(7);
  // 150 orders over the last 70 days in shop A (every 10th a test order), 40 in shop B; about half answered,
  // a day or two after the order, each question answered or skipped independently.
  for (let i = 0; i < 190; i++) {
    const shop = i < 150 ? SHOP_A : SHOP_B;
    const placedAt = new Date(NOW.getTime() - Math.floor(random() * 70 * DAY));
    const customerId = i % 7 === 0 ? null : 600 + (i % 23);
    const totalMinor = 1000 + Math.floor(random() * 400) * 100;
    const row: Seeded = { shop, orderId: 9000 + i, placedAt, customerId, totalMinor, test: i % 10 === 9 };
    if (random() < 0.55) {
      row.answer = { at: new Date(Math.min(placedAt.getTime() + Math.floor(random() * 2 * DAY), NOW.getTime() - 1000)) };
      if (random() < 0.9) row.answer.nps = Math.floor(random() * 11);
      if (random() < 0.7) row.answer.csat = 1 + Math.floor(random() * 5);
      if (random() < 0.4) row.answer.ces = 1 + Math.floor(random() * 7);
      if (random() < 0.5) row.answer.attribution = { optionId: random() < 0.5 ? "search" : "social" };
      if (random() < 0.4) row.answer.comment = COMMENTS[Math.floor(random() * COMMENTS.length)];
      if (row.answer.nps === undefined && row.answer.csat === undefined && row.answer.ces === undefined) row.answer.nps = 10;
    }
    seeded.push(row);
  }
  for (const row of seeded) {
    const at = row.placedAt.toISOString();
    const customer = row.customerId === null ? null : { id: row.customerId, first_name: "C", last_name: String(row.customerId), email: `c${row.customerId}@example.com` };
    const total = (row.totalMinor / 100).toFixed(2);
    const body = restOrder({ id: row.orderId, created_at: at, processed_at: at, updated_at: at, test: row.test ?? false, customer, total_price: total });
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: row.shop, body }))).status).toBe(200);
    if (row.answer) {
      const { at: answeredAt, ...answers } = row.answer;
      const checked = validateSubmission({ orderId: `gid://shopify/Order/${row.orderId}`, locale: "en", answers });
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      await recordSurveyAnswer(row.shop, checked.value, { surface: "thank-you", now: answeredAt });
    }
  }
}, 120_000);

/** The figures computed the slow, obvious way from the seeded rows. */
function expected(shop: string, from: Date, to: Date) {
  const inRange = (d: Date) => d >= from && d < to;
  const answers = seeded.filter((r) => r.shop === shop && r.answer && inRange(r.answer.at)).map((r) => r.answer!);
  const nps = answers.flatMap((a) => (a.nps === undefined ? [] : [a.nps]));
  const csat = answers.flatMap((a) => (a.csat === undefined ? [] : [a.csat]));
  const ces = answers.flatMap((a) => (a.ces === undefined ? [] : [a.ces]));
  const orders = seeded.filter((r) => r.shop === shop && !r.test && inRange(r.placedAt));
  const pct = (x: number, n: number) => Math.round((x / n) * 1000) / 10;
  const promoters = nps.filter((s) => s >= 9).length;
  const detractors = nps.filter((s) => s <= 6).length;
  const rawNps = nps.length ? ((promoters - detractors) / nps.length) * 100 : null;
  return {
    answers: answers.length,
    nps: rawNps === null ? null : Math.sign(rawNps) * Math.round(Math.abs(rawNps)),
    npsCount: nps.length,
    csat: csat.length ? pct(csat.filter((s) => s >= 4).length, csat.length) : null,
    ces: ces.length ? Math.round((ces.reduce((a, b) => a + b, 0) / ces.length) * 10) / 10 : null,
    cesEasy: ces.length ? pct(ces.filter((s) => s >= 5).length, ces.length) : null,
    responseRate: orders.length ? pct(orders.filter((o) => o.answer).length, orders.length) : null,
    orders: orders.length,
  };
}

describe("CX score cards", () => {
  it.each(["7d", "30d", "90d"])("match figures computed independently from the seeded rows (%s, and the period before)", async (preset) => {
    const parsed = parseDateRange(new URLSearchParams({ range: preset }), NOW);
    expect(parsed.ok).toBe(true);
    const { range } = parsed;
    const cards = await loadScoreCards(SHOP_A, range);
    for (const [figures, from, to] of [
      [cards.current, range.from, range.to],
      [cards.previous, range.previousFrom, range.previousTo],
    ] as const) {
      const want = expected(SHOP_A, from, to);
      expect(figures.answers).toBe(want.answers);
      expect(figures.nps.value).toBe(want.nps);
      expect(figures.nps.count).toBe(want.npsCount);
      expect(figures.csat.value).toBe(want.csat);
      expect(figures.ces.value).toBe(want.ces);
      expect(figures.ces.easyShare.value).toBe(want.cesEasy);
      expect(figures.responseRate.value).toBe(want.responseRate);
      expect(figures.responseRate.count).toBe(want.orders);
    }
    expect(cards.current.answers).toBeGreaterThan(0);
  });

  it("never counts another shop's answers or orders", async () => {
    const { range } = parseDateRange(new URLSearchParams({ range: "90d" }), NOW);
    const a = await loadScoreCards(SHOP_A, range);
    const b = await loadScoreCards(SHOP_B, range);
    expect(a.current.responseRate.count).toBe(expected(SHOP_A, range.from, range.to).orders);
    expect(b.current.responseRate.count).toBe(expected(SHOP_B, range.from, range.to).orders);
    expect(b.current.answers).toBe(expected(SHOP_B, range.from, range.to).answers);
  });

  it("a period with orders but no answers has a 0 % response rate and no scores", async () => {
    // GIVEN a shop whose only order has no answer
    const shop = "cx-quiet.myshopify.com";
    await installShop(shop);
    const at = new Date(NOW.getTime() - 2 * DAY).toISOString();
    const body = restOrder({ id: 1, created_at: at, processed_at: at, updated_at: at });
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
    // WHEN its scores are read, THEN
    const { range } = parseDateRange(new URLSearchParams({ range: "7d" }), NOW);
    const cards = await loadScoreCards(shop, range);
    expect(cards.current.responseRate).toMatchObject({ value: 0, count: 1 });
    expect(cards.current.nps).toMatchObject({ value: null, count: 0, split: null });
    expect(cards.current.csat.value).toBeNull();
    expect(cards.previous.responseRate.value).toBeNull();
    expect(cards.deltas).toEqual({ nps: null, csat: null, ces: null, responseRate: null });
  });
});

/** Scores of a list of answers, the obvious way. */
function scoresOf(answers: NonNullable<Seeded["answer"]>[]) {
  const nps = answers.flatMap((a) => (a.nps === undefined ? [] : [a.nps]));
  const csat = answers.flatMap((a) => (a.csat === undefined ? [] : [a.csat]));
  const raw = nps.length ? ((nps.filter((s) => s >= 9).length - nps.filter((s) => s <= 6).length) / nps.length) * 100 : null;
  return {
    answers: answers.length,
    nps: raw === null ? null : Math.sign(raw) * Math.round(Math.abs(raw)),
    csat: csat.length ? Math.round((csat.filter((s) => s >= 4).length / csat.length) * 1000) / 10 : null,
  };
}

describe("CX dashboard loader", () => {
  // A custom range covering the whole seeded history, so the route's own clock does not matter.
  const from = new Date(NOW.getTime() - 80 * DAY).toISOString().slice(0, 10);
  const to = NOW.toISOString().slice(0, 10);
  const inRange = (r: Seeded) => r.shop === SHOP_A && r.answer !== undefined && r.answer.at >= new Date(`${from}T00:00:00Z`);

  it("segments answers by new vs returning, order value and attribution, with the same scores as counted by hand", async () => {
    const cx = await loadCxDashboard(SHOP_A, new URLSearchParams({ from, to }), NOW);
    expect(cx.range).toMatchObject({ preset: "custom", from, to, error: null });
    const answered = seeded.filter(inRange);

    const firstOrderAt = (r: Seeded) =>
      Math.min(...seeded.filter((o) => o.shop === r.shop && o.customerId === r.customerId && !o.test).map((o) => o.placedAt.getTime()));
    const type = (r: Seeded) => (r.customerId === null ? "guest" : r.placedAt.getTime() > firstOrderAt(r) ? "returning" : "new");
    for (const key of ["new", "returning", "guest"]) {
      const want = scoresOf(answered.filter((r) => type(r) === key).map((r) => r.answer!));
      const got = cx.segments.customerType.find((s) => s.key === key);
      if (want.answers === 0) expect(got).toBeUndefined();
      else expect({ answers: got?.answers, nps: got?.nps.value, csat: got?.csat.value }).toEqual(want);
    }

    const band = (r: Seeded) => (r.totalMinor < 5000 ? "0" : r.totalMinor < 10000 ? "1" : r.totalMinor < 25000 ? "2" : "3");
    for (const key of ["0", "1", "2", "3"]) {
      const want = scoresOf(answered.filter((r) => band(r) === key).map((r) => r.answer!));
      const got = cx.segments.orderValue.find((s) => s.key === key);
      expect({ answers: got?.answers ?? 0, nps: got?.nps.value ?? null, csat: got?.csat.value ?? null }).toEqual(want);
    }
    expect(cx.segments.orderValue.map((s) => s.label)).toEqual(["Under 50 USD", "50 USD to 100 USD", "100 USD to 250 USD", "250 USD and more"]);

    for (const key of ["search", "social", ""]) {
      const want = scoresOf(answered.filter((r) => (r.answer!.attribution?.optionId ?? "") === key).map((r) => r.answer!));
      const got = cx.segments.attribution.find((s) => s.key === key);
      expect({ answers: got?.answers, nps: got?.nps.value, csat: got?.csat.value }).toEqual(want);
    }
    expect(cx.segments.attribution.find((s) => s.key === "search")?.label).toBe("Search engine");
    // Nothing was refunded in this shop (the refund segment has its own suite: cx-refund-segment.test.ts).
    expect(cx.segments.refund.map((s) => [s.key, s.label, s.answers])).toEqual([["none", "No refund", answered.length]]);
    // Every answer lands in exactly one segment of each dimension.
    for (const rows of Object.values(cx.segments)) expect(rows.reduce((n, s) => n + s.answers, 0)).toBe(answered.length);
  });

  it("weekly trend buckets add up to the period's answers", async () => {
    const cx = await loadCxDashboard(SHOP_A, new URLSearchParams({ from, to }), NOW);
    expect(cx.granularity).toBe("week");
    expect(cx.trend.reduce((n, b) => n + b.answers, 0)).toBe(seeded.filter(inRange).length);
    expect(cx.trend[0]?.label).toBe(from);
    const monthly = await loadCxDashboard(SHOP_A, new URLSearchParams({ range: "12m" }), NOW);
    expect(monthly.granularity).toBe("month");
    expect(monthly.trend).toHaveLength(13);
  });

  it("says what promoters, passives and detractors did in the 90 days after answering", async () => {
    // 100 days later, every seeded answer has been followed for 90 days.
    const later = new Date(NOW.getTime() + 100 * DAY);
    const cx = await loadCxDashboard(SHOP_A, new URLSearchParams(), later);
    const cohort = seeded.filter((r) => r.shop === SHOP_A && r.answer?.nps !== undefined && r.customerId !== null);
    for (const category of ["promoter", "passive", "detractor"] as const) {
      const rows = cohort.filter((r) => (r.answer!.nps! >= 9 ? "promoter" : r.answer!.nps! >= 7 ? "passive" : "detractor") === category);
      const following = rows.map((r) =>
        seeded.filter(
          (o) =>
            o.shop === SHOP_A && o.customerId === r.customerId && !o.test &&
            o.placedAt > r.answer!.at && o.placedAt.getTime() <= r.answer!.at.getTime() + 90 * DAY,
        ),
      );
      const got = cx.worth.rows.find((w) => w.category === category)!;
      expect(got.answers).toBe(rows.length);
      expect(got.averageOrderMinor).toBe(Math.round(rows.reduce((n, r) => n + r.totalMinor, 0) / rows.length));
      expect(got.repeatRate).toBe(Math.round((following.filter((f) => f.length > 0).length / rows.length) * 1000) / 10);
      expect(got.netPerCustomerMinor).toBe(Math.round(following.flat().reduce((n, o) => n + o.totalMinor, 0) / rows.length));
    }
  });

  it("lists the latest comments newest first and searches them literally", async () => {
    const all = await loadCxDashboard(SHOP_A, new URLSearchParams({ from, to }), NOW);
    const withComments = seeded
      .filter((r) => inRange(r) && r.answer!.comment)
      .sort((a, b) => b.answer!.at.getTime() - a.answer!.at.getTime() || b.orderId - a.orderId);
    expect(all.comments.map((c) => c.orderId)).toEqual(withComments.slice(0, 10).map((r) => String(r.orderId)));

    // "_" and "%" are matched literally, not as LIKE wildcards; case does not matter.
    for (const q of ["FAST_", "100%", "box"]) {
      const found = await loadCxDashboard(SHOP_A, new URLSearchParams({ from, to, q }), NOW);
      const want = withComments.filter((r) => r.answer!.comment!.toLowerCase().includes(q.toLowerCase()));
      expect(found.comments.map((c) => c.orderId)).toEqual(want.slice(0, 10).map((r) => String(r.orderId)));
      expect(found.search).toBe(q);
    }
    expect((await loadCxDashboard(SHOP_A, new URLSearchParams({ from, to, q: "_" }), NOW)).comments.every((c) => c.comment.includes("_"))).toBe(true);
  });

  it("falls back to the last 30 days with a reason for a bad range", async () => {
    const cx = await loadCxDashboard(SHOP_A, new URLSearchParams({ from: "2026-02-30", to }), NOW);
    expect(cx.range).toMatchObject({ preset: "30d", error: "Dates must be real days written YYYY-MM-DD" });
  });
});
