import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readSql } from "~/db.server";
import { encodeTimeIdCursor } from "~/domain/cursor";
import { countCustomers, customerAnswers, customerLedgerPage, customerListPage, customerOrders, customersPerTier } from "~/models/customer-queries.server";
import { followUpsOfCustomer } from "~/models/followups.server";
import { countOpenAndOverdue, earlierAnswersOf, followUpMedianTimes } from "~/models/followup-work.server";
import { attributionCounts } from "~/models/attribution-report.server";
import { answerValueCounts, searchTextAnswers } from "~/models/question-report.server";
import { ordersForEligibility } from "~/models/order-eligibility.server";
import { mostRefundedItems, returnFiguresByBucket, returnTotals } from "~/models/returns-figures.server";
import { earliestOrderPlacedAt } from "~/models/orders.server";
import { claimDueMessages, shopsWithDueMessages } from "~/models/outbox.server";
import { shopsWithBulkMirrorWork } from "~/models/bulk-mirror.server";
import { duePendingOrders, pointHoldersOf, releasePendingPoints } from "~/models/pending-points.server";
import { hasEarlierOrder } from "~/models/survey-audience.server";
import { exportFlowTriggerRows } from "~/models/privacy-export.server";
import type { SqlTx } from "~/models/transaction.server";
import { questionReach, responseRateCounts } from "~/models/survey-response-rate.server";
import { autoExplained, nodesOf, recordedStatements, type PlanNode } from "../support/plans";

/**
 * Query plans of the hot read queries on PostgreSQL: each statement is captured as the app sends it (text and
 * parameters, from the read pool), then planned with EXPLAIN (FORMAT JSON) on a database seeded with many shops and
 * analysed (VACUUM ANALYZE, as autovacuum leaves a production table). Each check names the table it is about and the
 * index that must serve it: the plan reaches that table through that index (Index Scan, Index Only Scan or Bitmap
 * Index Scan), never through a Seq Scan, and through no other index unless the check allows it. Both the custom plan
 * (with the parameters) and the generic plan (what a prepared statement may switch to after five runs) are checked.
 *
 * The refunds of one order (the rollup expressions' "refunded amount of this order", net spend, the customer page)
 * must use Refund[shop, orderId, shopAmountMinor], never the return figures' Refund[shop, createdAt, …]: on SQLite
 * the planner once preferred that covering index and scanned every refund of the shop per row (decision 014). The
 * statements the rollup triggers run inside PL/pgSQL are not visible to EXPLAIN: auto_explain reports their plans
 * (nested statements) during an order event and a refund event, and the same rule is checked on them.
 *
 * SQLite's STAT4 value samples (`dropValueSamples`) have no PostgreSQL counterpart: those cases are gone.
 */

const SHOPS = 20;
const SHOP = "plan-00.myshopify.com";
const CUSTOMERS = 400;
const ORDERS = 1500;
const MARCH = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-31T00:00:00Z") };

let client: pg.Client;

/** The tables the seed fills. */
const SEEDED = [
  "Customer",
  "Order",
  "OrderLineItem",
  "Refund",
  "RefundLineItem",
  "Product",
  "PointsLedger",
  "PendingPoints",
  "SurveyResponse",
  "SurveySeen",
  "FollowUp",
  "OrderDaily",
  "OutboxMessage",
];

/**
 * Rows for SHOPS shops (SHOP is one of them), written with triggers off: the rollups are seeded directly. Then
 * VACUUM ANALYZE leaves every page all-visible, as autovacuum leaves an append-mostly production table; the plans
 * depend on it (an index-only scan is costed by the share of all-visible pages), so it is made certain:
 * - the seed commits with synchronous_commit on. The test server runs with it off, and a row whose commit record is
 *   not yet flushed cannot be marked committed on its page, so VACUUM may not mark that page all-visible. Whether
 *   the WAL writer had flushed by then was a matter of timing: the Customer table was left with no all-visible page
 *   in 3 of 4 runs (0 of 4 with this setting), and SurveyResponse left so made the NPS counts' generic plan take a
 *   bitmap scan of SurveyResponse_shop_customerId_createdAt_idx instead of SurveyResponse_latest_nps_idx.
 * - autovacuum is off on these tables: an automatic ANALYZE running during the VACUUM holds back the rows VACUUM
 *   may call visible to all, and would replace the statistics with another sample at any time.
 */
async function seed() {
  await client.query(`SET synchronous_commit = on`);
  for (const table of SEEDED) await client.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
  await client.query(`SET session_replication_role = replica`);
  const shops = `(SELECT s, 'plan-' || lpad(s::text, 2, '0') || '.myshopify.com' AS shop FROM generate_series(0, ${SHOPS - 1}) s) sh`;
  await client.query(`
    INSERT INTO "Customer" ("shop", "id", "firstName", "lastName", "email", "updatedAt", "lifetimeNetMinor", "orderCount",
      "lastOrderAt", "tierSlug", "pointsBalance")
    SELECT sh.shop, (100000 + c)::text, 'First' || c, 'Last' || c, 'c' || c || '@example.com', now(), (c * 7919) % 100000, c % 9,
      CASE WHEN c % 10 = 0 THEN NULL ELSE timestamptz '2026-01-01 00:00Z' + (c % 300) * interval '1 day' END,
      (ARRAY['bronze', 'silver', 'gold', NULL])[1 + c % 4], (c * 31) % 5000
    FROM ${shops}, generate_series(1, ${CUSTOMERS}) c`);
  await client.query(`
    INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor",
      "presentmentTotalMinor", "test", "cancelledAt", "placedAt", "shopifyUpdatedAt", "lineItemCount")
    SELECT sh.shop, (500000 + o)::text, '#' || o, (100000 + 1 + o % ${CUSTOMERS})::text, 'USD', 'USD', 1000 + o, 1000 + o,
      o % 50 = 0, CASE WHEN o % 40 = 0 THEN timestamptz '2026-06-01 00:00Z' END,
      timestamptz '2026-01-01 00:00Z' + (o % 365) * interval '1 day' + (o % 24) * interval '1 hour',
      timestamptz '2026-01-01 00:00Z' + (o % 365) * interval '1 day', 2
    FROM ${shops}, generate_series(1, ${ORDERS}) o`);
  await client.query(`
    INSERT INTO "OrderLineItem" ("shop", "orderId", "id", "productId", "title", "quantity", "priceMinor")
    SELECT o."shop", o."id", o."id" || '0' || n, (n * 7 + o."id"::int % 50)::text, 'Item ' || n, 1 + n, 500
    FROM "Order" o, generate_series(1, 2) n`);
  await client.query(`
    INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "shopAmountMinor", "createdAt")
    SELECT o."shop", 'r' || o."id", o."id", 500, 'USD', 500, o."placedAt" + interval '3 days'
    FROM "Order" o WHERE o."id"::int % 4 = 0`);
  await client.query(`
    INSERT INTO "RefundLineItem" ("shop", "refundId", "orderId", "lineItemId", "productId", "title", "quantity", "subtotalMinor", "createdAt")
    SELECT r."shop", r."id", r."orderId", r."orderId" || '01', ((r."orderId"::int) % 50)::text, 'Item 1', 1, 500, r."createdAt"
    FROM "Refund" r`);
  await client.query(`
    INSERT INTO "Product" ("shop", "id", "title", "tags", "shopifyUpdatedAt")
    SELECT sh.shop, p::text, 'Product ' || p, '["final sale"]', now() FROM ${shops}, generate_series(0, 120) p`);
  await client.query(`
    INSERT INTO "PointsLedger" ("shop", "customerId", "points", "kind", "sourceKey", "orderId", "createdAt")
    SELECT o."shop", o."customerId", 10, 'earn', 'order:' || o."id", o."id", o."placedAt" FROM "Order" o`);
  // Every order's points waited out its return window (decision 043): nine in ten released long ago, one in ten still
  // pending, due 30 days after the order. The sweep's table is mostly rows it must never read.
  await client.query(`
    INSERT INTO "PendingPoints" ("shop", "orderId", "availableAt", "capAt", "releasedAt", "createdAt")
    SELECT o."shop", o."id", o."placedAt" + interval '30 days', o."placedAt" + interval '60 days',
      CASE WHEN o."id"::int % 10 = 0 THEN NULL ELSE o."placedAt" + interval '30 days' END, o."placedAt"
    FROM "Order" o`);
  await client.query(`
    INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "nps", "locale", "surface", "createdAt", "updatedAt")
    SELECT o."shop", o."id", o."customerId", o."id"::int % 11, 'en', 'thank-you', o."placedAt", o."placedAt"
    FROM "Order" o WHERE o."id"::int % 3 = 0`);
  // The survey was reported seen (decision 041) for half the orders, from early February: the months before have none.
  await client.query(`
    INSERT INTO "SurveySeen" ("shop", "orderId", "surface", "seenAt")
    SELECT o."shop", o."id", (ARRAY['thank-you', 'order-status'])[1 + o."id"::int % 2], o."placedAt" + interval '5 minutes'
    FROM "Order" o WHERE o."id"::int % 2 = 0 AND o."placedAt" >= timestamptz '2026-02-01 00:00Z'`);
  // Three large shops (SHOP is one): 10,000 more customers each, whose survey has run a while (30,000 answers, some
  // without an NPS score, some from guests), so that reading every customer's latest score is a real amount of work,
  // and no shop is most of a table.
  const large = `(SELECT 'plan-' || lpad(s::text, 2, '0') || '.myshopify.com' AS shop FROM generate_series(0, 2) s) sh`;
  await client.query(`
    INSERT INTO "Customer" ("shop", "id", "updatedAt", "lifetimeNetMinor", "orderCount", "lastOrderAt", "tierSlug", "pointsBalance")
    SELECT sh.shop, (300000 + c)::text, now(), (c * 7919) % 100000, c % 9, timestamptz '2026-01-01 00:00Z' + (c % 300) * interval '1 day',
      (ARRAY['bronze', 'silver', 'gold', NULL])[1 + c % 4], (c * 31) % 5000
    FROM ${large}, generate_series(1, 10000) c`);
  await client.query(`
    INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "nps", "csat", "locale", "surface", "createdAt", "updatedAt")
    SELECT sh.shop, 'more-' || n, CASE WHEN n % 10 = 0 THEN NULL ELSE (300000 + 1 + (n * 7) % 10000)::text END,
      CASE WHEN n % 7 = 0 THEN NULL ELSE n % 11 END, 1 + n % 5, 'en', (ARRAY['thank-you', 'order-status'])[1 + n % 2],
      timestamptz '2025-01-01 00:00Z' + n * interval '17 minutes', timestamptz '2025-01-01 00:00Z' + n * interval '17 minutes'
    FROM ${large}, generate_series(1, 30000) n`);
  await client.query(`
    INSERT INTO "FollowUp" ("shop", "responseId", "orderId", "customerId", "kind", "status", "createdAt", "updatedAt")
    SELECT r."shop", r."id", r."orderId", r."customerId", 'recovery', (ARRAY['open', 'contacted', 'resolved'])[1 + r."id" % 3], r."createdAt", r."createdAt"
    FROM "SurveyResponse" r WHERE r."nps" <= 6`);
  // The outbox: a tier tag per order's customer (most of the table), and a Shopify Flow trigger for half the orders,
  // a tenth of them guest orders (no customer), which the redaction and the data export find by customer or order.
  await client.query(`
    INSERT INTO "OutboxMessage" ("shop", "operation", "variables", "status", "attempts", "nextAttemptAt", "createdAt", "deliveredAt", "subjectId")
    SELECT o."shop", 'tagsAdd', '{"id":"gid://shopify/Customer/' || o."customerId" || '","tags":["afterglow-tier-silver"]}', 'delivered', 1,
      o."placedAt", o."placedAt", o."placedAt", 'gid://shopify/Customer/' || o."customerId"
    FROM "Order" o, generate_series(1, 2) n`);
  await client.query(`
    INSERT INTO "OutboxMessage" ("shop", "operation", "variables", "status", "attempts", "nextAttemptAt", "createdAt", "deliveredAt", "customerId", "orderId")
    SELECT o."shop", 'flowTriggerReceive', '{"handle":"follow-up-status-changed","payload":{}}', 'delivered', 1, o."placedAt", o."placedAt", o."placedAt",
      CASE WHEN o."id"::int % 10 = 0 THEN NULL ELSE o."customerId" END, o."id"
    FROM "Order" o WHERE o."id"::int % 2 = 0`);
  // And a few pending messages per shop, queued last (the highest ids), some due and some waiting for a retry.
  await client.query(`
    INSERT INTO "OutboxMessage" ("shop", "operation", "variables", "status", "attempts", "nextAttemptAt", "createdAt", "subjectId")
    SELECT o."shop", 'tagsAdd', '{"id":"gid://shopify/Customer/' || o."customerId" || '","tags":["afterglow-tier-gold"]}', 'pending', 0,
      timestamptz '2026-06-01 00:00Z' + (o."id"::int % 3) * interval '1 hour', timestamptz '2026-06-01 00:00Z', 'gid://shopify/Customer/' || o."customerId"
    FROM "Order" o WHERE o."id"::int % 50 = 0`);
  await client.query(`
    INSERT INTO "OrderDaily" ("shop", "day", "orders", "grossMinor", "liveOrders", "liveGrossMinor", "refundedOrders")
    SELECT o."shop", "utc_day"(o."placedAt"), COUNT(*), SUM(o."totalMinor"), COUNT(*), SUM(o."totalMinor"), COUNT(*) / 4
    FROM "Order" o GROUP BY 1, 2
    ON CONFLICT ("shop", "day") DO NOTHING`);
  await client.query(`SET session_replication_role = DEFAULT`);
  await client.query(`VACUUM ANALYZE`);
}

/** Every statement `run` sends through the read pool (or the primary pool, for a shopper-facing read): its text and parameters. */
async function statementsOf(run: () => PromiseLike<unknown>, pool: "reader" | "primary" = "reader"): Promise<{ text: string; values: unknown[] }[]> {
  const holder = globalThis.__afterglowPrisma!;
  const spy = vi.spyOn(pool === "reader" ? holder.reader : holder.pool, "query");
  try {
    await run();
    return spy.mock.calls.map(([config]) => {
      const { text, values } = config as unknown as pg.QueryConfig;
      return { text, values: values ?? [] };
    });
  } finally {
    spy.mockRestore();
  }
}

/** Index name → its table, for the Bitmap Index Scans (which name only the index). */
let indexTable = new Map<string, string>();

async function loadIndexTables() {
  const { rows } = await client.query<{ index: string; table: string }>(
    `SELECT indexname::text AS "index", tablename::text AS "table" FROM pg_indexes WHERE schemaname = current_schema()`,
  );
  indexTable = new Map(rows.map((r) => [r.index, r.table]));
}

/** The custom plan (with the parameters) and the generic plan (placeholders unknown) of a statement. */
async function plansOf(statement: { text: string; values: unknown[] }): Promise<{ kind: string; nodes: PlanNode[] }[]> {
  const custom = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
  const plans = [{ kind: "custom", nodes: nodesOf(custom.rows[0]!["QUERY PLAN"][0]!.Plan) }];
  if (statement.values.length > 0) {
    const generic = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${statement.text}`);
    plans.push({ kind: "generic", nodes: nodesOf(generic.rows[0]!["QUERY PLAN"][0]!.Plan) });
  }
  return plans;
}

interface Expectation {
  table: string;
  index: string;
  /** Other indexes of the table the plan may also use (e.g. a primary key for a second part of the query). */
  alsoAllowed?: string[];
}

/** What is wrong with how `nodes` read `table` (empty: it is read through `index`, only allowed indexes, no Seq Scan). */
function accessProblems(nodes: PlanNode[], expectation: Expectation): string[] {
  const { table, index, alsoAllowed = [] } = expectation;
  const onTable = nodes.filter((n) => n["Relation Name"] === table || (n["Index Name"] !== undefined && indexTable.get(n["Index Name"]) === table));
  const problems: string[] = [];
  if (onTable.length === 0) problems.push(`${table} is not read`);
  for (const node of onTable) {
    const type = node["Node Type"];
    if (type === "Seq Scan") problems.push(`Seq Scan on ${table}`);
    else if (["Index Scan", "Index Only Scan", "Bitmap Index Scan"].includes(type)) {
      const name = node["Index Name"]!;
      if (name !== index && !alsoAllowed.includes(name)) problems.push(`${type} on ${table} using ${name}`);
      // The write of an UPDATE names its table too; how it finds the rows is what is checked.
    } else if (type !== "Bitmap Heap Scan" && type !== "ModifyTable") problems.push(`${type} on ${table}`);
  }
  if (!onTable.some((n) => n["Index Name"] === index)) problems.push(`${index} is not used`);
  return problems;
}

/** Problems of every plan (custom and generic) of the statements, for each expectation. */
async function problemsOf(statements: { text: string; values: unknown[] }[], expectations: Expectation[]): Promise<string[]> {
  const plans = (await Promise.all(statements.map(plansOf))).flat();
  const problems: string[] = [];
  for (const kind of ["custom", "generic"]) {
    const nodes = plans.filter((p) => p.kind === kind).flatMap((p) => p.nodes);
    if (nodes.length === 0) continue;
    for (const expectation of expectations) problems.push(...accessProblems(nodes, expectation).map((p) => `${kind} plan: ${p}`));
  }
  return problems;
}

/** The statement that drops `index`, or the constraint it backs (a primary key). */
async function dropIndexStatement(index: string): Promise<string> {
  const { rows } = await client.query<{ constraint: string; table: string }>(
    `SELECT conname::text AS "constraint", conrelid::regclass::text AS "table" FROM pg_constraint WHERE conindid = $1::regclass`,
    [`"${index}"`],
  );
  return rows[0] ? `ALTER TABLE ${rows[0].table} DROP CONSTRAINT "${rows[0].constraint}"` : `DROP INDEX "${index}"`;
}

/** Runs `run` with `index` dropped inside a transaction that is rolled back afterwards. */
async function withoutIndex<T>(index: string, run: () => Promise<T>): Promise<T> {
  const drop = await dropIndexStatement(index);
  await client.query("BEGIN");
  try {
    await client.query(drop);
    return await run();
  } finally {
    await client.query("ROLLBACK");
  }
}

interface Case {
  name: string;
  /** What sends the statements through a pool (`pool`), or, with `inTransaction`, through a transaction client. */
  run: () => PromiseLike<unknown>;
  inTransaction?: (tx: SqlTx) => Promise<unknown>;
  expect: Expectation[];
  /** The pool the statement goes through: the read pool (admin pages' aggregates, the default) or the primary. */
  pool?: "reader" | "primary";
}

/** Orders of SHOP still pending and due by June (every tenth order, placed before May). */
const DUE_ORDERS = ["500010", "500020", "500030", "500040", "500050"];

/** The statements a case sends. */
const statementsFor = (c: Case) => (c.inTransaction ? recordedStatements(c.inTransaction) : statementsOf(c.run, c.pool));

const REFUNDS_OF_AN_ORDER: Expectation = { table: "Refund", index: "Refund_shop_orderId_shopAmountMinor_idx" };

const cases: Case[] = [
  {
    name: "customers list by net spend, first page (desc)",
    run: () => customerListPage(SHOP, { search: null, sort: "spend", direction: "desc", limit: 25 }),
    expect: [{ table: "Customer", index: "Customer_shop_lifetimeNetMinor_idx" }],
  },
  {
    name: "customers list by net spend, after a cursor (asc)",
    run: () => customerListPage(SHOP, { search: null, sort: "spend", direction: "asc", after: { value: 40_000, id: "100200" }, limit: 25 }),
    expect: [{ table: "Customer", index: "Customer_shop_lifetimeNetMinor_idx" }],
  },
  {
    // The NULL part (customers without a last order) is ordered by id: the primary key may serve it.
    name: "customers list by last order, first page (desc, NULLs last)",
    run: () => customerListPage(SHOP, { search: null, sort: "last-order", direction: "desc", limit: 25 }),
    expect: [{ table: "Customer", index: "Customer_shop_lastOrderAt_idx", alsoAllowed: ["Customer_pkey"] }],
  },
  {
    name: "customers list by last order, after a dated cursor (asc, NULLs first)",
    run: () =>
      customerListPage(SHOP, {
        search: null,
        sort: "last-order",
        direction: "asc",
        after: { value: Date.parse("2026-05-01T00:00:00Z"), id: "100150" },
        limit: 25,
      }),
    expect: [{ table: "Customer", index: "Customer_shop_lastOrderAt_idx" }],
  },
  {
    name: "customers per tier",
    run: () => customersPerTier(SHOP),
    expect: [{ table: "Customer", index: "Customer_shop_tierSlug_idx" }],
  },
  {
    name: "a customer's orders with their refunded amounts",
    run: () => customerOrders(SHOP, "100007", 25),
    expect: [{ table: "Order", index: "Order_shop_customerId_placedAt_idx" }, REFUNDS_OF_AN_ORDER],
  },
  {
    name: "a customer's points ledger, first page",
    run: () => customerLedgerPage(SHOP, "100007", { limit: 20 }),
    expect: [{ table: "PointsLedger", index: "PointsLedger_shop_customerId_createdAt_idx" }],
  },
  {
    name: "a customer's points ledger, after a cursor",
    run: () => customerLedgerPage(SHOP, "100007", { limit: 20, after: encodeTimeIdCursor({ at: new Date("2026-06-01T00:00:00Z"), id: 1_000_000 }) }),
    expect: [{ table: "PointsLedger", index: "PointsLedger_shop_customerId_createdAt_idx" }],
  },
  {
    // A common tier (a quarter of the customers here): the sort's index is walked and the tier filtered on the way.
    name: "customers list of one tier by net spend",
    run: () => customerListPage(SHOP, { search: null, tier: { slug: "gold" }, sort: "spend", direction: "desc", limit: 25 }),
    expect: [{ table: "Customer", index: "Customer_shop_lifetimeNetMinor_idx", alsoAllowed: ["Customer_shop_tierSlug_idx"] }],
  },
  {
    // Each customer's latest NPS score is one probe of the answers by (shop, customer), newest first, index only.
    name: "customers list of one NPS group by net spend",
    run: () => customerListPage(SHOP, { search: null, npsGroup: "promoter", sort: "spend", direction: "desc", limit: 25 }),
    expect: [
      { table: "Customer", index: "Customer_shop_lifetimeNetMinor_idx" },
      { table: "SurveyResponse", index: "SurveyResponse_latest_nps_idx" },
    ],
  },
  {
    name: "customers count of one tier",
    run: () => countCustomers(SHOP, { search: null, tier: { slug: "silver" } }),
    expect: [{ table: "Customer", index: "Customer_shop_tierSlug_idx" }],
  },
  {
    // Every customer's latest score in one pass of the answers (index only, in customer order), joined to the tier's
    // customers.
    name: "customers count of one tier and NPS group",
    run: () => countCustomers(SHOP, { search: null, tier: { slug: "silver" }, npsGroup: "detractor" }),
    expect: [
      { table: "Customer", index: "Customer_shop_tierSlug_idx", alsoAllowed: ["Customer_pkey"] },
      { table: "SurveyResponse", index: "SurveyResponse_latest_nps_idx" },
    ],
  },
  {
    name: "customers count without an NPS answer",
    run: () => countCustomers(SHOP, { search: null, npsGroup: "none" }),
    expect: [
      // The shop's customers, counted and joined: through its smallest index that starts with the shop.
      { table: "Customer", index: "Customer_shop_tierSlug_idx", alsoAllowed: ["Customer_pkey"] },
      { table: "SurveyResponse", index: "SurveyResponse_latest_nps_idx" },
    ],
  },
  {
    name: "a customer's survey answers with their orders' names",
    run: () => customerAnswers(SHOP, "100007", 51),
    expect: [
      { table: "SurveyResponse", index: "SurveyResponse_shop_customerId_createdAt_idx" },
      { table: "Order", index: "Order_pkey" },
    ],
  },
  {
    name: "a customer's Shopify Flow trigger payloads and the named guest orders', the data export of decision 050",
    run: () => exportFlowTriggerRows(SHOP, "100007", ["500010", "500020", "500006"], 10_001),
    expect: [{ table: "OutboxMessage", index: "OutboxMessage_shop_flow_customer_idx" }],
  },
  {
    name: "a customer's follow-ups",
    run: () => followUpsOfCustomer(SHOP, "100007"),
    expect: [{ table: "FollowUp", index: "FollowUp_shop_customerId_idx" }],
  },
  {
    name: "the nav badge: open and overdue follow-ups (decision 044)",
    run: () => countOpenAndOverdue(SHOP, new Date("2026-03-01T00:00:00Z")),
    expect: [{ table: "FollowUp", index: "FollowUp_shop_status_createdAt_idx" }],
  },
  {
    name: "the dashboard's median follow-up times over a window (decision 044)",
    run: () => followUpMedianTimes(SHOP, MARCH.from, MARCH.to),
    expect: [{ table: "FollowUp", index: "FollowUp_shop_recovery_created_idx" }],
  },
  {
    name: "a follow-up's earlier answers of its customer (decision 044)",
    run: () => earlierAnswersOf(SHOP, [{ customerId: "100007", responseId: 1 }, { customerId: "100008", responseId: 2 }], 5),
    expect: [
      { table: "SurveyResponse", index: "SurveyResponse_shop_customerId_createdAt_idx" },
      { table: "Order", index: "Order_pkey" },
    ],
  },
  {
    name: "the refunded amount of one order (rollup triggers, net spend)",
    run: () => readSql().$queryRaw`
      SELECT COALESCE(SUM(x."shopAmountMinor"), 0) AS "refunded" FROM "Refund" x WHERE x."shop" = ${SHOP} AND x."orderId" = ${"500008"}`,
    expect: [REFUNDS_OF_AN_ORDER],
  },
  {
    name: "has this order a refund (the guest answer's refund segment)",
    run: () => readSql().$queryRaw`
      SELECT EXISTS (SELECT 1 FROM "Refund" x JOIN "Order" o ON o."shop" = x."shop" AND o."id" = x."orderId"
        WHERE x."shop" = ${SHOP} AND x."orderId" = ${"500008"} AND NOT o."test" AND o."cancelledAt" IS NULL) AS "refunded"`,
    expect: [REFUNDS_OF_AN_ORDER],
  },
  {
    name: "return figures of a month: totals",
    run: () => returnTotals(SHOP, MARCH.from, MARCH.to),
    expect: [
      { table: "Refund", index: "Refund_shop_createdAt_orderId_shopAmountMinor_idx" },
      { table: "OrderDaily", index: "OrderDaily_pkey" },
    ],
  },
  {
    name: "return figures of a month: by week",
    run: () => returnFiguresByBucket(SHOP, MARCH.from, MARCH.to, "week"),
    expect: [
      { table: "Refund", index: "Refund_shop_createdAt_orderId_shopAmountMinor_idx" },
      { table: "OrderDaily", index: "OrderDaily_pkey" },
    ],
  },
  {
    name: "items most refunded in a month",
    run: () => mostRefundedItems(SHOP, MARCH.from, MARCH.to),
    expect: [{ table: "RefundLineItem", index: "RefundLineItem_shop_createdAt_idx" }],
  },
  {
    name: "the attribution report of a month (Reports page)",
    run: () => attributionCounts(SHOP, MARCH.from, MARCH.to),
    expect: [
      { table: "SurveyResponse", index: "SurveyResponse_shop_createdAt_idx" },
      { table: "Order", index: "Order_pkey" },
      REFUNDS_OF_AN_ORDER,
    ],
  },
  {
    name: "answers per question of a month, first orders only (Reports page)",
    run: () => answerValueCounts(SHOP, MARCH.from, MARCH.to, { dimension: "customerType", value: "new" }),
    expect: [{ table: "SurveyResponse", index: "SurveyResponse_shop_createdAt_idx" }],
  },
  {
    name: "the written answers of a month containing a word (Reports page)",
    run: () => searchTextAnswers(SHOP, MARCH.from, MARCH.to, "late", null),
    expect: [
      { table: "SurveyResponse", index: "SurveyResponse_shop_createdAt_idx" },
      { table: "Order", index: "Order_pkey" },
    ],
  },
  {
    name: "the response rate of a month (Survey page)",
    run: () => responseRateCounts(SHOP, MARCH.from, MARCH.to),
    expect: [
      { table: "SurveySeen", index: "SurveySeen_shop_seenAt_idx", alsoAllowed: ["SurveySeen_pkey"] },
      { table: "SurveySeen", index: "SurveySeen_pkey", alsoAllowed: ["SurveySeen_shop_seenAt_idx"] },
      { table: "Order", index: "Order_pkey", alsoAllowed: ["Order_shop_placedAt_test_customerId_idx"] },
      { table: "Order", index: "Order_shop_placedAt_test_customerId_idx", alsoAllowed: ["Order_pkey"] },
      { table: "SurveyResponse", index: "SurveyResponse_shop_orderId_key" },
    ],
  },
  {
    name: "how far the answer sets of a month's seen orders went (Survey page drop-off)",
    run: () => questionReach(SHOP, MARCH.from, MARCH.to),
    expect: [
      { table: "SurveySeen", index: "SurveySeen_shop_seenAt_idx" },
      { table: "Order", index: "Order_pkey" },
      { table: "SurveyResponse", index: "SurveyResponse_shop_orderId_key" },
    ],
  },
  {
    name: "has this customer ordered before this order (survey targeting)",
    run: () => hasEarlierOrder(SHOP, "100013", "500412"),
    pool: "primary",
    expect: [
      { table: "Order", index: "Order_shop_customerId_placedAt_idx", alsoAllowed: ["Order_pkey"] },
      { table: "Order", index: "Order_pkey", alsoAllowed: ["Order_shop_customerId_placedAt_idx"] },
    ],
  },
  {
    // The outbox worker's claim: the shop's pending messages in id order (the partial index holds only pending ones),
    // never a walk of the whole table in id order; the "not due yet" bound and the bulk mirror test may take the
    // status indexes, and the lock and the update find the claimed rows by their key.
    name: "the outbox claim of one shop's due messages",
    run: () => claimDueMessages(SHOP, new Date("2026-06-01T00:30:00Z"), new Date("2026-06-01T00:31:00Z"), 50),
    pool: "primary",
    expect: [
      {
        table: "OutboxMessage",
        index: "OutboxMessage_shop_pending_idx",
        alsoAllowed: [
          "OutboxMessage_pkey",
          "OutboxMessage_status_nextAttemptAt_idx",
          "OutboxMessage_shop_status_subjectId_idx",
          "OutboxMessage_shop_status_coalesceKey_idx",
        ],
      },
    ],
  },
  {
    // The worker's cross-shop scans: the shops with pending messages by a skip scan of the partial index, each shop's
    // oldest pending message (or its first due ones, counted up to the bulk threshold) by the same index; never a read
    // of every due message (the (status, nextAttemptAt) index) whatever the backlog.
    name: "the outbox worker's scan for shops with due messages",
    run: () => shopsWithDueMessages(new Date("2026-06-01T00:30:00Z")),
    pool: "primary",
    expect: [{ table: "OutboxMessage", index: "OutboxMessage_shop_pending_idx" }],
  },
  {
    name: "the bulk mirror's scan for shops with a large backlog",
    run: () => shopsWithBulkMirrorWork(new Date("2026-06-01T00:30:00Z"), 500),
    pool: "primary",
    expect: [{ table: "OutboxMessage", index: "OutboxMessage_shop_pending_idx" }],
  },
  {
    name: "the shop's earliest order (how far back tiers see, Loyalty page)",
    run: () => earliestOrderPlacedAt(SHOP),
    expect: [{ table: "Order", index: "Order_shop_placedAt_test_customerId_idx" }],
  },
  {
    // The pending-points sweep (decision 043): a shop's unreleased rows due by now, through the partial index that
    // holds only unreleased rows; then, in its transaction, the customers holding those orders' points and the release.
    name: "the pending points sweep: the shop's due orders",
    run: () => duePendingOrders(SHOP, new Date("2026-06-01T00:00:00Z"), 200),
    pool: "primary",
    expect: [{ table: "PendingPoints", index: "PendingPoints_due_idx" }],
  },
  {
    name: "the pending points sweep: who holds the due orders' points",
    run: () => Promise.resolve(),
    inTransaction: (tx) => pointHoldersOf(tx, SHOP, DUE_ORDERS),
    expect: [{ table: "PointsLedger", index: "PointsLedger_shop_orderId_idx" }],
  },
  {
    name: "the pending points sweep: releasing the due orders",
    run: () => Promise.resolve(),
    inTransaction: (tx) => releasePendingPoints(tx, SHOP, DUE_ORDERS, new Date("2026-06-01T00:00:00Z")),
    expect: [{ table: "PendingPoints", index: "PendingPoints_pkey" }],
  },
  {
    name: "eligibility facts of a customer's orders",
    run: () => ordersForEligibility(SHOP, ["500004", "500008", "500404"]),
    expect: [
      { table: "Order", index: "Order_pkey" },
      { table: "OrderLineItem", index: "OrderLineItem_pkey" },
      { table: "RefundLineItem", index: "RefundLineItem_shop_orderId_idx" },
    ],
  },
];

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await seed();
  await loadIndexTables();
}, 120_000);

afterAll(async () => {
  await client?.end();
});

describe("query plans of the hot read queries (seeded, analysed)", () => {
  it("the seed gives the planner many shops to choose from", async () => {
    const { rows } = await client.query<{ shops: number; refunds: number }>(
      `SELECT (SELECT COUNT(DISTINCT "shop") FROM "Order")::int AS "shops", (SELECT COUNT(*) FROM "Refund")::int AS "refunds"`,
    );
    expect(rows[0]).toEqual({ shops: SHOPS, refunds: SHOPS * (ORDERS / 4) });
  });

  it("the seed is all-visible after its VACUUM, as autovacuum leaves an append-mostly table", async () => {
    const { rows } = await client.query<{ table: string; pages: number; visible: number }>(
      `SELECT relname::text AS "table", relpages AS "pages", relallvisible AS "visible" FROM pg_class
       WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1::text[]) ORDER BY relname`,
      [SEEDED],
    );
    expect(rows.map((r) => r.table)).toEqual([...SEEDED].sort());
    for (const row of rows) expect(row.pages).toBeGreaterThan(0);
    expect(rows.filter((r) => r.visible !== r.pages)).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: through the intended index, no Seq Scan", async (_name, c) => {
    const statements = await statementsFor(c);
    expect(statements.length).toBeGreaterThan(0);
    expect(await problemsOf(statements, c.expect)).toEqual([]);
  });

  it.each(cases.flatMap((c) => c.expect.map((e) => [`${c.name}: without ${e.index}`, c, e] as const)))(
    "%s, the check fails",
    async (_name, c, expectation) => {
      const statements = await statementsFor(c);
      const problems = await withoutIndex(expectation.index, () => problemsOf(statements, [expectation]));
      expect(problems).toContain(`custom plan: ${expectation.index} is not used`);
    },
  );
});

/**
 * The plans of the statements the rollup triggers run inside a write (decisions 011 and 014), as auto_explain
 * reports them (nested statements included, sent to this client as notices). The writes run in a transaction that
 * is rolled back.
 */
async function triggerPlans(writes: string[], before: string[] = []): Promise<{ query: string; nodes: PlanNode[] }[]> {
  return autoExplained(
    client,
    async () => {
      for (const statement of [...before, ...writes]) await client.query(statement);
    },
    ["auto_explain.log_nested_statements = on"],
  );
}

const READS = ["Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan"];

/** The nodes of `nodes` that read `table` (scans, not the write itself). */
function readsOf(nodes: PlanNode[], table: string): PlanNode[] {
  return nodes.filter(
    (n) => READS.includes(n["Node Type"]) && (n["Relation Name"] === table || (n["Index Name"] !== undefined && indexTable.get(n["Index Name"]) === table)),
  );
}

/** An order event and a refund event of SHOP (an existing order and customer), as the ingest writes them. */
const ROLLUP_WRITES = [
  `UPDATE "Order" SET "totalMinor" = "totalMinor" + 100, "shopifyUpdatedAt" = "shopifyUpdatedAt" + interval '1 minute'
   WHERE "shop" = '${SHOP}' AND "id" = '500012'`,
  `INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "shopAmountMinor", "createdAt")
   VALUES ('${SHOP}', 'r-new', '500013', 300, 'USD', 300, timestamptz '2026-03-10 12:00Z')`,
  `INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor",
     "placedAt", "shopifyUpdatedAt")
   VALUES ('${SHOP}', '599999', '#99999', '100013', 'USD', 'USD', 4200, 4200, timestamptz '2026-03-11 09:00Z', timestamptz '2026-03-11 09:00Z')`,
];

/** What is wrong with the trigger statements' reads of Refund (the refunds of an order must go by order). */
function triggerRefundProblems(plans: { query: string; nodes: PlanNode[] }[]): string[] {
  const nested = plans.filter((p) => !ROLLUP_WRITES.some((w) => p.query.trim() === w.trim()));
  const refundReads = nested.flatMap((p) => readsOf(p.nodes, "Refund").map((node) => ({ node, query: p.query })));
  const problems = refundReads.length === 0 ? ["no trigger statement reads Refund"] : [];
  for (const { node, query } of refundReads) {
    const type = node["Node Type"];
    if (type === "Bitmap Heap Scan") continue;
    if (type === "Seq Scan" || node["Index Name"] !== REFUNDS_OF_AN_ORDER.index) {
      problems.push(`${type} on Refund${node["Index Name"] ? ` using ${node["Index Name"]}` : ""} in: ${query.replace(/\s+/g, " ").slice(0, 160)}`);
    }
  }
  for (const p of nested) {
    for (const table of ["Order", "SurveyResponse"]) {
      if (readsOf(p.nodes, table).some((n) => n["Node Type"] === "Seq Scan")) problems.push(`Seq Scan on ${table} in: ${p.query.replace(/\s+/g, " ").slice(0, 160)}`);
    }
  }
  return problems;
}

describe("query plans inside the rollup triggers (auto_explain, seeded, analysed)", () => {
  it("an order event and a refund event reach an order's refunds by (shop, orderId) and never scan Order, Refund or SurveyResponse", async () => {
    const plans = await triggerPlans(ROLLUP_WRITES);
    expect(triggerRefundProblems(plans)).toEqual([]);
  });

  it(`without ${REFUNDS_OF_AN_ORDER.index}, the check fails`, async () => {
    const plans = await triggerPlans(ROLLUP_WRITES, [await dropIndexStatement(REFUNDS_OF_AN_ORDER.index)]);
    expect(triggerRefundProblems(plans).length).toBeGreaterThan(0);
  });
});

describe("the plan check itself", () => {
  const node = (type: string, extra: Partial<PlanNode> = {}): PlanNode => ({ "Node Type": type, ...extra });

  it("accepts an index scan, index-only scan or bitmap scan through the intended index", () => {
    for (const scan of ["Index Scan", "Index Only Scan"]) {
      expect(accessProblems([node(scan, { "Relation Name": "Refund", "Index Name": REFUNDS_OF_AN_ORDER.index })], REFUNDS_OF_AN_ORDER)).toEqual([]);
    }
    const bitmap = [node("Bitmap Heap Scan", { "Relation Name": "Refund" }), node("Bitmap Index Scan", { "Index Name": REFUNDS_OF_AN_ORDER.index })];
    expect(accessProblems(bitmap, REFUNDS_OF_AN_ORDER)).toEqual([]);
  });

  it("refuses a Seq Scan, another index of the table, or a table never read", () => {
    const other = "Refund_shop_createdAt_orderId_shopAmountMinor_idx";
    expect(accessProblems([node("Seq Scan", { "Relation Name": "Refund" })], REFUNDS_OF_AN_ORDER)).toEqual([
      "Seq Scan on Refund",
      `${REFUNDS_OF_AN_ORDER.index} is not used`,
    ]);
    expect(
      accessProblems(
        [node("Index Scan", { "Relation Name": "Refund", "Index Name": REFUNDS_OF_AN_ORDER.index }), node("Bitmap Index Scan", { "Index Name": other })],
        REFUNDS_OF_AN_ORDER,
      ),
    ).toEqual([`Bitmap Index Scan on Refund using ${other}`]);
    expect(accessProblems([node("Seq Scan", { "Relation Name": "Order" })], REFUNDS_OF_AN_ORDER)).toEqual([
      "Refund is not read",
      `${REFUNDS_OF_AN_ORDER.index} is not used`,
    ]);
  });
});
