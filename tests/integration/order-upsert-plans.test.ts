import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOrderPayload } from "~/domain/orders/order-payload";
import { refreshCustomerStandings } from "~/models/customer-facts.server";
import { upsertOrdersIfNewer } from "~/models/orders.server";
import { pendingFactsFor } from "~/models/pending-points.server";
import { autoExplained, driverValues, nodesOf, recordedStatements, rowsReadBy, type PlanNode } from "../support/plans";
import { delivered, restOrder } from "../support/orders";

/**
 * A group of order events writes its orders in one statement (`upsertOrdersIfNewer`). Its cost must follow the orders
 * it writes, never the number of orders the shop already has, even while the statistics are out of date (a new
 * shop's tables grow by thousands of rows between two automatic ANALYZEs, and a named statement may keep a generic
 * plan made while they were small). With the stored versions and the old line items reached by a join, a plan made
 * from stale statistics read every order and every line item of the shop on each group: in the benchmark the upsert
 * went from 2.9 ms to 7.4 ms a group as orders came in (docs/decisions/053-pipelined-group-commit.md). Here the tables
 * are analysed empty, then the shop gets 3,000 orders, and the statement runs under EXPLAIN ANALYZE.
 */

const SHOP = "upsert-plans.myshopify.com";
const STORED = 3_000;

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  for (const table of ["Order", "OrderLineItem", "Customer"]) {
    await client.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
    await client.query(`ANALYZE "${table}"`);
  }
  await client.query(
    `WITH n AS (SELECT g FROM generate_series(1, $2::int) g),
     o AS (INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor",
             "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt", "lineItemCount")
           SELECT $1, g::text, '#' || g, 'c-' || (g % 100), 'USD', 'USD', 1000, 1000, timestamptz '2026-09-01', timestamptz '2026-09-01', 2 FROM n)
     INSERT INTO "OrderLineItem" ("shop", "orderId", "id", "title", "quantity", "priceMinor")
     SELECT $1, g::text, (g * 10 + k)::text, 'Tee', 1, 500 FROM n CROSS JOIN generate_series(1, 2) k`,
    [SHOP, STORED],
  );
}, 120_000);

afterAll(async () => {
  await client?.end();
});

/** The statement's plan under EXPLAIN ANALYZE, in a transaction rolled back afterwards. */
async function analysedPlan(statement: { text: string; values: unknown[] }): Promise<PlanNode[]> {
  await client.query("BEGIN");
  try {
    const { rows } = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.values);
    return nodesOf(rows[0]!["QUERY PLAN"][0]!.Plan);
  } finally {
    await client.query("ROLLBACK");
  }
}

let generics = 0;

/**
 * The statement's plan as the ingest group runs it: a named prepared statement under `plan_cache_mode =
 * force_generic_plan` (its plan made once, without the parameters' values) and without sequential scans, executed,
 * its plan read back from auto_explain as a notice; in a transaction rolled back afterwards.
 */
async function analysedGenericPlan(statement: { text: string; values: unknown[] }): Promise<PlanNode[]> {
  generics += 1;
  const values = driverValues(statement.values);
  const plans = await autoExplained(client, () => client.query({ name: `generic-plan-${generics}`, text: statement.text, values }), [
    "plan_cache_mode = force_generic_plan",
    "enable_seqscan = off",
    "auto_explain.log_analyze = on",
  ]);
  if (plans.length !== 1) throw new Error(`auto_explain logged ${plans.length} plans, one expected`);
  return plans[0]!.nodes;
}

/** Each check runs under both: the plan made for the values (the first executions) and the generic one (the ingest group's). */
const PLANNERS = [
  ["custom", analysedPlan],
  ["generic", analysedGenericPlan],
] as const;

/** Rows of `table` the plan read (not wrote): every loop's rows, and the rows a filter dropped. */
function rowsRead(nodes: PlanNode[], table: string): number {
  return nodes
    .filter((n) => n["Relation Name"] === table && n["Node Type"] !== "ModifyTable")
    .reduce((sum, n) => sum + rowsReadBy(n), 0);
}

describe("a group's order upsert reads the orders it writes, not the shop's", () => {
  it("the statistics were taken while the tables were empty", async () => {
    const { rows } = await client.query<{ estimate: number; stored: number }>(
      `SELECT reltuples::int AS "estimate", (SELECT count(*) FROM "Order" WHERE "shop" = $1)::int AS "stored" FROM pg_class WHERE oid = '"Order"'::regclass`,
      [SHOP],
    );
    expect(rows[0]).toEqual({ estimate: 0, stored: STORED });
  });

  for (const [planner, analysed] of PLANNERS)
  it(`five orders (two stored already, one of them with a line item gone) read a handful of orders and line items, ${planner} plan`, async () => {
    const order = (id: number, lines: number[]) =>
      parseOrderPayload(
        restOrder({
          id,
          updated_at: "2026-10-02T10:00:00Z",
          customer: { id: 7000 + id, first_name: "Up", last_name: "Sert", email: `u${id}@example.com` },
          line_items: lines.map((line) => ({ id: line, product_id: 7, title: "Tee", quantity: 1, price: "10.00" })),
        }),
      );
    // Orders 10 and 20 are stored (20 keeps one of its two lines); 5001 to 5003 are new.
    const orders = [order(10, [101, 102]), order(20, [201]), order(5001, [1]), order(5002, [2]), order(5003, [3])];
    const statements = await recordedStatements((tx) => upsertOrdersIfNewer(tx, SHOP, ...delivered(orders)));
    expect(statements).toHaveLength(1);
    const nodes = await analysed(statements[0]!);
    // The two stored orders, each looked up by key (the guard's conflict check reads them too): a few rows, not 3,000.
    expect(rowsRead(nodes, "Order")).toBeLessThanOrEqual(10);
    // The written orders' old line items (two each for 10 and 20): not the shop's 6,000.
    expect(rowsRead(nodes, "OrderLineItem")).toBeLessThanOrEqual(10);
  });
});

/**
 * The same statement when a few large shops fill the tables and this shop arrived after the last ANALYZE (a young
 * database, or one large import beside many small shops). With statistics of the shop column, this shop is not among
 * its common values and is taken to hold about one row: every index leading with the shop then looked as good as the
 * key, and the stored version of each order was found by walking the shop's orders in customer order, and whether an
 * order was answered by hashing every answer of the shop. The statement names the shop through `opaqueShop`, which the
 * planner estimates as an average shop (docs/decisions/054-opaque-shop.md).
 */
describe("a group's statements beside large shops the statistics know", () => {
  const NEW_SHOP = "upsert-plans-new.myshopify.com";
  const LARGE = ["upsert-large-1.myshopify.com", "upsert-large-2.myshopify.com"];
  const LARGE_ORDERS = 10_000;

  /** `orders` orders of `shop` over `customers` customers (c-0, c-1, …), each order with a line item and an answer. */
  async function seedHistory(shop: string, orders: number, customers: number) {
    await client.query(
      `WITH n AS (SELECT g FROM generate_series(1, $2::int) g),
       o AS (INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor",
               "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt", "lineItemCount")
             SELECT $1, g::text, '#' || g, 'c-' || (g % $3), 'USD', 'USD', 1000, 1000, timestamptz '2026-09-01', timestamptz '2026-09-01', 1 FROM n),
       l AS (INSERT INTO "OrderLineItem" ("shop", "orderId", "id", "title", "quantity", "priceMinor")
             SELECT $1, g::text, g::text, 'Tee', 1, 1000 FROM n)
       INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "nps", "locale", "surface", "createdAt", "updatedAt")
       SELECT $1, g::text, 'c-' || (g % $3), g % 11, 'en', 'thank-you', timestamptz '2026-09-01', timestamptz '2026-09-01' FROM n`,
      [shop, orders, customers],
    );
    await client.query(
      `INSERT INTO "Customer" ("shop", "id", "createdAt", "updatedAt", "tierSlug")
       SELECT $1, 'c-' || g, now(), now(), 'bronze' FROM generate_series(0, $2::int - 1) g`,
      [shop, customers],
    );
  }

  beforeAll(async () => {
    // Rows written as a bulk load writes them: the rollup triggers are not what this checks.
    await client.query(`SET session_replication_role = replica`);
    for (const shop of LARGE) await seedHistory(shop, LARGE_ORDERS, 1000);
    for (const table of ["Order", "OrderLineItem", "Customer", "SurveyResponse", "PointsLedger", "PendingPoints"]) {
      await client.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
      await client.query(`ANALYZE "${table}"`);
    }
    // Then the new shop's history: 3,000 orders over 100 customers, each with a line item and an answer.
    await seedHistory(NEW_SHOP, STORED, 100);
    await client.query(`SET session_replication_role = origin`);
  }, 120_000);

  it("the statistics know the large shops, and not the new one", async () => {
    const { rows } = await client.query<{ shops: string[] }>(
      `SELECT most_common_vals::text::text[] AS "shops" FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'Order' AND attname = 'shop'`,
    );
    expect(rows[0]!.shops).toEqual(expect.arrayContaining(LARGE));
    expect(rows[0]!.shops).not.toContain(NEW_SHOP);
  });

  for (const [planner, analysed] of PLANNERS)
  it(`four new orders and one stored read a handful of orders, line items and answers, ${planner} plan`, async () => {
    const order = (id: number) =>
      parseOrderPayload(
        restOrder({
          id,
          updated_at: "2026-10-02T10:00:00Z",
          customer: { id: 8000 + id, first_name: "New", last_name: "Shop", email: `n${id}@example.com` },
          line_items: [{ id: id * 10, product_id: 7, title: "Tee", quantity: 1, price: "10.00" }],
        }),
      );
    const orders = [order(30), order(6001), order(6002), order(6003), order(6004)];
    const statements = await recordedStatements((tx) => upsertOrdersIfNewer(tx, NEW_SHOP, ...delivered(orders)));
    const nodes = await analysed(statements[0]!);
    expect(rowsRead(nodes, "Order")).toBeLessThanOrEqual(10);
    expect(rowsRead(nodes, "OrderLineItem")).toBeLessThanOrEqual(10);
    expect(rowsRead(nodes, "SurveyResponse")).toBeLessThanOrEqual(10);
  });

  for (const [planner, analysed] of PLANNERS)
  it(`the group's customer standings read the group's customers and their orders, not the shop's, ${planner} plan`, async () => {
    // Customers c-1 and c-2 hold 30 orders each (the shop's 3,000 orders over 100 customers).
    const statements = await recordedStatements((tx) => refreshCustomerStandings(tx, NEW_SHOP, ["c-1", "c-2"], new Date("2026-10-02T10:00:00Z")));
    const nodes = await analysed(statements[0]!);
    expect(rowsRead(nodes, "Customer")).toBeLessThanOrEqual(10);
    expect(rowsRead(nodes, "Order")).toBeLessThanOrEqual(70);
  });

  for (const [planner, analysed] of PLANNERS)
  it(`the pending facts read the group's orders, not the shop's, ${planner} plan`, async () => {
    const statements = await recordedStatements((tx) => pendingFactsFor(tx, NEW_SHOP, ["1", "2", "6001"]));
    const nodes = await analysed(statements[0]!);
    expect(rowsRead(nodes, "Order")).toBeLessThanOrEqual(10);
  });
});
