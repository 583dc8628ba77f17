import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordTiersAndMirror } from "~/models/loyalty.server";
import { settleRefundAmounts } from "~/models/orders.server";
import { pendingFactsFor } from "~/models/pending-points.server";
import { analyseTablesNeverAnalysed, INGEST_TABLES } from "~/models/table-statistics.server";
import type { SqlTx } from "~/models/transaction.server";
import { autoExplained, driverValues, recordedStatements, rolledBack, rowsReadBy, type PlanNode } from "../support/plans";

/**
 * The ingest group's statements run on generic plans, made once per connection
 * (docs/decisions/055-generic-plans-for-the-ingest-group.md). On a brand-new database those plans are made over empty
 * tables (docs/decisions/057-plans-for-young-tables.md), and the shop's rows pile up under them. Two of the group's
 * statements joined a table plainly and were planned as a hash over the shop's rows:
 * - the orders' pending facts (`pendingFactsFor`, every group): every held order of the shop, 5,400 rows a group a
 *   minute into the benchmark;
 * - the customers' new tiers (`recordTiersAndMirror`, a group with a tier change): every customer of the shop;
 * - an order's refunds settled in its shop currency (`settleRefundAmounts`, every refund event): every refund of the
 *   shop, 50,000 rows a refund by the end of the benchmark's import of 1,000,000 orders.
 * Here each runs as the group runs it (a prepared statement, both of the group's settings: ingest-plan-mode.test.ts),
 * through the stages of a new install: this file's database is the migrated template, never analysed. The order
 * upsert's own plan is followed the same way in order-upsert-fresh-plans.test.ts.
 */

const SHOP = "group-fresh.myshopify.com";
const STORED = 3_000;
const at = (day: number) => new Date(Date.UTC(2026, 5, day));

let client: pg.Client;

/**
 * Orders `from`..`to` of the shop ("o-N"), each held until June 28, their customers ("c-N") and a refund each ("r-N",
 * 5.00 in a currency it did not name: settled once its order is known).
 */
const store = (from: number, to: number) =>
  client.query(
    `WITH o AS (
       INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor",
         "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt", "lineItemCount")
       SELECT $1, 'o-' || g, '#' || g, 'c-' || g, 'USD', 'USD', 1000, 1000, $4, $4, 1 FROM generate_series($2::int, $3::int) g
       RETURNING "id", "customerId"),
     c AS (INSERT INTO "Customer" ("shop", "id", "updatedAt") SELECT $1, o."customerId", $4 FROM o),
     r AS (INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "amountDecimal", "createdAt")
       SELECT $1, 'r-' || substr(o."id", 3), o."id", 0, NULL, '5.00', $4 FROM o)
     INSERT INTO "PendingPoints" ("shop", "orderId", "availableAt", "capAt", "createdAt") SELECT $1, o."id", $5, $5, $4 FROM o`,
    [SHOP, from, to, at(1), at(28)],
  );

/** Two orders the group has just written, with their customers (not held yet). */
const NEW_ORDERS = `WITH c AS (INSERT INTO "Customer" ("shop", "id", "updatedAt") VALUES ('${SHOP}', 'c-new-1', now()), ('${SHOP}', 'c-new-2', now()))
  INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor",
    "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt", "lineItemCount")
  VALUES ('${SHOP}', 'new-1', '#n1', 'c-new-1', 'USD', 'USD', 500, 500, timestamptz '2026-06-03', timestamptz '2026-06-03', 1),
         ('${SHOP}', 'new-2', '#n2', 'c-new-2', 'USD', 'USD', 500, 500, timestamptz '2026-06-03', timestamptz '2026-06-03', 1)`;

// The group's orders: two held (o-1, o-2), one released (o-3), the two new ones.
const ORDER_IDS = ["o-1", "o-2", "o-3", "new-1", "new-2"];
// The group's tier changes: a stored customer and a new one.
const NOW = at(3);
const TIER_CHANGES = [
  { customerId: "c-2", from: null, to: "gold", cause: "order", at: NOW },
  { customerId: "c-new-1", from: null, to: "silver", cause: "order", at: NOW },
];

// The refund event's settlement: order o-2's refund in its currency, with the customer's lock.
const SETTLED_ORDER = {
  id: "o-2", customerId: "c-2", currency: "USD", presentmentCurrency: "USD", totalMinor: 1000, presentmentTotalMinor: 1000,
  test: false, cancelledAt: null, placedAt: at(1),
};
const SETTLED_REFUNDS = [{ id: "r-2", amountMinor: 0, currency: null, amountDecimal: "5.00", shopAmountMinor: null, createdAt: at(1) }];

const statements: Record<"facts" | "tiers" | "refunds", { name: string; text: string; values: unknown[] }> = {} as never;
let plans: { query: string; nodes: PlanNode[] }[] = [];
let neverAnalysed: number;
let firstStatistics: string[];

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  for (const table of ["Order", "Customer", "PendingPoints", "Refund"]) await client.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
  neverAnalysed = (await client.query<{ n: number }>(`SELECT reltuples::int AS "n" FROM pg_class WHERE oid = '"PendingPoints"'::regclass`)).rows[0]!.n;
  const runs: [keyof typeof statements, (tx: SqlTx) => Promise<unknown>][] = [
    ["facts", (tx) => pendingFactsFor(tx, SHOP, ORDER_IDS)],
    ["tiers", (tx) => recordTiersAndMirror(tx, SHOP, TIER_CHANGES, [], NOW)],
    ["refunds", (tx) => settleRefundAmounts(tx, SHOP, SETTLED_ORDER, SETTLED_REFUNDS, "c-2")],
  ];
  for (const [key, run] of runs) {
    const [statement, ...more] = await recordedStatements(run);
    if (!statement || more.length) throw new Error(`${key}: one statement expected`);
    statements[key] = { name: `fresh-${key}`, text: statement.text, values: driverValues(statement.values) };
  }
  const execute = async () => {
    await client.query("BEGIN");
    for (const statement of Object.values(statements)) await client.query(statement);
    await client.query("ROLLBACK");
  };
  // The group's settings, for this connection.
  await client.query("SET plan_cache_mode = force_generic_plan");
  await client.query("SET enable_seqscan = off");
  // The first execution, on the empty tables never analysed, makes the connection's generic plans ...
  await execute();
  // ... the shop's first 200 orders arrive, held, and the first statistics are taken ...
  await store(1, 200);
  firstStatistics = await analyseTablesNeverAnalysed(INGEST_TABLES);
  await execute();
  // ... then the shop's orders, customers and held orders pile up (no automatic ANALYZE runs) ...
  await store(201, STORED);
  await client.query(`UPDATE "PendingPoints" SET "releasedAt" = $2 WHERE "shop" = $1 AND "orderId" = 'o-3'`, [SHOP, at(2)]);
  // ... and the group's statements run again.
  plans = await autoExplained(
    client,
    async () => {
      await client.query(NEW_ORDERS);
      for (const statement of Object.values(statements)) await client.query(statement);
    },
    ["auto_explain.log_analyze = on", "auto_explain.log_nested_statements = on"],
  );
}, 120_000);

afterAll(async () => {
  await client?.end();
});

/** The plan of the statement whose text includes `marker` (the one such statement). */
function planOf(marker: string): PlanNode[] {
  const found = plans.filter((plan) => plan.query.includes(marker));
  expect(found).toHaveLength(1);
  return found[0]!.nodes;
}

/** The nodes of `nodes` reading `table`'s rows, and the names of the table's indexes they go through. */
function readsOf(nodes: PlanNode[], table: string): { reads: PlanNode[]; indexes: string[] } {
  return {
    reads: nodes.filter((n) => n["Relation Name"] === table && n["Node Type"] !== "ModifyTable"),
    indexes: nodes.map((n) => n["Index Name"]).filter((name): name is string => !!name?.startsWith(`${table}_`)),
  };
}

describe("the ingest group's statements on a brand-new database, whatever their plans were made over", () => {
  it("were first planned over tables never analysed, and PendingPoints is among the first statistics", () => {
    expect(neverAnalysed).toBe(-1);
    expect(firstStatistics).toContain("PendingPoints");
  });

  it("the pending facts read each order's PendingPoints row by its key: one lookup per order", async () => {
    const { reads } = readsOf(planOf('AS "timeZone"'), "PendingPoints");
    expect(reads.map((n) => `${n["Node Type"]} using ${n["Index Name"]}`)).toEqual(["Index Scan using PendingPoints_pkey"]);
    // A row at most per order: none of the shop's other 2,997 held orders read.
    expect(reads[0]!["Actual Loops"]).toBe(ORDER_IDS.length);
    expect(rowsReadBy(reads[0]!)).toBeLessThanOrEqual(ORDER_IDS.length);

    const read = await rolledBack(async (tx) => {
      await tx.$executeRawUnsafe(NEW_ORDERS);
      return pendingFactsFor(tx, SHOP, ORDER_IDS);
    });
    expect(read.timeZone).toBeNull();
    expect(read.versions).toEqual([]);
    expect(Object.fromEntries(read.orders.map((o) => [o.id, o.hold]))).toEqual({
      "o-1": { availableAt: at(28), capAt: at(28), releasedAt: null },
      "o-2": { availableAt: at(28), capAt: at(28), releasedAt: null },
      "o-3": { availableAt: at(28), capAt: at(28), releasedAt: at(2) },
      "new-1": null,
      "new-2": null,
    });
  });

  it("the tier changes reach the changed customers by their key: none of the shop's other customers read", async () => {
    const { reads, indexes } = readsOf(planOf('"tier" AS ('), "Customer");
    expect(reads.length).toBeGreaterThan(0);
    expect(indexes).toEqual(["Customer_pkey"]);
    // Before, the shop's 3,002 customers went through Customer_shop_tierSlug_idx into a hash.
    expect(reads.reduce((sum, n) => sum + rowsReadBy(n), 0)).toBeLessThanOrEqual(TIER_CHANGES.length);

    const tiers = await rolledBack(async (tx) => {
      await tx.$executeRawUnsafe(NEW_ORDERS);
      await recordTiersAndMirror(tx, SHOP, TIER_CHANGES, [], NOW);
      const rows = await tx.$queryRawUnsafe<{ id: string; tierSlug: string | null }[]>(
        `SELECT "id", "tierSlug" FROM "Customer" WHERE "shop" = '${SHOP}' AND "tierSlug" IS NOT NULL ORDER BY 1`,
      );
      const history = await tx.$queryRawUnsafe<{ customerId: string; toSlug: string }[]>(
        `SELECT "customerId", "toSlug" FROM "TierChange" WHERE "shop" = '${SHOP}' ORDER BY 1`,
      );
      return { rows, history };
    });
    expect(tiers.rows).toEqual([
      { id: "c-2", tierSlug: "gold" },
      { id: "c-new-1", tierSlug: "silver" },
    ]);
    expect(tiers.history).toEqual([
      { customerId: "c-2", toSlug: "gold" },
      { customerId: "c-new-1", toSlug: "silver" },
    ]);
  });

  it("a refund's settlement reaches the order's refund by its key: none of the shop's other refunds read", async () => {
    const { reads, indexes } = readsOf(planOf('"changed" AS ('), "Refund");
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(indexes)).toEqual(new Set(["Refund_pkey"]));
    // Before, the statement read the shop's 3,000 refunds through Refund_pkey by the shop alone, into a hash.
    expect(reads.reduce((sum, n) => sum + rowsReadBy(n), 0)).toBeLessThanOrEqual(SETTLED_REFUNDS.length);

    const settled = await rolledBack(async (tx) => {
      const { refunds, customer } = await settleRefundAmounts(tx, SHOP, SETTLED_ORDER, SETTLED_REFUNDS, "c-2");
      const stored = await tx.$queryRawUnsafe<{ id: string; currency: string | null; amountMinor: bigint; shopAmountMinor: bigint | null }[]>(
        `SELECT "id", "currency", "amountMinor", "shopAmountMinor" FROM "Refund" WHERE "shop" = '${SHOP}' AND "id" IN ('r-1', 'r-2') ORDER BY 1`,
      );
      return { refunds, customer, stored };
    });
    expect(settled.refunds.map(({ id, currency, amountMinor, shopAmountMinor }) => ({ id, currency, amountMinor, shopAmountMinor }))).toEqual([
      { id: "r-2", currency: "USD", amountMinor: 500, shopAmountMinor: 500 },
    ]);
    expect(settled.customer).toEqual({ tierSlug: null, pointsBalance: 0 });
    expect(settled.stored).toEqual([
      { id: "r-1", currency: null, amountMinor: 0n, shopAmountMinor: null },
      { id: "r-2", currency: "USD", amountMinor: 500n, shopAmountMinor: 500n },
    ]);
  });
});
