import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshCustomerStandings } from "~/models/customer-facts.server";
import { applyTiersPage } from "~/models/loyalty.server";
import { nodesOf, recordedStatements, rolledBack, rowsReadBy, type PlanNode } from "../support/plans";

/**
 * What a customer holds of orders still pending is read on every order and refund event (`refreshCustomerStandings`)
 * and on every page of a recompute (`applyTiersPage`). Its cost must follow the customers' own ledger, never the
 * number of orders the shop has pending, even while the table's statistics are out of date: a new shop's table
 * grows by thousands of rows between two automatic ANALYZEs. Before decision 043's fix, statistics taken while the
 * table was empty made the planner start from the shop's held orders (or reach each held order through the partial
 * index of unreleased rows), reading all of them per event: the webhook path slowed as orders came in. Here the
 * tables are analysed empty, then 3,000 orders are held, and the statements run with EXPLAIN ANALYZE: PendingPoints
 * is read only through its key, and only the rows of the customers' orders. (Both earlier forms of the statements
 * fail these checks: a join, and a key lookup that filtered on "released" in its WHERE.)
 */

const SHOP = "held-plans.myshopify.com";
const OTHERS = 3_000;
const NOW = new Date("2026-06-01T00:00:00Z");
const at = (day: number) => new Date(Date.UTC(2026, 5, day));

let client: pg.Client;

/** The tables analysed empty (autovacuum off), then c-1 with its own orders and 3,000 customers with a held order each. */
async function seed() {
  for (const table of ["Customer", "PointsLedger", "PendingPoints"]) {
    await client.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
    await client.query(`ANALYZE "${table}"`);
  }
  await client.query(
    `INSERT INTO "Customer" ("shop", "id", "updatedAt") VALUES ($1, 'c-1', now())`,
    [SHOP]
  );
  const ledger = (
    customer: string,
    order: string,
    points: number,
    key: string
  ) =>
    client.query(
      `INSERT INTO "PointsLedger" ("shop", "customerId", "points", "kind", "sourceKey", "orderId", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        SHOP,
        customer,
        points,
        points > 0 ? "order" : "refund",
        key,
        order,
        at(1),
      ]
    );
  const hold = (order: string, availableAt: Date, releasedAt: Date | null) =>
    client.query(
      `INSERT INTO "PendingPoints" ("shop", "orderId", "availableAt", "capAt", "releasedAt", "createdAt") VALUES ($1, $2, $3, $3, $4, $5)`,
      [SHOP, order, availableAt, releasedAt, at(1)]
    );
  // c-1: o-1..o-3 held (o-2 partly refunded), o-4 released, o-5 never held.
  for (const n of [1, 2, 3, 4, 5])
    await ledger("c-1", `o-${n}`, 10, `order:o-${n}`);
  await ledger("c-1", "o-2", -4, "refund:r-2");
  await hold("o-1", at(20), null);
  await hold("o-2", at(12), null);
  await hold("o-3", at(25), null);
  await hold("o-4", at(2), at(2));
  const heldOrders = (from: number, count: number, prefix: string) =>
    client.query(
      `WITH n AS (SELECT g FROM generate_series($2::int, $2::int + $3::int - 1) g),
       c AS (INSERT INTO "Customer" ("shop", "id", "updatedAt") SELECT $1, $4 || lpad(g::text, 5, '0'), now() FROM n),
       l AS (INSERT INTO "PointsLedger" ("shop", "customerId", "points", "kind", "sourceKey", "orderId", "createdAt")
             SELECT $1, $4 || lpad(g::text, 5, '0'), 10, 'order', 'order:h-' || g, 'h-' || g, $5 FROM n)
       INSERT INTO "PendingPoints" ("shop", "orderId", "availableAt", "capAt", "createdAt") SELECT $1, 'h-' || g, $6, $6, $5 FROM n`,
      [SHOP, from, count, prefix, at(1), at(28)]
    );
  await heldOrders(1, OTHERS, "held-");
}

/**
 * Runs the statements under EXPLAIN ANALYZE in a transaction that is rolled back, after `before` (the same
 * transaction), and returns the nodes of their plans.
 */
async function analysedPlans(
  statements: { text: string; values: unknown[] }[],
  before: string[] = []
): Promise<PlanNode[]> {
  await client.query("BEGIN");
  try {
    for (const statement of before) await client.query(statement);
    const nodes: PlanNode[] = [];
    for (const statement of statements) {
      const { rows } = await client.query<{
        "QUERY PLAN": { Plan: PlanNode }[];
      }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.values);
      nodes.push(...nodesOf(rows[0]!["QUERY PLAN"][0]!.Plan));
    }
    return nodes;
  } finally {
    await client.query("ROLLBACK");
  }
}

/**
 * How PendingPoints is reached (node type and index), how many times (loops: one per key lookup), and about how
 * many of its rows were read in all (EXPLAIN gives rows per loop rounded, so a key lookup counts one row at most).
 */
function pendingPointsReads(nodes: PlanNode[]): {
  ways: string[];
  lookups: number;
  rowsRead: number;
} {
  const reads = nodes.filter(
    (n) =>
      n["Relation Name"] === "PendingPoints" && n["Node Type"] !== "ModifyTable"
  );
  const loops = (n: PlanNode) => n["Actual Loops"] ?? 1;
  return {
    ways: [
      ...new Set(
        reads.map(
          (n) =>
            `${n["Node Type"]}${
              n["Index Name"] ? ` using ${n["Index Name"]}` : ""
            }`
        )
      ),
    ],
    lookups: reads.reduce((sum, n) => sum + loops(n), 0),
    rowsRead: reads.reduce((sum, n) => sum + rowsReadBy(n), 0),
  };
}

const O6_HOLD = `INSERT INTO "PendingPoints" ("shop", "orderId", "availableAt", "capAt", "createdAt")
  VALUES ('${SHOP}', 'o-6', timestamptz '2026-06-08 00:00Z', timestamptz '2026-06-08 00:00Z', now())`;
const BOOK_O6 = [
  {
    customerId: "c-1",
    points: 10,
    kind: "order" as const,
    sourceKey: "order:o-6",
    orderId: "o-6",
    createdAt: NOW,
  },
];

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await seed();
}, 120_000);

afterAll(async () => {
  await client?.end();
});

describe("pending points are read by the customer's own orders, however stale the statistics", () => {
  it("the statistics were taken while the table was empty", async () => {
    const { rows } = await client.query<{ estimate: number; held: number }>(
      `SELECT reltuples::int AS "estimate", (SELECT count(*) FROM "PendingPoints" WHERE "shop" = $1 AND "releasedAt" IS NULL)::int AS "held"
       FROM pg_class WHERE oid = '"PendingPoints"'::regclass`,
      [SHOP]
    );
    expect(rows[0]).toEqual({ estimate: 0, held: OTHERS + 3 });
  });

  it("an order event's standing refresh reads PendingPoints only by key, only for the customer's orders, and counts what is held", async () => {
    const book = { facts: false, book: BOOK_O6 };
    const statements = await recordedStatements((tx) =>
      refreshCustomerStandings(tx, SHOP, ["c-1"], NOW, book)
    );
    expect(statements).toHaveLength(1);
    // c-1's ledger names 6 orders (o-6 booked by the statement itself): one key lookup each, a row at most.
    const { ways, lookups, rowsRead } = pendingPointsReads(
      await analysedPlans(statements, [O6_HOLD])
    );
    expect(ways).toEqual(["Index Scan using PendingPoints_pkey"]);
    expect(lookups).toBe(6);
    expect(rowsRead).toBeLessThanOrEqual(lookups);

    const standing = await rolledBack(async (tx) => {
      await tx.$executeRawUnsafe(O6_HOLD);
      return (await refreshCustomerStandings(tx, SHOP, ["c-1"], NOW, book)).get(
        "c-1"
      );
    });
    // Held: o-1 10, o-2 10 - 4, o-3 10, o-6 10 = 36, next on June 8 (o-6); the ledger's 56 less that is available.
    expect(standing).toMatchObject({
      pointsPending: 36,
      pointsPendingNextAt: new Date("2026-06-08T00:00:00Z"),
      pointsBalance: 20,
      pendingBefore: 0,
    });
  });

  it("a recompute page reads PendingPoints only by key, only for the page's orders, and counts what is held", async () => {
    const page = { after: null, limit: 100 };
    const rules = {
      fact: "orderCount" as const,
      tiers: [{ slug: "bronze", threshold: 0 }],
    };
    const statements = await recordedStatements((tx) =>
      applyTiersPage(tx, SHOP, page, rules, "test", NOW)
    );
    expect(statements).toHaveLength(1);
    // The page: c-1 (5 orders) and 99 others (one order each): a key lookup per order.
    const { ways, lookups, rowsRead } = pendingPointsReads(
      await analysedPlans(statements)
    );
    expect(ways).toEqual(["Index Scan using PendingPoints_pkey"]);
    expect(lookups).toBe(5 + 99);
    expect(rowsRead).toBeLessThanOrEqual(lookups);

    const result = await rolledBack((tx) =>
      applyTiersPage(tx, SHOP, page, rules, "test", NOW)
    );
    expect(result.count).toBe(100);
    expect(result.changes.find((c) => c.customerId === "c-1")).toMatchObject({
      points: 20,
      pending: 26,
      pendingNextAt: at(12),
    });
    expect(
      result.changes.find((c) => c.customerId === "held-00001")
    ).toMatchObject({ points: 0, pending: 10, pendingNextAt: at(28) });
  });
});
