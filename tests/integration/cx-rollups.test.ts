import { beforeAll, describe, expect, inject, it } from "vitest";
import { Prisma } from "@prisma/client";
import type pg from "pg";
import { connectRaw, prisma, readSql } from "~/db.server";
import { mulberry32 } from "~/demo/random";
import { validateSubmission } from "~/domain/survey/answer";
import { VALUE_EDGES_MINOR } from "~/domain/cx/value-bands";
import { erasePersonalData } from "~/models/privacy.server";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { restOrder, restRefund } from "../support/orders";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

// The daily rollups (CxDaily, CxWorthDaily, OrderDaily) and the derived answer columns are kept by PL/pgSQL triggers.
// Here every kind of write the app makes goes through the real handlers in an awkward order (answers before their
// orders, refunds before their orders, late earlier orders, edits, cancellations, test orders, tier changes, a
// redaction), and then every rollup row is compared with the same figures computed from the source rows by the
// plain definitions below, written independently of the trigger functions
// (prisma/migrations/20261203000100_cx_rollups/migration.sql).

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

const EDGES = "ARRAY[50, 100, 250, 5000, 10000, 25000, 50000, 100000, 250000]";
/** The 90-day window after an answer, the customer's orders in it (not test, not cancelled). */
const following = (r: string, f: string) =>
  `${f}."shop" = ${r}."shop" AND ${f}."customerId" = ${r}."customerId" AND NOT ${f}."test" AND ${f}."cancelledAt" IS NULL
     AND ${f}."placedAt" > ${r}."createdAt" AND ${f}."placedAt" <= ${r}."createdAt" + interval '90 days'`;
const REFUNDED = `(SELECT "shop", "orderId", SUM("shopAmountMinor") AS "refunded" FROM "Refund" GROUP BY "shop", "orderId")`;

const DEFINITIONS = {
  derived: `
    SELECT r."id",
      CASE WHEN r."customerId" IS NULL THEN 'guest' ELSE COALESCE(c."tierSlug", '') END AS "segTier",
      CASE WHEN r."customerId" IS NULL OR o."id" IS NULL THEN 'guest'
           WHEN (SELECT COUNT(*) FROM "Order" p WHERE p."shop" = r."shop" AND p."customerId" = r."customerId" AND NOT p."test" AND p."placedAt" < o."placedAt") > 0 THEN 'returning'
           ELSE 'new' END AS "segCustomerType",
      CASE WHEN o."id" IS NULL THEN 'unknown' ELSE CAST((SELECT COUNT(*) FROM unnest(${EDGES}) AS e WHERE o."totalMinor" >= e) AS TEXT) END AS "segBand",
      COALESCE(o."totalMinor", 0) AS "answeredMinor",
      (SELECT COUNT(*) FROM "Order" f WHERE ${following("r", "f")}) AS "followOrders",
      COALESCE((SELECT SUM(f."totalMinor") - COALESCE(SUM(rf."refunded"), 0)
         FROM "Order" f LEFT JOIN ${REFUNDED} rf ON rf."shop" = f."shop" AND rf."orderId" = f."id"
         WHERE ${following("r", "f")}), 0) AS "followNetMinor",
      CASE WHEN (SELECT COUNT(*) FROM "Refund" x JOIN "Order" ro ON ro."shop" = x."shop" AND ro."id" = x."orderId"
         WHERE x."shop" = r."shop" AND NOT ro."test" AND ro."cancelledAt" IS NULL
           AND ((r."customerId" IS NULL AND x."orderId" = r."orderId") OR (r."customerId" IS NOT NULL AND ro."customerId" = r."customerId"))) > 0
        THEN 'refund' ELSE 'none' END AS "segRefund"
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
    LEFT JOIN "Customer" c ON c."shop" = r."shop" AND c."id" = r."customerId"
    ORDER BY r."id"`,
  cxDaily: `
    SELECT "shop", "dimension", "day", "segment", COUNT(*) AS "answers", COUNT(*) FILTER (WHERE "nps" >= 9) AS "promoters",
      COUNT(*) FILTER (WHERE "nps" BETWEEN 7 AND 8) AS "passives", COUNT(*) FILTER (WHERE "nps" <= 6) AS "detractors",
      COUNT("csat") AS "csatAnswers", COUNT(*) FILTER (WHERE "csat" >= 4) AS "csatSatisfied", COUNT("ces") AS "cesAnswers",
      COALESCE(SUM("ces"), 0) AS "cesSum", COALESCE(SUM("ces" * "ces"), 0) AS "cesSumOfSquares", COUNT(*) FILTER (WHERE "ces" >= 5) AS "cesEasy"
    FROM (
      SELECT r.*, d."dimension", floor(extract(epoch FROM r."createdAt") / ${DAY / 1000})::int AS "day",
        CASE d."dimension" WHEN 'all' THEN '' WHEN 'tier' THEN r."segTier" WHEN 'customerType' THEN r."segCustomerType"
          WHEN 'orderValue' THEN r."segBand" WHEN 'refund' THEN r."segRefund" ELSE COALESCE(r."attributionOption", '') END AS "segment"
      FROM "SurveyResponse" r,
        (VALUES ('all'), ('tier'), ('customerType'), ('orderValue'), ('attribution'), ('refund')) AS d ("dimension")
    ) AS cells
    GROUP BY "shop", "dimension", "day", "segment" ORDER BY "shop", "dimension", "day", "segment"`,
  worthDaily: `
    SELECT "shop", floor(extract(epoch FROM "createdAt") / ${DAY / 1000})::int AS "day",
      CASE WHEN "nps" >= 9 THEN 'promoter' WHEN "nps" >= 7 THEN 'passive' ELSE 'detractor' END AS "category",
      COUNT(*) AS "answers", SUM("answeredMinor") AS "answeredMinor", COUNT(*) FILTER (WHERE "followOrders" > 0) AS "repeaters",
      SUM("followNetMinor") AS "followNetMinor"
    FROM "SurveyResponse" WHERE "nps" IS NOT NULL AND "customerId" IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  orderDaily: `
    SELECT o."shop", floor(extract(epoch FROM o."placedAt") / ${DAY / 1000})::int AS "day", COUNT(*) AS "orders", SUM(o."totalMinor") AS "grossMinor",
      COALESCE(SUM(rf."refunded"), 0) AS "refundedMinor", COUNT(*) FILTER (WHERE o."cancelledAt" IS NULL) AS "liveOrders",
      COALESCE(SUM(CASE WHEN o."cancelledAt" IS NULL THEN o."totalMinor" - COALESCE(rf."refunded", 0) ELSE 0 END), 0) AS "liveNetMinor",
      COUNT(r."id") AS "answeredOrders",
      COALESCE(SUM(CASE WHEN o."cancelledAt" IS NULL THEN o."totalMinor" ELSE 0 END), 0) AS "liveGrossMinor",
      COUNT(*) FILTER (WHERE o."cancelledAt" IS NULL AND rf."orderId" IS NOT NULL) AS "refundedOrders"
    FROM "Order" o
    LEFT JOIN ${REFUNDED} rf ON rf."shop" = o."shop" AND rf."orderId" = o."id"
    LEFT JOIN "SurveyResponse" r ON r."shop" = o."shop" AND r."orderId" = o."id"
    WHERE NOT o."test" GROUP BY 1, 2 ORDER BY 1, 2`,
};

type Row = Record<string, unknown>;
const plain = (rows: Row[]) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
/** Raw SQL through the read pool: every integer (bigint, COUNT, SUM) comes back as a number. */
const query = async (sql: string) => plain(await readSql().$queryRaw<Row[]>(Prisma.raw(sql)));
/** A rollup table without its all-zero rows (left behind when every answer or order moved away from a key). */
const rollup = async (table: string, keys: string, counter: string) =>
  query(`SELECT * FROM "${table}" WHERE "${counter}" <> 0 ORDER BY ${keys}`);

async function expectRollupsMatchDefinitions() {
  const derived = await query(
    `SELECT "id", "segTier", "segCustomerType", "segBand", "answeredMinor", "followOrders", "followNetMinor", "segRefund" FROM "SurveyResponse" ORDER BY "id"`,
  );
  expect(derived).toEqual(await query(DEFINITIONS.derived));
  expect(await rollup("CxDaily", `"shop", "dimension", "day", "segment"`, "answers")).toEqual(await query(DEFINITIONS.cxDaily));
  expect(await rollup("CxWorthDaily", `"shop", "day", "category"`, "answers")).toEqual(await query(DEFINITIONS.worthDaily));
  expect(await rollup("OrderDaily", `"shop", "day"`, "orders")).toEqual(await query(DEFINITIONS.orderDaily));
  // Nothing is left negative, even transiently kept rows.
  expect(await query(`SELECT * FROM "CxDaily" WHERE "answers" < 0 OR "promoters" < 0 OR "cesSum" < 0`)).toEqual([]);
  expect(await query(`SELECT * FROM "OrderDaily" WHERE "orders" < 0 OR "answeredOrders" < 0`)).toEqual([]);
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
    const all = await query(`SELECT SUM("answers") AS n FROM "CxDaily" WHERE "shop" = '${SHOP}' AND "dimension" = 'all'`);
    expect(all).toEqual([{ n: 6 }]);
    const segments = await query(`SELECT "segment", SUM("answers") AS n FROM "CxDaily" WHERE "shop" = '${SHOP}' AND "dimension" = 'customerType' GROUP BY "segment" HAVING SUM("answers") > 0 ORDER BY "segment"`);
    expect(segments).toEqual([
      { segment: "guest", n: 1 },
      { segment: "new", n: 2 },
      { segment: "returning", n: 3 },
    ]);
    const refundSegments = async () =>
      query(`SELECT "segment", SUM("answers") AS n FROM "CxDaily" WHERE "shop" = '${SHOP}' AND "dimension" = 'refund' GROUP BY "segment" HAVING SUM("answers") > 0 ORDER BY "segment"`);
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
    expect(await query(`SELECT SUM("answers") AS n FROM "CxDaily" WHERE "shop" = '${OTHER}'`)).toEqual([{ n: 0 }]);
  });
});

describe("CX daily rollups: the set-wise rebuild and the value buckets", () => {
  it("rebuilds every derived column and rollup row the triggers kept, from the source rows", async () => {
    // GIVEN the rows the tests above left behind, and their rollups as the triggers kept them
    const keys = { CxDaily: `"shop", "dimension", "day", "segment"`, CxWorthDaily: `"shop", "day", "category"`, OrderDaily: `"shop", "day"` };
    const kept = async () => ({
      derived: await query(`SELECT "id", "segTier", "segCustomerType", "segBand", "answeredMinor", "followOrders", "followNetMinor", "segRefund" FROM "SurveyResponse" ORDER BY "id"`),
      cx: await rollup("CxDaily", keys.CxDaily, "answers"),
      worth: await rollup("CxWorthDaily", keys.CxWorthDaily, "answers"),
      orders: await rollup("OrderDaily", keys.OrderDaily, "orders"),
    });
    const before = await kept();
    // WHEN the derived columns are spoiled and everything is rebuilt (what a migration that changes a definition runs)
    await prisma.$executeRawUnsafe(`SELECT "cx_rollup_triggers"(false)`);
    await prisma.$executeRawUnsafe(`UPDATE "SurveyResponse" SET "segTier" = 'spoiled', "followOrders" = 99`);
    await prisma.$executeRawUnsafe(`SELECT "cx_rollups_rebuild"()`);
    // THEN the same rows, with the triggers on again
    expect(await kept()).toEqual(before);
    const disabled = await query(`SELECT tgname FROM pg_trigger WHERE tgname LIKE 'cx\\_%' AND tgenabled = 'D'`);
    expect(disabled).toEqual([]);
    expect((await query(`SELECT COUNT(*) AS n FROM pg_trigger WHERE tgname LIKE 'cx\\_%'`))[0]!.n).toBeGreaterThanOrEqual(13);
  });

  it("buckets order values at the edges the dashboard merges into bands (VALUE_EDGES_MINOR)", async () => {
    const totals = [0, ...VALUE_EDGES_MINOR.flatMap((e) => [e - 1, e]), 2 ** 53 - 1];
    const rows = await query(`SELECT t AS "total", "cx_value_bucket"(t) AS "bucket" FROM unnest(ARRAY[${totals.join(", ")}]::bigint[]) AS t`);
    expect(rows).toEqual(totals.map((total) => ({ total, bucket: String(VALUE_EDGES_MINOR.filter((e) => total >= e).length) })));
  });
});

/**
 * PostgreSQL runs transactions concurrently (READ COMMITTED): a row another transaction has written but not committed
 * is invisible. Each case runs two writes that depend on each other in two open transactions: the first one's
 * statement, then the second one's (which has to wait for the first one's lock, checked in pg_stat_activity), then
 * the first commits and the second finishes and commits. Without the triggers' locks the second would miss the first
 * one's row and the rollups would differ from their definitions.
 */
describe("CX daily rollups under concurrent transactions", () => {
  const SHOP_C = "rollups-race.myshopify.com";
  const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY);
  const insertOrder = (c: pg.PoolClient, id: string, customer: string | null, daysAgo: number, totalMinor: number) =>
    c.query(
      `INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt")
       VALUES ($1, $2, '#' || $2, $3, 'USD', 'USD', $4, $4, $5, $5)`,
      [SHOP_C, id, customer, totalMinor, at(daysAgo)],
    );
  const insertAnswer = (c: pg.PoolClient, orderId: string, customer: string | null, daysAgo: number, nps: number) =>
    c.query(
      `INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "nps", "locale", "surface", "createdAt", "updatedAt")
       VALUES ($1, $2, $3, $4, 'en', 'thank-you', $5, $5)`,
      [SHOP_C, orderId, customer, nps, at(daysAgo)],
    );
  const insertRefund = (c: pg.PoolClient, id: string, orderId: string, amountMinor: number) =>
    c.query(
      `INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "shopAmountMinor", "createdAt") VALUES ($1, $2, $3, $4, 'USD', $4, $5)`,
      [SHOP_C, id, orderId, amountMinor, at(1)],
    );
  const setTier = (c: pg.PoolClient, customer: string, tier: string) =>
    c.query(`UPDATE "Customer" SET "tierSlug" = $3 WHERE "shop" = $1 AND "id" = $2`, [SHOP_C, customer, tier]);

  beforeAll(async () => {
    await prisma.customer.createMany({ data: ["21", "22"].map((id) => ({ shop: SHOP_C, id, updatedAt: new Date(NOW) })) });
    // Order 320 is customer 31's; its answer was given by customer 32 (the answer's customer need not be the order's).
    const c = await connectRaw();
    try {
      await insertOrder(c, "320", "31", 10, 8_000);
      await insertAnswer(c, "320", "32", 9, 7);
    } finally {
      c.release();
    }
  });

  type Write = (c: pg.PoolClient) => Promise<unknown>;
  it.each<[string, Write, Write]>([
    ["a guest answer, then its order", (c) => insertAnswer(c, "301", null, 5, 9), (c) => insertOrder(c, "301", "11", 6, 12_000)],
    ["an order, then its answer", (c) => insertOrder(c, "302", "12", 6, 30_000), (c) => insertAnswer(c, "302", "12", 5, 3)],
    ["an answer, then its customer's next order within 90 days", (c) => insertAnswer(c, "302b", "12", 4, 10), (c) => insertOrder(c, "303", "12", 2, 4_000)],
    ["an order, then its customer's answer to an earlier order", (c) => insertOrder(c, "304", "13", 2, 7_000), (c) => insertAnswer(c, "305", "13", 20, 8)],
    ["a refund, then its order", (c) => insertRefund(c, "r306", "306", 1_000), (c) => insertOrder(c, "306", "14", 3, 9_000)],
    ["an order, then its refund", (c) => insertOrder(c, "307", "15", 3, 9_000), (c) => insertRefund(c, "r307", "307", 2_500)],
    ["two refunds of one order", (c) => insertRefund(c, "r306b", "306", 500), (c) => insertRefund(c, "r306c", "306", 700)],
    ["a tier change, then an answer of that customer", (c) => setTier(c, "21", "gold"), (c) => insertAnswer(c, "308", "21", 1, 10)],
    ["an answer, then a tier change of its customer", (c) => insertAnswer(c, "309", "22", 1, 6), (c) => setTier(c, "22", "silver")],
    [
      // The answer's type depends on the answered order's date and on its customer's orders: the two writers share no
      // order and no customer of their own, only the answer's customer.
      "an answered order moved earlier, then an order of the answer's customer",
      (c) => c.query(`UPDATE "Order" SET "placedAt" = $3 WHERE "shop" = $1 AND "id" = $2`, [SHOP_C, "320", at(30)]),
      (c) => insertOrder(c, "321", "32", 20, 5_000),
    ],
    [
      "a new customer with a tier, then an answer of that customer",
      (c) => c.query(`INSERT INTO "Customer" ("shop", "id", "tierSlug", "updatedAt") VALUES ($1, '23', 'gold', now())`, [SHOP_C]),
      (c) => insertAnswer(c, "310", "23", 1, 9),
    ],
  ])("%s: the second waits for the first and counts its row", async (_case, first, second) => {
    const a = await connectRaw();
    const b = await connectRaw();
    try {
      await a.query("BEGIN");
      await first(a);
      await b.query("BEGIN");
      const { rows } = await b.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      const secondDone = second(b);
      // The second statement reaches a lock the first transaction holds and waits there.
      let waiting = false;
      for (let i = 0; i < 100 && !waiting; i++) {
        const state = await readSql().$queryRaw<{ wait: string | null }[]>`SELECT wait_event_type AS "wait" FROM pg_stat_activity WHERE pid = ${rows[0]!.pid}`;
        waiting = state[0]?.wait === "Lock";
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await a.query("COMMIT");
      await secondDone;
      await b.query("COMMIT");
      expect(waiting).toBe(true);
    } finally {
      a.release();
      b.release();
    }
    await expectRollupsMatchDefinitions();
  });
});

describe("CX daily rollups and bulk statements", () => {
  it("keeps up with bulk statements: 1,200 orders, then their answers, each in one INSERT (one exclusive lock past 500 per-key locks)", async () => {
    // Advisory locks live in a shared table of bounded size: a statement of thousands of orders taking one per order
    // and customer runs out of shared memory (SQLSTATE 53200). Past 500 the transaction takes one exclusive lock.
    const shop = "rollups-bulk.myshopify.com";
    const c = await connectRaw();
    try {
      await c.query("BEGIN");
      await c.query(`
        INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor", "test", "placedAt", "shopifyUpdatedAt")
        SELECT '${shop}', o::text, '#' || o, CASE WHEN o % 5 = 0 THEN NULL ELSE (o % 300)::text END, 'USD', 'USD', 100 * o, 100 * o, o % 97 = 0,
          timestamptz '2026-06-01 00:00Z' + (o % 150) * interval '1 day', now()
        FROM generate_series(1, 1200) o`);
      await c.query(`
        INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "nps", "csat", "locale", "surface", "createdAt", "updatedAt")
        SELECT o."shop", o."id", o."customerId", o."totalMinor" % 11, 1 + o."totalMinor" % 5, 'en', 'thank-you', o."placedAt" + interval '1 hour', now()
        FROM "Order" o WHERE o."shop" = '${shop}' AND o."id"::int % 2 = 0`);
      const { rows } = await c.query<{ held: string; bulk: string }>(`
        SELECT COUNT(*) AS "held",
          COUNT(*) FILTER (WHERE l."mode" = 'ExclusiveLock'
            AND (l."classid"::bigint << 32 | l."objid"::bigint) = hashtextextended('cx bulk', 0)) AS "bulk"
        FROM pg_locks l WHERE l."locktype" = 'advisory' AND l."pid" = pg_backend_pid()`);
      // 500 per-key locks and the last call's few (an order and its customers), the bulk lock shared and exclusive;
      // one per order and customer would be about 1,500.
      expect(Number(rows[0]!.held)).toBeLessThanOrEqual(510);
      expect(Number(rows[0]!.bulk)).toBe(1);
      await c.query("COMMIT");
    } finally {
      c.release();
    }
    await expectRollupsMatchDefinitions();
    expect(await query(`SELECT SUM("answers") AS n FROM "CxDaily" WHERE "shop" = '${shop}' AND "dimension" = 'all'`)).toEqual([{ n: 600 }]);
  }, 60_000);
});

/**
 * Four connections write at once, each in short transactions of one to three random writes on a small set of
 * orders and customers (orders created, edited, cancelled or moved to another customer; answers; refunds added and
 * removed; tier changes), drawn from the run's seed. A transaction that PostgreSQL cancels as a deadlock (40P01) is
 * rolled back and counted, as a caller would retry it: transactions of several events can take the same rows in
 * opposite orders (a few per run here, on 24 orders and 5 customers; none when each transaction holds one write).
 * Afterwards every rollup equals its definition; without the triggers' locks it does not.
 */
describe("CX daily rollups under random concurrent writers", () => {
  it("equal their definitions after 4 × 40 concurrent transactions", async () => {
    const shop = "rollups-random.myshopify.com";
    const rand = mulberry32(inject("testSeed"));
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const orders = Array.from({ length: 24 }, (_, i) => String(700 + i));
    const customers = ["c1", "c2", "c3", "c4", "c5", null] as const;
    await prisma.customer.createMany({ data: ["c1", "c2", "c3"].map((id) => ({ shop, id, updatedAt: new Date(NOW) })) });
    let refundId = 0;
    type Op = (c: pg.PoolClient) => Promise<unknown>;
    const ops: (() => Op)[] = [
      () => {
        const [id, customer, days, total] = [pick(orders), pick(customers), Math.floor(rand() * 120), 100 + Math.floor(rand() * 40_000)];
        return (c) =>
          c.query(
            `INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor", "test", "placedAt", "shopifyUpdatedAt")
             VALUES ($1, $2, '#' || $2, $3, 'USD', 'USD', $4, $4, $5, $6, $6)
             ON CONFLICT ("shop", "id") DO UPDATE SET "totalMinor" = excluded."totalMinor", "customerId" = excluded."customerId", "placedAt" = excluded."placedAt"`,
            [shop, id, customer, total, rand() < 0.1, new Date(NOW - days * DAY)],
          );
      },
      () => {
        const [id, cancelled] = [pick(orders), rand() < 0.5];
        return (c) => c.query(`UPDATE "Order" SET "cancelledAt" = CASE WHEN $3 THEN "placedAt" END WHERE "shop" = $1 AND "id" = $2`, [shop, id, cancelled]);
      },
      () => {
        const [id, customer, days, nps] = [pick(orders), pick(customers), Math.floor(rand() * 120), Math.floor(rand() * 11)];
        return (c) =>
          c.query(
            `INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "nps", "locale", "surface", "createdAt", "updatedAt")
             VALUES ($1, $2, $3, $4, 'en', 'thank-you', $5, $5) ON CONFLICT ("shop", "orderId") DO UPDATE SET "nps" = excluded."nps"`,
            [shop, id, customer, nps, new Date(NOW - days * DAY)],
          );
      },
      () => {
        const [id, order, amount] = [`x${++refundId}`, pick(orders), 100 + Math.floor(rand() * 5_000)];
        return (c) =>
          c.query(`INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "shopAmountMinor", "createdAt") VALUES ($1, $2, $3, $4, 'USD', $4, now())`, [
            shop,
            id,
            order,
            amount,
          ]);
      },
      () => {
        const order = pick(orders);
        return (c) => c.query(`DELETE FROM "Refund" WHERE "shop" = $1 AND "orderId" = $2`, [shop, order]);
      },
      () => {
        const [customer, tier] = [pick(["c1", "c2", "c3"]), pick(["gold", "silver", null])];
        return (c) => c.query(`UPDATE "Customer" SET "tierSlug" = $3 WHERE "shop" = $1 AND "id" = $2`, [shop, customer, tier]);
      },
    ];
    // The writes of each transaction are drawn up front, so the run is the same whatever the timing.
    const plans = Array.from({ length: 4 }, () => Array.from({ length: 40 }, () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(ops)())));
    let deadlocks = 0;
    await Promise.all(
      plans.map(async (transactions) => {
        const c = await connectRaw();
        try {
          // A deadlock is found after deadlock_timeout (1 s by default); the test needs no such patience.
          await c.query("SET deadlock_timeout = '50ms'");
          for (const writes of transactions) {
            await c.query("BEGIN");
            try {
              for (const write of writes) await write(c);
              await c.query("COMMIT");
            } catch (error) {
              await c.query("ROLLBACK");
              if ((error as { code?: string }).code !== "40P01") throw error;
              deadlocks++;
            }
          }
        } finally {
          await c.query("RESET deadlock_timeout");
          c.release();
        }
      }),
    );
    await expectRollupsMatchDefinitions();
    expect(deadlocks).toBeLessThan(40);
    expect(await query(`SELECT COUNT(*) AS n FROM "SurveyResponse" WHERE "shop" = '${shop}'`)).not.toEqual([{ n: 0 }]);
  }, 60_000);
});

