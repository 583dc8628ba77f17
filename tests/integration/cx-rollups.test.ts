import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { validateSubmission } from "~/domain/survey/answer";
import { erasePersonalData } from "~/models/privacy.server";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { restOrder, restRefund } from "../support/orders";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

// The daily rollups (CxDaily, CxWorthDaily, OrderDaily) and the derived answer columns are kept by SQL triggers.
// Here every kind of write the app makes goes through the real handlers in an awkward order (answers before their
// orders, refunds before their orders, late earlier orders, edits, cancellations, test orders, tier changes, a
// redaction), and then every rollup row is compared with the same figures computed from the source rows by the
// plain definitions below, written independently of the trigger generator.

const SHOP = "rollups.myshopify.com";
const OTHER = "rollups-other.myshopify.com";
const DAY = 86_400_000;
const NOW = Date.parse("2026-11-20T12:00:00Z");

const deliver = (shop: string, action: typeof ordersCreate, topic: string, body: unknown) =>
  callAction(action, signedWebhook({ topic, shop, body }));

async function order(shop: string, id: number, daysAgo: number, customer: number | null, total: string, extra: Record<string, unknown> = {}) {
  const at = new Date(NOW - daysAgo * DAY).toISOString();
  const body = restOrder({
    id,
    created_at: at,
    processed_at: at,
    updated_at: (extra.updated_at as string) ?? at,
    total_price: total,
    customer: customer === null ? null : { id: customer, first_name: "R", last_name: String(customer), email: `r${customer}@example.com` },
    ...extra,
  });
  const res = await deliver(shop, (extra.topic as string) === "orders/updated" ? ordersUpdated : ordersCreate, (extra.topic as string) ?? "orders/create", body);
  expect(res.status).toBe(200);
}

async function answer(shop: string, orderId: number, daysAgo: number, answers: Record<string, unknown>) {
  const checked = validateSubmission({ orderId: `gid://shopify/Order/${orderId}`, locale: "en", answers });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  await recordSurveyAnswer(shop, checked.value, { surface: "thank-you", now: new Date(NOW - daysAgo * DAY) });
}

const DEFINITIONS = {
  derived: `
    SELECT r.id,
      CASE WHEN r.customerId IS NULL THEN 'guest' ELSE COALESCE(c.tierSlug, '') END AS segTier,
      CASE WHEN r.customerId IS NULL OR o.id IS NULL THEN 'guest'
           WHEN (SELECT COUNT(*) FROM "Order" p WHERE p.shop = r.shop AND p.customerId = r.customerId AND p.test = 0 AND p.placedAt < o.placedAt) > 0 THEN 'returning'
           ELSE 'new' END AS segCustomerType,
      CASE WHEN o.id IS NULL THEN 'unknown' ELSE CAST((SELECT COUNT(*) FROM (SELECT 50 AS e UNION ALL SELECT 100 UNION ALL SELECT 250 UNION ALL SELECT 5000
        UNION ALL SELECT 10000 UNION ALL SELECT 25000 UNION ALL SELECT 50000 UNION ALL SELECT 100000 UNION ALL SELECT 250000) WHERE o.totalMinor >= e) AS TEXT) END AS segBand,
      COALESCE(o.totalMinor, 0) AS answeredMinor,
      (SELECT COUNT(*) FROM "Order" f WHERE f.shop = r.shop AND f.customerId = r.customerId AND f.test = 0 AND f.cancelledAt IS NULL
         AND f.placedAt > r.createdAt AND f.placedAt <= r.createdAt + ${90 * DAY}) AS followOrders,
      COALESCE((SELECT SUM(f.totalMinor) - COALESCE(SUM((SELECT SUM(x.shopAmountMinor) FROM "Refund" x WHERE x.shop = f.shop AND x.orderId = f.id)), 0)
         FROM "Order" f WHERE f.shop = r.shop AND f.customerId = r.customerId AND f.test = 0 AND f.cancelledAt IS NULL
         AND f.placedAt > r.createdAt AND f.placedAt <= r.createdAt + ${90 * DAY}), 0) AS followNetMinor,
      CASE WHEN (SELECT COUNT(*) FROM "Refund" x JOIN "Order" ro ON ro.shop = x.shop AND ro.id = x.orderId
         WHERE x.shop = r.shop AND ro.test = 0 AND ro.cancelledAt IS NULL
           AND ((r.customerId IS NULL AND x.orderId = r.orderId) OR (r.customerId IS NOT NULL AND ro.customerId = r.customerId))) > 0
        THEN 'refund' ELSE 'none' END AS segRefund
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o.shop = r.shop AND o.id = r.orderId
    LEFT JOIN "Customer" c ON c.shop = r.shop AND c.id = r.customerId
    ORDER BY r.id`,
  cxDaily: `
    SELECT shop, dimension, day, segment, COUNT(*) AS answers, TOTAL(nps >= 9) AS promoters, TOTAL(nps BETWEEN 7 AND 8) AS passives,
      TOTAL(nps <= 6) AS detractors, COUNT(csat) AS csatAnswers, TOTAL(csat >= 4) AS csatSatisfied, COUNT(ces) AS cesAnswers,
      TOTAL(ces) AS cesSum, TOTAL(ces * ces) AS cesSumOfSquares, TOTAL(ces >= 5) AS cesEasy
    FROM (
      SELECT r.*, d.dimension, r.createdAt / ${DAY} AS day,
        CASE d.dimension WHEN 'all' THEN '' WHEN 'tier' THEN r.segTier WHEN 'customerType' THEN r.segCustomerType
          WHEN 'orderValue' THEN r.segBand WHEN 'refund' THEN r.segRefund ELSE COALESCE(r.attributionOption, '') END AS segment
      FROM "SurveyResponse" r,
        (SELECT 'all' AS dimension UNION ALL SELECT 'tier' UNION ALL SELECT 'customerType' UNION ALL SELECT 'orderValue' UNION ALL SELECT 'attribution'
         UNION ALL SELECT 'refund') d
    ) GROUP BY shop, dimension, day, segment ORDER BY shop, dimension, day, segment`,
  worthDaily: `
    SELECT shop, createdAt / ${DAY} AS day, CASE WHEN nps >= 9 THEN 'promoter' WHEN nps >= 7 THEN 'passive' ELSE 'detractor' END AS category,
      COUNT(*) AS answers, SUM(answeredMinor) AS answeredMinor, SUM(followOrders > 0) AS repeaters, SUM(followNetMinor) AS followNetMinor
    FROM "SurveyResponse" WHERE nps IS NOT NULL AND customerId IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  orderDaily: `
    SELECT o.shop, o.placedAt / ${DAY} AS day, COUNT(*) AS orders, SUM(o.totalMinor) AS grossMinor,
      TOTAL(rf.refunded) AS refundedMinor, SUM(o.cancelledAt IS NULL) AS liveOrders,
      TOTAL(CASE WHEN o.cancelledAt IS NULL THEN o.totalMinor - COALESCE(rf.refunded, 0) ELSE 0 END) AS liveNetMinor,
      SUM(r.id IS NOT NULL) AS answeredOrders,
      TOTAL(CASE WHEN o.cancelledAt IS NULL THEN o.totalMinor ELSE 0 END) AS liveGrossMinor,
      SUM(o.cancelledAt IS NULL AND rf.orderId IS NOT NULL) AS refundedOrders
    FROM "Order" o
    LEFT JOIN (SELECT shop, orderId, SUM(shopAmountMinor) AS refunded FROM "Refund" GROUP BY shop, orderId) rf ON rf.shop = o.shop AND rf.orderId = o.id
    LEFT JOIN "SurveyResponse" r ON r.shop = o.shop AND r.orderId = o.id
    WHERE o.test = 0 GROUP BY 1, 2 ORDER BY 1, 2`,
};

type Row = Record<string, unknown>;
const plain = (rows: Row[]) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
const query = async (sql: string) => plain(await prisma.$queryRawUnsafe<Row[]>(sql));
/** A rollup table without its all-zero rows (left behind when every answer or order moved away from a key). */
const rollup = async (table: string, keys: string, counter: string) =>
  query(`SELECT * FROM "${table}" WHERE ${counter} <> 0 ORDER BY ${keys}`);

async function expectRollupsMatchDefinitions() {
  const derived = await query(`SELECT id, segTier, segCustomerType, segBand, answeredMinor, followOrders, followNetMinor, segRefund FROM "SurveyResponse" ORDER BY id`);
  expect(derived).toEqual(await query(DEFINITIONS.derived));
  expect(await rollup("CxDaily", "shop, dimension, day, segment", "answers")).toEqual(await query(DEFINITIONS.cxDaily));
  expect(await rollup("CxWorthDaily", "shop, day, category", "answers")).toEqual(await query(DEFINITIONS.worthDaily));
  expect(await rollup("OrderDaily", "shop, day", "orders")).toEqual(await query(DEFINITIONS.orderDaily));
  // Nothing is left negative, even transiently kept rows.
  expect(await query(`SELECT * FROM "CxDaily" WHERE answers < 0 OR promoters < 0 OR cesSum < 0`)).toEqual([]);
  expect(await query(`SELECT * FROM "OrderDaily" WHERE orders < 0 OR answeredOrders < 0`)).toEqual([]);
}

describe("CX daily rollups kept by triggers", () => {
  beforeAll(async () => {
    await installShop(SHOP);
    await installShop(OTHER);
  });

  it("equal their definitions after every kind of write, in an awkward order", async () => {
    // An answer before its order (a guest until the order links the customer), then the order.
    await answer(SHOP, 100, 40, { nps: 9, csat: 5, attribution: { optionId: "search" }, comment: "Lovely" });
    await expectRollupsMatchDefinitions();
    await order(SHOP, 100, 40.1, 1, "120.00");
    await expectRollupsMatchDefinitions();

    // Later orders of the same customer, answered (returning), within and beyond 90 days of the first answer.
    await order(SHOP, 101, 20, 1, "35.50");
    await answer(SHOP, 101, 19.9, { nps: 4, ces: 2 });
    await order(SHOP, 102, 1, 1, "3000.00");
    await answer(SHOP, 102, 0.9, { nps: 7, csat: 3, ces: 6 });
    // A refund before its order, then the order (another customer), then a refund after.
    await deliver(SHOP, refundsCreate, "refunds/create", restRefund({ id: 900, order_id: 103, transactions: [{ id: 9000, kind: "refund", status: "success", amount: "10.00", currency: "USD" }] }));
    await order(SHOP, 103, 10, 2, "80.00");
    await answer(SHOP, 103, 9.5, { nps: 10 });
    await deliver(SHOP, refundsCreate, "refunds/create", restRefund({ id: 901, order_id: 101, transactions: [{ id: 9010, kind: "refund", status: "success", amount: "5.50", currency: "USD" }] }));
    await expectRollupsMatchDefinitions();

    // An earlier order of customer 2 arrives late (import): their answered order becomes "returning".
    await order(SHOP, 104, 60, 2, "0.40");
    // A test order and a guest order with an answer; a cancelled order.
    await order(SHOP, 105, 5, 3, "99.00", { test: true });
    await answer(SHOP, 105, 4.9, { csat: 1 });
    await order(SHOP, 106, 3, null, "45.00");
    await answer(SHOP, 106, 2.9, { nps: 0, attribution: { optionId: "social" } });
    await deliver(SHOP, ordersCancelled, "orders/cancelled", restOrder({ id: 101, created_at: new Date(NOW - 20 * DAY).toISOString(), processed_at: new Date(NOW - 20 * DAY).toISOString(), updated_at: new Date(NOW - 2 * DAY).toISOString(), total_price: "35.50", cancelled_at: new Date(NOW - 2 * DAY).toISOString(), customer: { id: 1, first_name: "R", last_name: "1", email: "r1@example.com" } }));
    await expectRollupsMatchDefinitions();

    // An order edit changes the total (and its value band); an answer edit within 24 hours changes its scores.
    await order(SHOP, 103, 10, 2, "260.00", { topic: "orders/updated", updated_at: new Date(NOW - 1 * DAY).toISOString() });
    await answer(SHOP, 102, 0.5, { nps: 2, csat: 1, ces: 1, attribution: { optionId: "friend" } });
    await expectRollupsMatchDefinitions();

    // The same events in another shop stay in that shop's rows.
    await order(OTHER, 100, 40, 1, "120.00");
    await answer(OTHER, 100, 39.9, { nps: 3 });
    await expectRollupsMatchDefinitions();

    // A tier change moves the customer's answers between tier segments; a redaction keeps the scores.
    await prisma.customer.update({ where: { shop_id: { shop: SHOP, id: "1" } }, data: { tierSlug: "gold" } });
    await expectRollupsMatchDefinitions();
    await erasePersonalData(SHOP, "2");
    await expectRollupsMatchDefinitions();

    // And the figures are not empty: the definitions are being compared on real data.
    const all = await query(`SELECT SUM(answers) AS n FROM "CxDaily" WHERE shop = '${SHOP}' AND dimension = 'all'`);
    expect(all).toEqual([{ n: 6 }]);
    const segments = await query(`SELECT segment, SUM(answers) AS n FROM "CxDaily" WHERE shop = '${SHOP}' AND dimension = 'customerType' GROUP BY segment HAVING n > 0 ORDER BY segment`);
    expect(segments).toEqual([
      { segment: "guest", n: 1 },
      { segment: "new", n: 2 },
      { segment: "returning", n: 3 },
    ]);
    const refundSegments = async () =>
      query(`SELECT segment, SUM(answers) AS n FROM "CxDaily" WHERE shop = '${SHOP}' AND dimension = 'refund' GROUP BY segment HAVING n > 0 ORDER BY segment`);
    // Customer 2 has a refund (order 103); customer 1's only refund is on order 101, since cancelled: not a return.
    expect(await refundSegments()).toEqual([
      { segment: "none", n: 5 },
      { segment: "refund", n: 1 },
    ]);

    // The refund segment of a guest: the answer first, then a refund before its order, then the guest order.
    await answer(SHOP, 107, 2, { nps: 8 });
    await deliver(SHOP, refundsCreate, "refunds/create", restRefund({ id: 902, order_id: 107, transactions: [{ id: 9020, kind: "refund", status: "success", amount: "5.00", currency: "USD" }] }));
    await expectRollupsMatchDefinitions();
    await order(SHOP, 107, 2.1, null, "50.00");
    await expectRollupsMatchDefinitions();
    // A refund after its guest order, answered earlier.
    await deliver(SHOP, refundsCreate, "refunds/create", restRefund({ id: 904, order_id: 106, transactions: [{ id: 9040, kind: "refund", status: "success", amount: "45.00", currency: "USD" }] }));
    await expectRollupsMatchDefinitions();
    // A refund on a test order is no return: customer 3 stays without.
    await deliver(SHOP, refundsCreate, "refunds/create", restRefund({ id: 903, order_id: 105, transactions: [{ id: 9030, kind: "refund", status: "success", amount: "99.00", currency: "USD" }] }));
    await expectRollupsMatchDefinitions();
    expect(await refundSegments()).toEqual([
      { segment: "none", n: 4 },
      { segment: "refund", n: 3 },
    ]);
    // A second refund of an order (customer 2's order 103) counts the order once.
    await deliver(SHOP, refundsCreate, "refunds/create", restRefund({ id: 905, order_id: 103, transactions: [{ id: 9050, kind: "refund", status: "success", amount: "1.00", currency: "USD" }] }));
    await expectRollupsMatchDefinitions();
    // Refund rows removed (as shop/redact removes them): customer 2 keeps a refund until the last one goes.
    await prisma.refund.delete({ where: { shop_id: { shop: SHOP, id: "900" } } });
    await expectRollupsMatchDefinitions();
    expect(await refundSegments()).toEqual([
      { segment: "none", n: 4 },
      { segment: "refund", n: 3 },
    ]);
    await prisma.refund.delete({ where: { shop_id: { shop: SHOP, id: "905" } } });
    await expectRollupsMatchDefinitions();
    expect(await refundSegments()).toEqual([
      { segment: "none", n: 5 },
      { segment: "refund", n: 2 },
    ]);
  });

  it("keep removing what is deleted: a shop's rows deleted leave its rollups at zero", async () => {
    await prisma.surveyResponse.deleteMany({ where: { shop: OTHER } });
    await prisma.order.deleteMany({ where: { shop: OTHER } });
    await expectRollupsMatchDefinitions();
    expect(await query(`SELECT SUM(answers) AS n FROM "CxDaily" WHERE shop = '${OTHER}'`)).toEqual([{ n: 0 }]);
  });
});
